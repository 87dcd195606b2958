package dev.molt.examples.wasm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same module ({@code bench.wat}) on Molt's WebAssembly sandbox and on Chicory: loading a
 * module, a tiny export, and three compute kernels. Molt pays a VM exit per call and wins when
 * the work per call is large; Chicory is a pure-Java interpreter with no isolation boundary.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SideBySideBenchmark {

  /** The runtime: {@code molt} or {@code chicory}. */
  @Param({"molt", "chicory"})
  public String runtime = "molt";

  private BenchRuntime engine;
  private final byte[] module = BenchRuntime.module();

  /** Creates the state; JMH instantiates it. */
  public SideBySideBenchmark() {}

  /**
   * Starts the runtime with the module loaded.
   *
   * @throws Exception if it cannot start
   */
  @Setup(Level.Trial)
  public void open() throws Exception {
    engine = BenchRuntime.open(runtime);
  }

  /** Closes the runtime. */
  @TearDown(Level.Trial)
  public void close() {
    engine.close();
  }

  /**
   * Loads a fresh instance of the module (Molt: the unloadModule devolve + the loadModule evolve
   * on the same VM; Chicory: parse + instantiate).
   *
   * @throws Exception if loading fails
   */
  @Benchmark
  public void loadModule() throws Exception {
    engine.reload();
  }

  /**
   * A new tenant from nothing (Molt: a new KVM sandbox, loadRuntime, loadModule, one call,
   * close; Chicory: parse, instantiate, one call).
   *
   * @return the call's result
   * @throws Exception if anything fails
   */
  @Benchmark
  public int freshSandbox() throws Exception {
    return BenchRuntime.fresh(runtime, module);
  }

  /**
   * A new tenant from an image (Molt: a new KVM sandbox from a snapshot of the loaded module,
   * copy-on-write, one call, close; Chicory: instantiate the parsed module, one call).
   *
   * @return the call's result
   * @throws Exception if anything fails
   */
  @Benchmark
  public int freshFromImage() throws Exception {
    return engine.freshFromImage();
  }

  /**
   * One call of a one-instruction export.
   *
   * @return the result
   * @throws Exception if the call fails
   */
  @Benchmark
  public int tinyCall() throws Exception {
    return engine.callI32("tiny", 41);
  }

  /**
   * Recursive fib(20): 21,891 WebAssembly calls.
   *
   * @return fib(20)
   * @throws Exception if the call fails
   */
  @Benchmark
  public int fib20() throws Exception {
    return engine.callI32("fib", 20);
  }

  /**
   * Fills 64 KiB of linear memory and folds it 4 times (81,920 loop iterations).
   *
   * @return the checksum
   * @throws Exception if the call fails
   */
  @Benchmark
  public int checksum64KiBx4() throws Exception {
    return engine.callI32("checksum", 4);
  }

  /**
   * 100,000 steps of an f64 kernel (mul, add, sub, sqrt).
   *
   * @return the accumulated value
   * @throws Exception if the call fails
   */
  @Benchmark
  public double floatKernel100k() throws Exception {
    return engine.callF64("kernel", 100_000);
  }
}
