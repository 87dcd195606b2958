package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.jmh.WasmPeerBenchmark;
import java.util.List;

/**
 * The report rows of the WebAssembly example against Chicory (issue #7): Java-against-Java peer
 * rows, Molt's WebAssembly sandbox on the Java side and Chicory 1.5.1 (a pure-Java interpreter)
 * as the reference, both running {@code bench.wasm}. A ratio above 1 means Molt is slower.
 */
final class WasmPeerOperations {
  private WasmPeerOperations() {}

  static List<Operation> all() {
    return List.of(
        peer(
            "wasm-load-module",
            "a fresh instance of bench.wasm. Molt: unloadModule (devolve = restore of the"
                + " runtime-only rollback point) + loadModule (evolve: decode, validate,"
                + " instantiate in the guest) on one VM; Chicory: parse + instantiate",
            "LoadModule"),
        peer(
            "wasm-fresh-sandbox",
            "a new tenant from nothing + tiny(41). Molt: new KVM sandbox, loadRuntime,"
                + " loadModule, call, close; Chicory: parse + instantiate + call",
            "FreshSandbox"),
        peer(
            "wasm-fresh-from-image",
            "a new tenant from an image + tiny(41). Molt: WasmState.fromSnapshot of the loaded"
                + " module (copy-on-write), call, close; Chicory: instantiate the parsed module,"
                + " call",
            "FreshFromImage"),
        peer(
            "wasm-tiny-call",
            "one call of tiny(i32) -> i32 (one add); Molt: a guest call (VM entry + exit)",
            "TinyCall"),
        peer("wasm-fib20", "fib(20), recursive: 21,891 WebAssembly calls in one export call", "Fib20"),
        peer(
            "wasm-checksum",
            "checksum(4): fill 64 KiB of linear memory, fold it 4 times (81,920 loads)",
            "Checksum"),
        peer(
            "wasm-float-kernel",
            "kernel(100000): 100,000 steps of f64 mul/add/sub/sqrt",
            "FloatKernel"));
  }

  private static Operation peer(String name, String description, String method) {
    String benchmark = WasmPeerBenchmark.class.getName() + ".";
    return new Operation(
        name,
        description + " (Java: Molt; reference: Chicory 1.5.1, same bench.wasm)",
        "peer",
        "ns",
        null,
        benchmark + "molt" + method,
        null,
        false,
        null,
        benchmark + "chicory" + method);
  }
}
