package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java loop's command line; its KVM run is in JavaLoopKvmTest. */
class JavaLoopTest {

  @Test
  void parsesOpsAndWarmup() {
    assertThat(JavaLoop.Arguments.parse(List.of("kill-to-eintr", "--ops", "7", "--warmup", "3")))
        .isEqualTo(new JavaLoop.Arguments(7, 3));
  }

  @Test
  void rejectsAnotherScenario() {
    assertThatThrownBy(() -> JavaLoop.Arguments.parse(List.of("io-exit-round-trip", "--ops", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usage: JavaLoop kill-to-eintr");
  }

  @Test
  void requiresOps() {
    assertThatThrownBy(() -> JavaLoop.Arguments.parse(List.of("kill-to-eintr")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--ops N (N >= 1) is required");
  }

  @Test
  void rejectsANegativeCount() {
    assertThatThrownBy(() -> JavaLoop.Arguments.parse(List.of("kill-to-eintr", "--ops", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--ops needs a non-negative integer, got '-1'");
  }

  @Test
  void rejectsAnOptionWithoutValue() {
    assertThatThrownBy(() -> JavaLoop.Arguments.parse(List.of("kill-to-eintr", "--ops")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option '--ops' needs a value");
  }

  @Test
  void rejectsAnUnknownOption() {
    assertThatThrownBy(
            () -> JavaLoop.Arguments.parse(List.of("kill-to-eintr", "--ops", "1", "--fast", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option '--fast'");
  }
}
