package dev.molt.benchmarks.jmh;

import dev.molt.api.SandboxException;
import dev.molt.benchmarks.wasm.WasmPeer;
import dev.molt.benchmarks.wasm.WasmPeer.Export;
import dev.molt.examples.wasm.WasmException;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The peer rows {@code wasm-*}: the same module ({@code bench.wasm}) on Molt's WebAssembly example
 * and on Chicory, each operation once per runtime ({@code molt*} is the Java side of a row,
 * {@code chicory*} its reference). Molt pays a VM entry and exit per call and an isolation
 * boundary per tenant; Chicory interprets in this JVM with no boundary.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WasmPeerBenchmark {
  /** fib's argument: 21,891 WebAssembly calls per op. */
  static final int FIB_N = 20;
  /** checksum's argument: 4 folds of 64 KiB after the fill (81,920 loop iterations). */
  static final int CHECKSUM_ROUNDS = 4;
  /** kernel's argument: f64 steps. */
  static final int KERNEL_STEPS = 100_000;

  /** Creates the benchmark; JMH instantiates it. */
  public WasmPeerBenchmark() {}

  /** Molt's WebAssembly sandbox with the module loaded, per trial. */
  @State(Scope.Thread)
  @InheritableMustCall("close")
  public static class MoltRuntime {
    private @Owning WasmPeer.@Nullable Molt peer;

    /** Creates the state. */
    public MoltRuntime() {}

    /**
     * Creates the sandbox, loads the runtime and the module.
     *
     * @throws WasmException if the guest rejects the module
     * @throws SandboxException if KVM or the guest fails
     */
    @Setup(Level.Trial)
    @CreatesMustCallFor("this")
    public void open() throws WasmException, SandboxException {
      WasmPeer.Molt opened = new WasmPeer.Molt();
      close();
      peer = opened;
    }

    /** Closes the sandbox. */
    @TearDown(Level.Trial)
    @EnsuresCalledMethods(value = "this.peer", methods = "close")
    public void close() {
      if (this.peer != null) {
        this.peer.close();
      }
    }

    @NotOwning WasmPeer.Molt peer() {
      WasmPeer.Molt p = peer;
      if (p == null) {
        throw new IllegalStateException("not open");
      }
      return p;
    }
  }

  /** Chicory with the module instantiated, per trial. */
  @State(Scope.Thread)
  public static class ChicoryRuntime {
    private WasmPeer.@Nullable Chicory peer;

    /** Creates the state. */
    public ChicoryRuntime() {}

    /** Parses and instantiates the module. */
    @Setup(Level.Trial)
    public void open() {
      peer = new WasmPeer.Chicory();
    }

    WasmPeer.Chicory peer() {
      WasmPeer.Chicory p = peer;
      if (p == null) {
        throw new IllegalStateException("not open");
      }
      return p;
    }
  }

  /** The module's bytes, per trial. */
  @State(Scope.Thread)
  public static class ModuleBytes {
    final byte[] module = WasmPeer.module();

    /** Creates the state. */
    public ModuleBytes() {}
  }

  /**
   * Molt: {@code unloadModule} (a devolve: restore of the runtime-only rollback point) then {@code
   * loadModule} (an evolve: decode, validate, instantiate in the guest) on the same VM.
   *
   * @param state the sandbox
   * @throws WasmException if the module is rejected or traps
   * @throws SandboxException if the sandbox fails
   */
  @Benchmark
  public void moltLoadModule(MoltRuntime state) throws WasmException, SandboxException {
    state.peer().reload();
  }

  /**
   * Chicory: parse + instantiate the module.
   *
   * @param state the runtime
   */
  @Benchmark
  public void chicoryLoadModule(ChicoryRuntime state) {
    state.peer().reload();
  }

  /**
   * Molt: a new KVM sandbox, {@code loadRuntime}, {@code loadModule}, {@code tiny(41)}, close.
   *
   * @param bytes the module
   * @return 42
   * @throws WasmException if the module is rejected or traps
   * @throws SandboxException if the sandbox fails
   */
  @Benchmark
  public int moltFreshSandbox(ModuleBytes bytes) throws WasmException, SandboxException {
    return WasmPeer.fresh(true, bytes.module);
  }

  /**
   * Chicory: parse + instantiate + {@code tiny(41)}.
   *
   * @param bytes the module
   * @return 42
   * @throws WasmException never (Chicory)
   * @throws SandboxException never (Chicory)
   */
  @Benchmark
  public int chicoryFreshSandbox(ModuleBytes bytes) throws WasmException, SandboxException {
    return WasmPeer.fresh(false, bytes.module);
  }

  /**
   * Molt: a sandbox created copy-on-write from a snapshot of the loaded module, {@code tiny(41)},
   * close.
   *
   * @param state the sandbox holding the snapshot
   * @return 42
   * @throws WasmException if the module is rejected or traps
   * @throws SandboxException if the sandbox fails
   */
  @Benchmark
  public int moltFreshFromImage(MoltRuntime state) throws WasmException, SandboxException {
    return state.peer().freshFromImage();
  }

  /**
   * Chicory: instantiate the module parsed once, {@code tiny(41)}.
   *
   * @param state the runtime holding the parsed module
   * @return 42
   */
  @Benchmark
  public int chicoryFreshFromImage(ChicoryRuntime state) {
    return state.peer().freshFromImage();
  }

  /**
   * Molt: one call of {@code tiny}, a one-instruction export.
   *
   * @param state the sandbox
   * @return the result
   * @throws WasmException if the module is rejected or traps
   * @throws SandboxException if the sandbox fails
   */
  @Benchmark
  public int moltTinyCall(MoltRuntime state) throws WasmException, SandboxException {
    return state.peer().callI32(Export.TINY, 41);
  }

  /**
   * Chicory: one call of {@code tiny}.
   *
   * @param state the runtime
   * @return the result
   */
  @Benchmark
  public int chicoryTinyCall(ChicoryRuntime state) {
    return state.peer().callI32(Export.TINY, 41);
  }

  /**
   * Molt: {@code fib(20)}, recursive.
   *
   * @param state the sandbox
   * @return 6765
   * @throws WasmException if the module is rejected or traps
   * @throws SandboxException if the sandbox fails
   */
  @Benchmark
  public int moltFib20(MoltRuntime state) throws WasmException, SandboxException {
    return state.peer().callI32(Export.FIB, FIB_N);
  }

  /**
   * Chicory: {@code fib(20)}.
   *
   * @param state the runtime
   * @return 6765
   */
  @Benchmark
  public int chicoryFib20(ChicoryRuntime state) {
    return state.peer().callI32(Export.FIB, FIB_N);
  }

  /**
   * Molt: {@code checksum(4)}, a loop over linear memory.
   *
   * @param state the sandbox
   * @return the checksum
   * @throws WasmException if the module is rejected or traps
   * @throws SandboxException if the sandbox fails
   */
  @Benchmark
  public int moltChecksum(MoltRuntime state) throws WasmException, SandboxException {
    return state.peer().callI32(Export.CHECKSUM, CHECKSUM_ROUNDS);
  }

  /**
   * Chicory: {@code checksum(4)}.
   *
   * @param state the runtime
   * @return the checksum
   */
  @Benchmark
  public int chicoryChecksum(ChicoryRuntime state) {
    return state.peer().callI32(Export.CHECKSUM, CHECKSUM_ROUNDS);
  }

  /**
   * Molt: {@code kernel(100000)}, f64 arithmetic and square roots.
   *
   * @param state the sandbox
   * @return the accumulated value
   * @throws WasmException if the module is rejected or traps
   * @throws SandboxException if the sandbox fails
   */
  @Benchmark
  public double moltFloatKernel(MoltRuntime state) throws WasmException, SandboxException {
    return state.peer().callF64(Export.KERNEL, KERNEL_STEPS);
  }

  /**
   * Chicory: {@code kernel(100000)}.
   *
   * @param state the runtime
   * @return the accumulated value
   */
  @Benchmark
  public double chicoryFloatKernel(ChicoryRuntime state) {
    return state.peer().callF64(Export.KERNEL, KERNEL_STEPS);
  }
}
