package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.benchmarks.states.StatesOperation;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;

class OperationTest {

  @Test
  void everyScenarioButKillHasARowWithAFloorAndADriverBackedJmhBenchmark() {
    for (Scenario s : Scenario.values()) {
      if (s == Scenario.KILL_TO_EINTR) {
        continue;
      }
      Operation op = row(s);
      assertThat(op.floorScenario()).isEqualTo(s.operation());
      assertThat(op.jmhBenchmark()).startsWith("dev.molt.benchmarks.jmh.");
      assertThat(op.javaLoop()).isNull();
      assertThat(op.needsDriver()).isTrue();
    }
  }

  @Test
  void killToEintrIsMeasuredByTheJavaLoopNotByJmh() {
    Operation op = row(Scenario.KILL_TO_EINTR);
    assertThat(op.floorScenario()).isEqualTo("kill-to-eintr");
    assertThat(op.jmhBenchmark()).isNull();
    assertThat(op.javaLoop()).isEqualTo("kill-to-eintr");
    assertThat(op.needsDriver()).isTrue();
  }

  @Test
  void everyStatesOperationHasARowWithAFloorFedByItsGuestPlanAndAJmhBenchmark() {
    for (StatesOperation s : StatesOperation.values()) {
      Operation op =
          Operation.all().stream().filter(o -> o.name().equals(s.operation())).findFirst()
              .orElseThrow();
      assertThat(op.floorScenario()).isEqualTo(s.operation());
      assertThat(op.jmhBenchmark()).startsWith("dev.molt.benchmarks.jmh.States");
      assertThat(op.needsDriver()).isFalse();
      assertThat(op.states()).isEqualTo(s);
    }
  }

  @Test
  void onlyTheStatesOperationsNeedFloorInputs() {
    for (Operation op : Operation.all()) {
      if (op.states() == null) {
        assertThat(StatesFloorInputs.write(op, java.nio.file.Path.of("unused", "floor"))).isEmpty();
      }
    }
  }

  private static Operation row(Scenario s) {
    return Operation.all().stream().filter(o -> o.name().equals(s.operation())).findFirst()
        .orElseThrow();
  }

  @Test
  void operationNamesAreUnique() {
    List<String> names = Operation.all().stream().map(Operation::name).toList();
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void everyJmhBenchmarkNamesAnExistingMethod() throws ClassNotFoundException {
    for (Operation op : Operation.all()) {
      assertNamesAMethod(op.jmhBenchmark());
    }
  }

  @Test
  void everyReferenceBenchmarkNamesAnExistingMethod() throws ClassNotFoundException {
    for (Operation op : Operation.all()) {
      assertNamesAMethod(op.referenceBenchmark());
    }
  }

  /** {@code benchmark} ({@code Class.method}), when there is one, names a public method. */
  private static void assertNamesAMethod(@Nullable String benchmark) throws ClassNotFoundException {
    if (benchmark == null) {
      return;
    }
    int dot = benchmark.lastIndexOf('.');
    Class<?> type = Class.forName(benchmark.substring(0, dot));
    assertThat(Arrays.stream(type.getMethods()).map(m -> m.getName()))
        .as(benchmark)
        .contains(benchmark.substring(dot + 1));
  }

  @Test
  void theCreationRowsWarmUpToSteadyStateInFullAndQuickRuns() {
    HarnessOptions full = HarnessOptions.parse(List.of());
    HarnessOptions quick = HarnessOptions.parse(List.of("--quick"));
    java.util.Map<String, Operation> byName = new java.util.HashMap<>();
    Operation.all().forEach(op -> byName.put(op.name(), op));
    assertThat(byName).containsKeys(Operation.STEADY_STATE_ROWS.toArray(String[]::new));
    for (Operation op : Operation.all()) {
      boolean steady = Operation.STEADY_STATE_ROWS.contains(op.name());
      assertThat(op.jmhWarmupIterations(full))
          .as(op.name())
          .isEqualTo(steady ? Operation.STEADY_STATE_WARMUP_SECONDS : full.jmhWarmupIterations());
      assertThat(op.jmhWarmupIterations(quick))
          .as(op.name())
          .isEqualTo(
              steady
                  ? Operation.STEADY_STATE_WARMUP_SECONDS * 1000 / quick.jmhIterationMillis()
                  : quick.jmhWarmupIterations());
    }
  }
}
