;; Imports env.add with another type than the tests' host function (i32, i32) -> (i32).
(module
  (import "env" "add" (func (param i64 i64) (result i64)))
  (func (export "f") (result i64) (i64.const 1))
)
