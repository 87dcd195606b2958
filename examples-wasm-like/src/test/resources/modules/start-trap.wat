;; Traps in its start function: instantiation fails.
(module
  (func $start (i32.div_u (i32.const 1) (i32.const 0)) (drop))
  (start $start)
)
