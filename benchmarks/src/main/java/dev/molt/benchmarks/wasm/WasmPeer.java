package dev.molt.benchmarks.wasm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.molt.api.SandboxException;
import dev.molt.api.Snapshot;
import dev.molt.examples.wasm.LoadedWasmSandbox;
import dev.molt.examples.wasm.ProtoWasmSandbox;
import dev.molt.examples.wasm.WasmFunction;
import dev.molt.examples.wasm.WasmImports;
import dev.molt.examples.wasm.WasmSandbox;
import dev.molt.examples.wasm.WasmState;
import dev.molt.examples.wasm.WasmException;
import dev.molt.examples.wasm.WasmValue;
import java.io.IOException;
import java.io.InputStream;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * One WebAssembly runtime with {@code bench.wasm} instantiated, as the peer rows {@code wasm-*}
 * drive it: Molt's WebAssembly example (a KVM sandbox whose guest interprets the module at ring
 * 3) or Chicory (a pure-Java interpreter in this JVM, no isolation boundary). Both run the same
 * bytes and must compute the same results ({@code WasmPeerTest}).
 */
public sealed interface WasmPeer extends AutoCloseable permits WasmPeer.Molt, WasmPeer.Chicory {

  /** An export of {@code bench.wasm} with an i32 parameter. */
  enum Export {
    /** {@code tiny(i32) -> i32}: one add. */
    TINY("tiny"),
    /** {@code fib(i32) -> i32}: recursive Fibonacci. */
    FIB("fib"),
    /** {@code checksum(i32) -> i32}: fills the 64 KiB memory page and folds it n times. */
    CHECKSUM("checksum"),
    /** {@code kernel(i32) -> f64}: n steps of an f64 oscillator with a square root. */
    KERNEL("kernel");

    private final String exportName;

    Export(String exportName) {
      this.exportName = exportName;
    }

    /**
     * The export's name in the module.
     *
     * @return the name
     */
    public String exportName() {
      return exportName;
    }
  }

  /**
   * The benchmark module's binary ({@code bench.wasm}, converted from {@code bench.wat} next to
   * it).
   *
   * @return a new copy of the bytes
   */
  static byte[] module() {
    try (InputStream in = WasmPeer.class.getResourceAsStream("bench.wasm")) {
      if (in == null) {
        throw new IllegalStateException("bench.wasm is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("bench.wasm cannot be read", e);
    }
  }

  /**
   * Calls an i32 export with one argument.
   *
   * @param export the export ({@link Export#KERNEL} returns an f64: use {@link #callF64})
   * @param argument the argument
   * @return the result
   * @throws WasmException if the module traps (Molt)
   * @throws SandboxException if the sandbox fails (Molt)
   */
  int callI32(Export export, int argument) throws WasmException, SandboxException;

  /**
   * Calls an f64 export with one i32 argument.
   *
   * @param export the export ({@link Export#KERNEL})
   * @param argument the argument
   * @return the result
   * @throws WasmException if the module traps (Molt)
   * @throws SandboxException if the sandbox fails (Molt)
   */
  double callF64(Export export, int argument) throws WasmException, SandboxException;

  /**
   * Replaces the instance by a fresh one of the same module (Molt: the {@code unloadModule}
   * devolve, then the {@code loadModule} evolve, on the same VM; Chicory: parse + instantiate).
   *
   * @throws WasmException if the module is rejected (Molt)
   * @throws SandboxException if the sandbox fails (Molt)
   */
  void reload() throws WasmException, SandboxException;

  /**
   * A new, isolated tenant from an image, one {@code tiny(41)} call, closed (Molt: a sandbox
   * created copy-on-write from a snapshot of the loaded module; Chicory: an instance of the module
   * it parsed once).
   *
   * @return the call's result (42)
   * @throws WasmException if the call traps (Molt)
   * @throws SandboxException if the sandbox fails (Molt)
   */
  int freshFromImage() throws WasmException, SandboxException;

  @Override
  void close();

  /**
   * A new, isolated tenant from nothing, one {@code tiny(41)} call, closed. Molt: a new KVM
   * sandbox, {@code loadRuntime}, {@code loadModule}; Chicory: parse + instantiate.
   *
   * @param molt Molt (true) or Chicory (false)
   * @param module the module's bytes
   * @return the call's result (42)
   * @throws WasmException if the module is rejected or the call traps (Molt)
   * @throws SandboxException if the sandbox fails (Molt)
   */
  static int fresh(boolean molt, byte[] module) throws WasmException, SandboxException {
    if (!molt) {
      return (int) Instance.builder(Parser.parse(module)).build().export("tiny").apply(41)[0];
    }
    try (ProtoWasmSandbox proto = ProtoWasmSandbox.create();
        WasmSandbox runtime = proto.loadRuntime();
        LoadedWasmSandbox loaded = runtime.loadModule(module)) {
      return loaded.call("tiny", WasmValue.i32(41)).getFirst().asI32();
    }
  }

  /** Molt's WebAssembly example: the engine guest in a KVM sandbox, module loaded. */
  @InheritableMustCall("close")
  final class Molt implements WasmPeer {
    private final byte[] module = module();
    private @Owning LoadedWasmSandbox loaded;
    private final Snapshot<LoadedWasmSandbox> image;
    private WasmFunction[] functions;

    /**
     * Creates a sandbox, loads the runtime and the module, resolves the exports and takes the
     * snapshot {@link #freshFromImage()} starts from.
     *
     * @throws WasmException if the guest rejects the module
     * @throws SandboxException if KVM or the guest fails
     */
    public Molt() throws WasmException, SandboxException {
      LoadedWasmSandbox ready;
      try (ProtoWasmSandbox proto = ProtoWasmSandbox.create()) {
        WasmSandbox runtime = proto.loadRuntime();
        try {
          ready = runtime.loadModule(module);
        } catch (WasmException | SandboxException | RuntimeException e) {
          runtime.close();
          throw e;
        }
      }
      try {
        this.functions = resolve(ready);
        this.image = ready.snapshot();
      } catch (SandboxException | RuntimeException e) {
        ready.close();
        throw e;
      }
      this.loaded = ready;
    }

    private static WasmFunction[] resolve(LoadedWasmSandbox sandbox) throws SandboxException {
      Export[] exports = Export.values();
      WasmFunction[] resolved = new WasmFunction[exports.length];
      for (Export e : exports) {
        resolved[e.ordinal()] = sandbox.function(e.exportName());
      }
      return resolved;
    }

    @Override
    public int callI32(Export export, int argument) throws WasmException, SandboxException {
      return functions[export.ordinal()].callSingle(WasmValue.i32(argument)).asI32();
    }

    @Override
    public double callF64(Export export, int argument) throws WasmException, SandboxException {
      return functions[export.ordinal()].callSingle(WasmValue.i32(argument)).asF64();
    }

    @Override
    public void reload() throws WasmException, SandboxException {
      // unloadModule consumes the loaded state; its WasmSandbox owns the VM until loadModule
      // hands it on (or closes it when loading fails).
      WasmSandbox runtime = loaded.unloadModule();
      LoadedWasmSandbox next = runtime.loadModule(module);
      try {
        functions = resolve(next);
      } catch (SandboxException | RuntimeException e) {
        next.close();
        throw e;
      }
      loaded = next;
    }

    @Override
    public int freshFromImage() throws WasmException, SandboxException {
      try (LoadedWasmSandbox copy = WasmState.fromSnapshot(image, WasmImports.none())) {
        return copy.call("tiny", WasmValue.i32(41)).getFirst().asI32();
      }
    }

    @Override
    @EnsuresCalledMethods(value = "this.loaded", methods = "close")
    public void close() {
      loaded.close();
    }
  }

  /** Chicory's pure-Java runtime (its interpreter) in this JVM, module instantiated. */
  final class Chicory implements WasmPeer {
    private final byte[] module = module();
    private final WasmModule parsed = Parser.parse(module);
    private Instance instance;
    private ExportFunction[] functions;

    /** Parses and instantiates the module. */
    public Chicory() {
      this.instance = Instance.builder(Parser.parse(module)).build();
      this.functions = resolve(instance);
    }

    private static ExportFunction[] resolve(Instance instance) {
      Export[] exports = Export.values();
      ExportFunction[] resolved = new ExportFunction[exports.length];
      for (Export e : exports) {
        resolved[e.ordinal()] = instance.export(e.exportName());
      }
      return resolved;
    }

    @Override
    public int callI32(Export export, int argument) {
      return (int) functions[export.ordinal()].apply(argument)[0];
    }

    @Override
    public double callF64(Export export, int argument) {
      return Double.longBitsToDouble(functions[export.ordinal()].apply(argument)[0]);
    }

    @Override
    public void reload() {
      instance = Instance.builder(Parser.parse(module)).build();
      functions = resolve(instance);
    }

    @Override
    public int freshFromImage() {
      return (int) Instance.builder(parsed).build().export("tiny").apply(41)[0];
    }

    @Override
    public void close() {}
  }
}
