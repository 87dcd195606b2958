package dev.molt.benchmarks.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** No module provides a driver yet: the lookup says so instead of failing obscurely. */
class ScenarioDriversTest {

  @Test
  void findIsEmptyWithoutAProvider() {
    assertThat(ScenarioDrivers.find()).isEmpty();
  }

  @Test
  void requireExplainsThatTheDriverComesWithTheVmm() {
    assertThatThrownBy(ScenarioDrivers::require)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no ScenarioDriver is registered")
        .hasMessageContaining("Molt's vmm module");
  }

  @Test
  void operationNamesAreTheFloorsScenarioNames() {
    assertThat(Scenario.values())
        .extracting(Scenario::operation)
        .containsExactly(
            "create-to-first-exit", "io-exit-round-trip", "dispatch-sync-regs",
            "fault-round-trip", "kill-to-eintr", "memory-cells");
  }
}
