;; A script that must fail: the harness has to notice a wrong result.
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 2))
