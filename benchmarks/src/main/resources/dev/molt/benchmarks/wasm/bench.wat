;; The module both runtimes run in the peer rows wasm-* of benchmarks/run (Molt against Chicory).
;; bench.wasm next to it is this file converted by chicory's wabt 1.0.0 (Wat2Wasm); the test
;; BenchmarkModuleTest in examples-wasm-like fails when the two disagree.
(module
  (memory (export "memory") 1)

  ;; A tiny export: one add.
  (func (export "tiny") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))

  ;; Recursive Fibonacci: call-heavy.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; Fills the 64 KiB page with a pattern, then folds it `rounds` times into a checksum:
  ;; loads, multiplies, rotates, a loop over memory.
  (func (export "checksum") (param $rounds i32) (result i32)
    (local $i i32) (local $r i32) (local $h i32)
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $i) (i32.const 65536)))
        (i32.store (local.get $i) (i32.mul (local.get $i) (i32.const 2654435761)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $fill)))
    (local.set $h (i32.const 2166136261))
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $r) (local.get $rounds)))
        (local.set $i (i32.const 0))
        (block $end
          (loop $word
            (br_if $end (i32.ge_u (local.get $i) (i32.const 65536)))
            (local.set $h (i32.rotl (i32.mul (i32.xor (local.get $h) (i32.load (local.get $i))) (i32.const 16777619))
                                    (i32.const 5)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $word)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (local.get $h))

  ;; A float kernel: n steps of a damped oscillator with a square root, in f64.
  (func (export "kernel") (param $n i32) (result f64)
    (local $i i32) (local $x f64) (local $v f64) (local $acc f64)
    (local.set $x (f64.const 1.0))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (f64.sub (f64.mul (local.get $v) (f64.const 0.999)) (f64.mul (local.get $x) (f64.const 0.01))))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v) (f64.const 0.01))))
        (local.set $acc (f64.add (local.get $acc) (f64.sqrt (f64.add (f64.mul (local.get $x) (local.get $x)) (f64.const 1.0)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $step)))
    (local.get $acc))
)
