package dev.molt.examples.wasm.bench;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.molt.api.Snapshot;
import dev.molt.examples.wasm.LoadedWasmSandbox;
import dev.molt.examples.wasm.ProtoWasmSandbox;
import dev.molt.examples.wasm.WasmFunction;
import dev.molt.examples.wasm.WasmImports;
import dev.molt.examples.wasm.WasmSandbox;
import dev.molt.examples.wasm.WasmState;
import dev.molt.examples.wasm.WasmValue;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** One WebAssembly runtime with {@code bench.wasm} loaded, as the benchmarks drive it. */
sealed interface BenchRuntime extends AutoCloseable permits BenchRuntime.Molt, BenchRuntime.Chicory {

  /** The benchmark module's binary. */
  static byte[] module() {
    try (InputStream in = Objects.requireNonNull(BenchRuntime.class.getResourceAsStream("bench.wasm"), "bench.wasm")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("bench.wasm is missing from the class path", e);
    }
  }

  /**
   * Opens the runtime named {@code name}.
   *
   * @param name {@code molt} or {@code chicory}
   * @return the runtime with the module loaded
   * @throws Exception if it cannot start
   */
  static BenchRuntime open(String name) throws Exception {
    return switch (name) {
      case "molt" -> new Molt();
      case "chicory" -> new Chicory();
      default -> throw new IllegalArgumentException("unknown runtime " + name + " (molt, chicory)");
    };
  }

  /**
   * A new, isolated tenant from nothing: Molt creates a VM, loads the runtime and the module;
   * Chicory parses and instantiates. Calls {@code tiny(41)} once and closes.
   *
   * @param name {@code molt} or {@code chicory}
   * @param module the module
   * @return the call's result
   * @throws Exception if anything fails
   */
  static int fresh(String name, byte[] module) throws Exception {
    if (name.equals("chicory")) {
      return (int) Instance.builder(Parser.parse(module)).build().export("tiny").apply(41)[0];
    }
    try (ProtoWasmSandbox proto = ProtoWasmSandbox.create();
        WasmSandbox runtime = proto.loadRuntime();
        LoadedWasmSandbox loaded = runtime.loadModule(module)) {
      return loaded.call("tiny", WasmValue.i32(41)).getFirst().asI32();
    }
  }

  /**
   * A new tenant from an image: Molt creates a sandbox from a snapshot of the loaded module
   * ({@link dev.molt.examples.wasm.WasmState#fromSnapshot}); Chicory instantiates the module it
   * parsed once. Calls {@code tiny(41)} once and closes.
   *
   * @return the call's result
   * @throws Exception if anything fails
   */
  int freshFromImage() throws Exception;

  /** Calls an export of signature (i32) -> (i32). */
  int callI32(String export, int argument) throws Exception;

  /** Calls an export of signature (i32) -> (f64). */
  double callF64(String export, int argument) throws Exception;

  /** Replaces the loaded module by a fresh instance of it (Molt: unload + load, Chicory: parse + instantiate). */
  void reload() throws Exception;

  @Override
  void close();

  /** The example's WebAssembly sandbox on Molt (KVM, engine guest at ring 3). */
  final class Molt implements BenchRuntime {
    private final byte[] module = module();
    private LoadedWasmSandbox loaded;
    private final Snapshot<LoadedWasmSandbox> image;
    private WasmFunction tiny;
    private WasmFunction fib;
    private WasmFunction checksum;
    private WasmFunction kernel;

    Molt() throws Exception {
      try (ProtoWasmSandbox proto = ProtoWasmSandbox.create()) {
        WasmSandbox runtime = proto.loadRuntime();
        try {
          loaded = runtime.loadModule(module);
        } catch (Exception e) {
          runtime.close();
          throw e;
        }
      }
      resolve();
      image = loaded.snapshot();
    }

    @Override
    public int freshFromImage() throws Exception {
      try (LoadedWasmSandbox copy = WasmState.fromSnapshot(image, WasmImports.none())) {
        return copy.call("tiny", WasmValue.i32(41)).getFirst().asI32();
      }
    }

    private void resolve() throws Exception {
      tiny = loaded.function("tiny");
      fib = loaded.function("fib");
      checksum = loaded.function("checksum");
      kernel = loaded.function("kernel");
    }

    private WasmFunction named(String export) {
      return switch (export) {
        case "tiny" -> tiny;
        case "fib" -> fib;
        case "checksum" -> checksum;
        case "kernel" -> kernel;
        default -> throw new IllegalArgumentException(export);
      };
    }

    @Override
    public int callI32(String export, int argument) throws Exception {
      return named(export).callSingle(WasmValue.i32(argument)).asI32();
    }

    @Override
    public double callF64(String export, int argument) throws Exception {
      return named(export).callSingle(WasmValue.i32(argument)).asF64();
    }

    @Override
    public void reload() throws Exception {
      WasmSandbox runtime = loaded.unloadModule();
      loaded = runtime.loadModule(module);
      resolve();
    }

    @Override
    public void close() {
      loaded.close();
    }
  }

  /** Chicory's pure-Java runtime (its interpreter), in this JVM. */
  final class Chicory implements BenchRuntime {
    private final byte[] module = module();
    private final WasmModule parsed = Parser.parse(module);
    private Instance instance;

    Chicory() {
      instance = Instance.builder(Parser.parse(module)).build();
    }

    @Override
    public int freshFromImage() {
      return (int) Instance.builder(parsed).build().export("tiny").apply(41)[0];
    }

    @Override
    public int callI32(String export, int argument) {
      return (int) instance.export(export).apply(argument)[0];
    }

    @Override
    public double callF64(String export, int argument) {
      return Double.longBitsToDouble(instance.export(export).apply(argument)[0]);
    }

    @Override
    public void reload() {
      instance = Instance.builder(Parser.parse(module)).build();
    }

    @Override
    public void close() {}
  }
}
