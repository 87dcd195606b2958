package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every floor scenario runs on this machine's KVM and verifies its result. No timing checks. */
@RequiresKvm
class NativeFloorKvmTest {

  static Stream<String> scenarios() {
    return Operation.all().stream().map(Operation::floorScenario).filter(s -> s != null)
        .map(String::valueOf).distinct();
  }

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("scenarios")
  void scenarioRunsAndVerifiesItsResult(String scenario) {
    Operation op =
        Operation.all().stream().filter(o -> scenario.equals(o.floorScenario())).findFirst()
            .orElseThrow();
    // The states scenarios read a guest ELF and plan (written into dir/states-floor).
    List<String> inputs = StatesFloorInputs.write(op, dir.resolve("floor"));
    FloorOutput out = new NativeFloor(FloorBinary.path()).run(scenario, 5, 1, inputs);
    assertThat(out.scenario()).isEqualTo(scenario);
    assertThat(out.summary().samples()).isEqualTo(5);
    assertThat(out.unit()).isEqualTo("ns");
    assertThat(out.check()).isNotBlank();
  }
}
