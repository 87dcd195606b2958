package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.benchmarks.scenario.Scenario;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationTest {

  @Test
  void everyScenarioHasARowWithAFloorAndADriverBackedJmhBenchmark() {
    for (Scenario s : Scenario.values()) {
      Operation op =
          Operation.all().stream().filter(o -> o.name().equals(s.operation())).findFirst()
              .orElseThrow();
      assertThat(op.floorScenario()).isEqualTo(s.operation());
      assertThat(op.jmhBenchmark()).startsWith("dev.molt.benchmarks.jmh.");
      assertThat(op.needsDriver()).isTrue();
    }
  }

  @Test
  void operationNamesAreUnique() {
    List<String> names = Operation.all().stream().map(Operation::name).toList();
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void everyJmhBenchmarkNamesAnExistingMethod() throws ClassNotFoundException {
    for (Operation op : Operation.all()) {
      String benchmark = String.valueOf(op.jmhBenchmark());
      int dot = benchmark.lastIndexOf('.');
      Class<?> type = Class.forName(benchmark.substring(0, dot));
      assertThat(Arrays.stream(type.getMethods()).map(m -> m.getName()))
          .as(benchmark)
          .contains(benchmark.substring(dot + 1));
    }
  }
}
