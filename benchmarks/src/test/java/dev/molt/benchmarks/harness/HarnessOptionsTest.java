package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

  @Test
  void fullRunDefaults() {
    HarnessOptions o = HarnessOptions.parse(List.of());
    assertThat(o.quick()).isFalse();
    assertThat(o.rounds()).isEqualTo(5);
    assertThat(o.floorOps()).isEqualTo(2000);
    assertThat(o.floorWarmup()).isEqualTo(200);
    assertThat(o.jmhMeasurementIterations()).isEqualTo(5);
    assertThat(o.outDir()).isEqualTo(Path.of("benchmarks", "results"));
    assertThat(o.render()).isNull();
  }

  @Test
  void quickRunIsShorter() {
    HarnessOptions o = HarnessOptions.parse(List.of("--quick"));
    assertThat(o.quick()).isTrue();
    assertThat(o.rounds()).isEqualTo(3);
    assertThat(o.floorOps()).isEqualTo(300);
    assertThat(o.jmhIterationMillis()).isEqualTo(500);
  }

  @Test
  void explicitValuesWinOverQuickDefaults() {
    HarnessOptions o =
        HarnessOptions.parse(List.of("--quick", "--rounds", "2", "--floor-ops", "50"));
    assertThat(o.rounds()).isEqualTo(2);
    assertThat(o.floorOps()).isEqualTo(50);
    assertThat(o.floorWarmup()).isEqualTo(10);
  }

  @Test
  void onlyListsOperations() {
    assertThat(HarnessOptions.parse(List.of("--only", "a, b")).only()).containsExactlyInAnyOrder(
        "a", "b");
  }

  @Test
  void recordsTheCommandLine() {
    assertThat(HarnessOptions.parse(List.of("--quick")).command())
        .isEqualTo("benchmarks/run --quick");
  }

  @Test
  void recordsABareCommandWithoutATrailingSpace() {
    assertThat(HarnessOptions.parse(List.of()).command()).isEqualTo("benchmarks/run");
  }

  @Test
  void rejectsUnknownArguments() {
    assertThatThrownBy(() -> HarnessOptions.parse(List.of("--fast")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown argument '--fast'");
  }

  @Test
  void rejectsAMissingValue() {
    assertThatThrownBy(() -> HarnessOptions.parse(List.of("--rounds")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option --rounds needs a value");
  }

  @Test
  void rejectsANonNumericCount() {
    assertThatThrownBy(() -> HarnessOptions.parse(List.of("--rounds", "many")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rounds needs an integer, got 'many'");
  }

  @Test
  void rejectsZeroRounds() {
    assertThatThrownBy(() -> HarnessOptions.parse(List.of("--rounds", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rounds must be from 1 to 1000, got 0");
  }

  @Test
  void rejectsAnEmptyOperationName() {
    assertThatThrownBy(() -> HarnessOptions.parse(List.of("--only", "a,,b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--only has an empty operation name");
  }
}
