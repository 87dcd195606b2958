;; The module most Java tests load: arithmetic, memory, a mutable global, host imports, traps.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "record" (func $record (param i64 f64)))
  (memory (export "memory") 1)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global (export "answer") i64 (i64.const 42))
  (table 3 funcref)
  (elem (i32.const 0) $fib $answer)
  (type $unary (func (param i32) (result i32)))

  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $answer (result i64) (i64.const 42))

  (func (export "addViaHost") (param i32 i32) (result i32)
    (i32.add (call $add (local.get 0) (local.get 1)) (i32.const 1000)))
  (func (export "recordViaHost") (param i64 f64) (call $record (local.get 0) (local.get 1)))

  ;; Writes a word and counts the writes in the global.
  (func (export "store") (param $addr i32) (param $value i32)
    (i32.store (local.get $addr) (local.get $value))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (func (export "load") (param $addr i32) (result i32) (i32.load (local.get $addr)))

  (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
  (func (export "divS") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "truncF32") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "crash") (unreachable))
  (func $deep (export "recurse") (param i32) (result i32)
    (i32.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "callIndirect") (param $index i32) (param $arg i32) (result i32)
    (call_indirect (type $unary) (local.get $arg) (local.get $index)))
  (func (export "nothing"))
)
