/**
 * A WebAssembly runtime layered on Molt, after Hyperlight-WASM: a WebAssembly engine written in C
 * runs as a Molt guest at ring 3, and the sealed state family {@link
 * dev.molt.examples.wasm.WasmState} drives it — {@link dev.molt.examples.wasm.ProtoWasmSandbox}
 * → {@link dev.molt.examples.wasm.WasmSandbox} → {@link dev.molt.examples.wasm.LoadedWasmSandbox}
 * and back by a devolve that rolls guest memory back. Built only on Molt's public API.
 */
package dev.molt.examples.wasm;
