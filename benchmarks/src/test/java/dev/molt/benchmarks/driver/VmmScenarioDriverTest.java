package dev.molt.benchmarks.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.benchmarks.scenario.Scenario;
import org.junit.jupiter.api.Test;

/** Caller mistakes, caught before any KVM work. */
class VmmScenarioDriverTest {

  @Test
  void nameIsMoltVmm() {
    assertThat(new VmmScenarioDriver().name()).isEqualTo("molt-vmm");
  }

  @Test
  void openRejectsNullScenario() {
    assertThatThrownBy(() -> new VmmScenarioDriver().open(nullScenario()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scenario");
  }

  @SuppressWarnings("nullness") // deliberately null: the caller mistake under test
  private static Scenario nullScenario() {
    return null;
  }
}
