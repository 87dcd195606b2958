package dev.molt.benchmarks.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmarks module registers its vmm-backed driver; the harness finds it by ServiceLoader. */
class ScenarioDriversTest {

  @Test
  void findReturnsTheVmmDriver() {
    assertThat(ScenarioDrivers.find())
        .hasValueSatisfying(d -> assertThat(d.name()).isEqualTo("molt-vmm"));
  }

  @Test
  void requireReturnsTheSameKindOfDriverAsFind() {
    assertThat(ScenarioDrivers.require().getClass().getName())
        .isEqualTo("dev.molt.benchmarks.driver.VmmScenarioDriver");
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
