;; Modules the validator must reject (and a few it must accept), and binaries the decoder must
;; reject as malformed.
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_invalid (module (func (drop (i32.add (i32.const 1))))) "type mismatch")
(assert_invalid (module (func (br 1))) "unknown label")
(assert_invalid (module (func (drop (local.get 0)))) "unknown local")
(assert_invalid (module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))) "global is immutable")
(assert_invalid (module (func (drop (i32.load (i32.const 0))))) "unknown memory")
(assert_invalid (module (memory 1) (func (drop (i32.load align=8 (i32.const 0))))) "alignment must not be larger than natural")
(assert_invalid (module (memory 2 1)) "size minimum must not be greater than maximum")
(assert_invalid (module (memory 65537)) "memory size must be at most 65536 pages (4GiB)")
(assert_invalid (module (func) (export "a" (func 0)) (export "a" (func 0))) "duplicate export name")
(assert_invalid (module (func (param i32)) (start 0)) "start function")
(assert_invalid (module (global i32 (i32.add (i32.const 1) (i32.const 2)))) "constant expression required")
(assert_invalid (module (global i32 (i64.const 1))) "type mismatch")
(assert_invalid (module (func (result i32) (select (i32.const 1) (i64.const 1) (i32.const 0)))) "type mismatch")
(assert_invalid (module (func (call 5))) "unknown function")
(assert_invalid (module (func (drop (ref.func 0)))) "undeclared function reference")
(assert_invalid (module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1))))) "type mismatch")
(assert_invalid (module (func (block (result i32) (nop)) (drop))) "type mismatch")
(assert_invalid
  (module (func (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0)))) (drop)))
  "type mismatch")
(assert_invalid (module (table 1 externref) (func (call_indirect (i32.const 0)))) "type mismatch")

;; valid: operands below an unreachable are polymorphic
(module (func (result i32) (unreachable) (i32.add)))
(module (func (result i32) (block (result f32) (unreachable) (br_table 0 0 (i32.const 0))) (drop) (i32.const 0)))

(assert_malformed (module binary "\00asm" "\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00asn" "\01\00\00\00") "magic header not detected")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\01\05\01\60\00\00\00") "section size mismatch")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\08\01\00\82\80\80\80\80\00") "integer representation too long")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\07\01\00\82\80\80\80\70") "integer too large")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00")
  "function and code section have inconsistent lengths")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\03\01\00\01" "\01\04\01\60\00\00") "unexpected content after last section")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\00\02\01\ff") "malformed UTF-8 encoding")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00" "\0a\05\01\03\00\06\0b")
  "illegal opcode")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00" "\05\03\01\00\01" "\0a\07\01\05\00\3f\01\1a\0b")
  "zero byte expected")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\01\04\01\60\00") "unexpected end")
