;; The demo's second tenant: looks where the first one kept its secret.
(module
  (memory (export "memory") 1)
  (global $secret (export "secret") (mut i64) (i64.const 0))
  (func (export "peek") (param $addr i32) (result i64) (i64.load (local.get $addr)))
  (func (export "scan") (result i32)
    ;; counts the non-zero bytes of the whole first page
    (local $i i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 65536)))
        (if (i32.load8_u (local.get $i)) (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $n))
)
