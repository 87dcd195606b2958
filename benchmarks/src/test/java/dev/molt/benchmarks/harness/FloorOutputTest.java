package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.benchmarks.report.Summary;
import org.junit.jupiter.api.Test;

class FloorOutputTest {

  private static final String LINE =
      "{\"scenario\":\"io-exit-round-trip\",\"unit\":\"ns\",\"ops\":200,\"warmup\":20,"
          + "\"median\":26504.5,\"min\":25779,\"max\":344424,\"mean\":28651.6,"
          + "\"verified\":true,\"check\":\"KVM_EXIT_IO out 0x10\",\"memoryBytes\":16777216}";

  @Test
  void readsTheFloorsFigures() {
    FloorOutput out = FloorOutput.parse(LINE, "io-exit-round-trip");
    assertThat(out.summary()).isEqualTo(new Summary(26504.5, 25779, 344424, 200));
    assertThat(out.unit()).isEqualTo("ns");
    assertThat(out.check()).isEqualTo("KVM_EXIT_IO out 0x10");
  }

  @Test
  void rejectsAnotherScenario() {
    assertThatThrownBy(() -> FloorOutput.parse(LINE, "memory-cells"))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessageContaining("reported scenario 'io-exit-round-trip', expected 'memory-cells'");
  }

  @Test
  void rejectsAnUnverifiedRun() {
    String line = LINE.replace("\"verified\":true", "\"verified\":false");
    assertThatThrownBy(() -> FloorOutput.parse(line, "io-exit-round-trip"))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessageContaining("did not verify");
  }

  @Test
  void rejectsTextThatIsNotJson() {
    assertThatThrownBy(() -> FloorOutput.parse("floor: KVM_RUN failed", "io-exit-round-trip"))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessageContaining("cannot read the floor's output line");
  }

  @Test
  void rejectsALineWithoutFigures() {
    String line = "{\"scenario\":\"io-exit-round-trip\",\"verified\":true}";
    assertThatThrownBy(() -> FloorOutput.parse(line, "io-exit-round-trip"))
        .isInstanceOf(BenchmarkFailedException.class)
        .hasMessageContaining("no member 'median'");
  }
}
