package dev.molt.benchmarks.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.benchmarks.scenario.KickableVcpu;
import dev.molt.benchmarks.scenario.ReferenceVcpu;
import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.Test;

/** Each scenario's Java side runs on this machine's KVM and returns what the floor verifies. */
@RequiresKvm
class VmmScenarioDriverKvmTest {
  private final VmmScenarioDriver driver = new VmmScenarioDriver();

  @Test
  void createToFirstExitReturnsFortyTwoEveryTime() {
    assertThat(driver.createToFirstExit()).isEqualTo(42);
    assertThat(driver.createToFirstExit()).isEqualTo(42);
  }

  @Test
  void ioExitRoundTripReturnsTheDonePort() {
    try (ReferenceVcpu vcpu = driver.open(Scenario.IO_EXIT_ROUND_TRIP)) {
      assertThat(vcpu.op(0)).isEqualTo(0x10);
      assertThat(vcpu.op(0)).isEqualTo(0x10);
    }
  }

  @Test
  void dispatchEchoesEachArgumentThroughRax() {
    try (ReferenceVcpu vcpu = driver.open(Scenario.DISPATCH_SYNC_REGS)) {
      assertThat(vcpu.op(0x5afe_0000_0000_0001L)).isEqualTo(0x5afe_0000_0000_0001L);
      assertThat(vcpu.op(-2)).isEqualTo(-2);
    }
  }

  @Test
  void faultRoundTripReportsTheUd2AndResetsForTheNextOne() {
    try (ReferenceVcpu vcpu = driver.open(Scenario.FAULT_ROUND_TRIP)) {
      for (int i = 0; i < 3; i++) {
        assertThat(vcpu.op(0)).isEqualTo(0x100030);
      }
    }
  }

  @Test
  void memoryCellsReturnTheValuePlusOne() {
    try (ReferenceVcpu vcpu = driver.open(Scenario.MEMORY_CELLS)) {
      assertThat(vcpu.op(41)).isEqualTo(42);
      assertThat(vcpu.op(-1)).isZero();
    }
  }

  @Test
  void killToEintrMeasuresAPositiveLatencyPerKick() {
    try (KickableVcpu vcpu = driver.openKickable()) {
      for (int i = 0; i < 3; i++) {
        vcpu.arm(KickableVcpu.SETTLE_NANOS);
        assertThat(vcpu.kickAndMeasure()).isPositive();
      }
    }
  }

  @Test
  void openRejectsTheScenariosThatAreNotRepeatedOperations() {
    assertThatThrownBy(() -> driver.open(Scenario.KILL_TO_EINTR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openKickable()");
    assertThatThrownBy(() -> driver.open(Scenario.CREATE_TO_FIRST_EXIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("createToFirstExit()");
  }
}
