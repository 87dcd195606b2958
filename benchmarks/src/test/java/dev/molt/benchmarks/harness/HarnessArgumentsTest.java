package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarnessArgumentsTest {

  @Test
  void anUnknownOperationInOnlyIsRejectedBeforeAnythingRuns() {
    HarnessOptions options =
        HarnessOptions.parse(
            List.of("--only", "io-exit-round-trip,no-such-op", "--floor",
                FloorBinary.path().toString()));
    assertThatThrownBy(() -> Harness.run(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--only names unknown operation 'no-such-op'");
  }

  @Test
  void aMissingFloorBinaryIsRejectedWithTheBuildCommand() {
    assertThatThrownBy(() -> new NativeFloor(Path.of("/nonexistent/floor")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent/floor is missing or not executable")
        .hasMessageContaining("mvn -pl benchmarks -am compile");
  }
}
