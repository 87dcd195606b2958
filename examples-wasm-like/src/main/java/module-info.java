/**
 * A layered WebAssembly runtime built only on Molt's public API: the state family {@link
 * dev.molt.examples.wasm.WasmState} over Molt's KVM guest substrate, typed WebAssembly values,
 * calls, host functions and traps.
 */
module dev.molt.examples.wasm {
  requires transitive dev.molt.api;
  requires transitive dev.molt.states;
  requires transitive dev.molt.transitions;
  requires static org.checkerframework.checker.qual;

  exports dev.molt.examples.wasm;
}
