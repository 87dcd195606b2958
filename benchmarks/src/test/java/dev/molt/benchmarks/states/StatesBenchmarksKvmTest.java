package dev.molt.benchmarks.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.benchmarks.jmh.StatesCallNoopI32Benchmark;
import dev.molt.benchmarks.jmh.StatesCallOneHostCallBenchmark;
import dev.molt.benchmarks.jmh.StatesCreateAndEvolveBenchmark;
import dev.molt.benchmarks.jmh.StatesEcho1MibBenchmark;
import dev.molt.testkit.RequiresKvm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Each Java side runs on KVM and checks what its floor checks. No timing checks. */
@RequiresKvm
class StatesBenchmarksKvmTest {

  @Test
  void createAndEvolveReportsTheNoopGuestsOneFunction() throws Exception {
    StatesCreateAndEvolveBenchmark b = new StatesCreateAndEvolveBenchmark();
    assertThat(b.createAndEvolve()).isEqualTo(1);
    assertThat(b.createAndEvolve()).isEqualTo(1);
  }

  @Test
  void callNoopI32ReturnsVoidRepeatedly() throws Exception {
    StatesCallNoopI32Benchmark b = new StatesCallNoopI32Benchmark();
    b.openSandbox();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(b.callNoopI32()).isNull();
      }
    } finally {
      b.closeSandbox();
    }
  }

  @Test
  void callOneHostCallReturnsTheHostsSum() throws Exception {
    StatesCallOneHostCallBenchmark b = new StatesCallOneHostCallBenchmark();
    b.openSandbox();
    try {
      assertThat(b.callOneHostCall()).isEqualTo(1 + 0x1000);
      assertThat(b.callOneHostCall()).isEqualTo(8 + 0x1001);
    } finally {
      b.closeSandbox();
    }
  }

  @Test
  void echo1MibReturnsTheStampedPayload() throws Exception {
    StatesEcho1MibBenchmark b = new StatesEcho1MibBenchmark();
    b.openSandbox();
    try {
      b.echo1Mib();
      byte[] echoed = b.echo1Mib();
      assertThat(echoed).hasSize(1 << 20);
      assertThat(ByteBuffer.wrap(echoed).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(1);
      assertThat(echoed[12345]).isEqualTo((byte) (12345 * 31 + 7));
    } finally {
      b.closeSandbox();
    }
  }
}
