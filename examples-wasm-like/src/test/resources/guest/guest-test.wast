;; Modules for guest_test.c (the guest functions run hosted against a fake Molt runtime).
;; 0: the main module; 1: invalid; 2: unlinkable; 3: traps in its start function;
;; 4: a module that imports the main module's "add3" and "g" (registered as "main").
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "pair" (func $pair (result i32 i64)))
  (import "env" "fail" (func $fail))
  (import "env" "f32id" (func $f32id (param f32) (result f32)))
  (global (export "g") i64 (i64.const -5))
  (func (export "add3") (param i32 i32) (result i32) (i32.add (call $add (local.get 0) (local.get 1)) (i32.const 3)))
  (func (export "pair") (result i32 i64) (call $pair))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "callfail") (call $fail))
  (func (export "f32id") (param f32) (result f32) (call $f32id (local.get 0)))
  (func $runaway (export "runaway") (call $runaway))
  (func (export "two words%") (result i32) (i32.const 1))
  (func (export "mix") (param i64 f64 externref) (result externref f64 i64) (local.get 2) (local.get 1) (local.get 0))
)
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_unlinkable (module (import "spectest" "nope" (func))) "unknown import")
(assert_trap (module (func $s (unreachable)) (start $s)) "unreachable")
(module
  (import "main" "add3" (func $add3 (param i32 i32) (result i32)))
  (import "main" "g" (global $g i64))
  (func (export "add3-twice") (param i32) (result i32) (call $add3 (call $add3 (local.get 0) (i32.const 0)) (i32.const 0)))
  (func (export "g-plus-one") (result i64) (i64.add (global.get $g) (i64.const 1))))
