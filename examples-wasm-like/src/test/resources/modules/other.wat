;; A second tenant: reads the same addresses and a global of the same name as tenant.wat.
(module
  (memory (export "memory") 1)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (func (export "load") (param $addr i32) (result i32) (i32.load (local.get $addr)))
  (func (export "memorySize") (result i32) (memory.size))
)
