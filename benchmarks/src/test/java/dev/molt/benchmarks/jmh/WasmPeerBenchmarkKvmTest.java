package dev.molt.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both sides of every wasm-* row compute the same results, and those results are right: the
 * expected values are computed here in Java from the algorithms in bench.wat.
 */
@RequiresKvm
class WasmPeerBenchmarkKvmTest {
  private final WasmPeerBenchmark benchmark = new WasmPeerBenchmark();
  private final WasmPeerBenchmark.MoltRuntime molt = new WasmPeerBenchmark.MoltRuntime();
  private final WasmPeerBenchmark.ChicoryRuntime chicory = new WasmPeerBenchmark.ChicoryRuntime();

  @BeforeEach
  void open() throws Exception {
    molt.open();
    chicory.open();
  }

  @AfterEach
  void close() {
    molt.close();
  }

  private static int fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  private static int checksum(int rounds) {
    int[] memory = new int[65536 / 4];
    for (int i = 0; i < 65536; i += 4) {
      memory[i / 4] = i * (int) 2654435761L;
    }
    int h = (int) 2166136261L;
    for (int r = 0; r < rounds; r++) {
      for (int word : memory) {
        h = Integer.rotateLeft((h ^ word) * 16777619, 5);
      }
    }
    return h;
  }

  private static double kernel(int n) {
    double x = 1.0;
    double v = 0;
    double acc = 0;
    for (int i = 0; i < n; i++) {
      v = v * 0.999 - x * 0.01;
      x = x + v * 0.01;
      acc = acc + Math.sqrt(x * x + 1.0);
    }
    return acc;
  }

  @Test
  void tinyAddsOneOnBothRuntimes() throws Exception {
    assertThat(benchmark.moltTinyCall(molt)).isEqualTo(42);
    assertThat(benchmark.chicoryTinyCall(chicory)).isEqualTo(42);
  }

  @Test
  void fibOf20Is6765OnBothRuntimes() throws Exception {
    assertThat(fib(WasmPeerBenchmark.FIB_N)).isEqualTo(6765);
    assertThat(benchmark.moltFib20(molt)).isEqualTo(6765);
    assertThat(benchmark.chicoryFib20(chicory)).isEqualTo(6765);
  }

  @Test
  void checksumMatchesTheJavaFoldOnBothRuntimes() throws Exception {
    int expected = checksum(WasmPeerBenchmark.CHECKSUM_ROUNDS);
    assertThat(benchmark.moltChecksum(molt)).isEqualTo(expected);
    assertThat(benchmark.chicoryChecksum(chicory)).isEqualTo(expected);
  }

  @Test
  void floatKernelMatchesJavaDoublesBitForBitOnBothRuntimes() throws Exception {
    long expected = Double.doubleToRawLongBits(kernel(WasmPeerBenchmark.KERNEL_STEPS));
    assertThat(Double.doubleToRawLongBits(benchmark.moltFloatKernel(molt))).isEqualTo(expected);
    assertThat(Double.doubleToRawLongBits(benchmark.chicoryFloatKernel(chicory))).isEqualTo(expected);
  }

  @Test
  void reloadingTheModuleRepeatedlyLeavesAWorkingFreshInstance() throws Exception {
    for (int i = 0; i < 3; i++) {
      benchmark.moltLoadModule(molt);
      benchmark.chicoryLoadModule(chicory);
    }
    assertThat(benchmark.moltTinyCall(molt)).isEqualTo(42);
    assertThat(benchmark.chicoryChecksum(chicory)).isEqualTo(benchmark.moltChecksum(molt));
  }

  @Test
  void freshTenantsAnswerTheTinyCall() throws Exception {
    WasmPeerBenchmark.ModuleBytes bytes = new WasmPeerBenchmark.ModuleBytes();
    assertThat(benchmark.moltFreshSandbox(bytes)).isEqualTo(42);
    assertThat(benchmark.chicoryFreshSandbox(bytes)).isEqualTo(42);
    assertThat(benchmark.moltFreshFromImage(molt)).isEqualTo(42);
    assertThat(benchmark.chicoryFreshFromImage(chicory)).isEqualTo(42);
  }
}
