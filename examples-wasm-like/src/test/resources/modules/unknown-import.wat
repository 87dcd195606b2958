;; Imports a function no host declared.
(module
  (import "env" "nope" (func))
  (func (export "f"))
)
