;; The demo's first tenant: computes, keeps a secret in memory and in a global, calls Java.
(module
  (import "env" "log" (func $log (param i32 i64)))
  (memory (export "memory") 1)
  (global $secret (export "secret") (mut i64) (i64.const 0))

  (func $fib (export "fib") (param $n i32) (result i64)
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else (i64.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; Stores the secret at address 256 and in the global, and tells the host (tag 1).
  (func (export "remember") (param $s i64)
    (i64.store (i32.const 256) (local.get $s))
    (global.set $secret (local.get $s))
    (call $log (i32.const 1) (local.get $s)))

  ;; Sums fib(0..n-1) and reports each term to the host (tag 2).
  (func (export "reportFibs") (param $n i32) (result i64)
    (local $i i32) (local $sum i64) (local $f i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $f (call $fib (local.get $i)))
        (call $log (i32.const 2) (local.get $f))
        (local.set $sum (i64.add (local.get $sum) (local.get $f)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (func (export "divide") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
)
