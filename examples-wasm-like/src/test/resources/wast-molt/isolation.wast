;; Run through Molt's transitions only (MoltSpecConformanceTest): a trap keeps the trapping code's
;; writes (the spec), rejected modules leave the current one working, and the next module (after
;; unloadModule, a devolve) sees nothing of the trapped one.
(module $T
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "write-then-trap") (i32.store (i32.const 16) (i32.const 0xdead)) (global.set $g (i32.const 7)) (unreachable))
  (func (export "peek") (result i32) (i32.load (i32.const 16)))
  (func (export "g") (result i32) (global.get $g))
  (func (export "deep") (param i32) (result i32) (call 3 (i32.add (local.get 0) (i32.const 1)))))
(assert_trap (invoke "write-then-trap") "unreachable")
(assert_return (invoke "peek") (i32.const 0xdead))
(assert_return (invoke "g") (i32.const 7))
(assert_exhaustion (invoke "deep" (i32.const 0)) "call stack exhausted")
(assert_return (invoke $T "peek") (i32.const 0xdead))
(assert_malformed (module binary "\00asm\01\00\00\00\01") "unexpected end")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
(assert_trap (module (func $s (unreachable)) (start $s)) "unreachable")
(assert_return (invoke "g") (i32.const 7))

(module $T2
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "peek") (result i32) (i32.load (i32.const 16)))
  (func (export "g") (result i32) (global.get $g)))
(assert_return (invoke "peek") (i32.const 0))
(assert_return (invoke "g") (i32.const 0))

;; Registered modules stay below the modules loaded on top of them.
(module $S
  (memory (export "mem") 1)
  (func (export "peek") (result i32) (i32.load (i32.const 16))))
(register "S")
(module $U
  (import "S" "mem" (memory 1))
  (func (export "poke") (i32.store (i32.const 16) (i32.const 99))))
(invoke "poke")
(module $V
  (import "S" "mem" (memory 1))
  (func (export "peek") (result i32) (i32.load (i32.const 16))))
(assert_return (invoke "peek") (i32.const 99))
(assert_trap (module (import "S" "mem" (memory 1)) (data (i32.const 16) "\05") (data (i32.const 65536) "\06"))
  "out of bounds memory access")
(assert_return (invoke "peek") (i32.const 5))
