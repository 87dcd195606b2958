/**
 * A layered WebAssembly runtime built only on Molt's public API (to be filled by the
 * wasm-like example issue).
 */
module dev.molt.examples.wasm {
  requires dev.molt.api;
  requires dev.molt.transitions;
}
