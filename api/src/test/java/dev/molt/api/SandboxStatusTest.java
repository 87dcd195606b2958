package dev.molt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.SandboxStatus.Operation;
import org.junit.jupiter.api.Test;

class SandboxStatusTest {

  @Test
  void readyAllowsEverything() {
    assertThat(SandboxStatus.ready().allowed()).containsExactlyInAnyOrder(Operation.values());
  }

  @Test
  void poisonedAllowsOnlyRestoreAndClose() {
    assertThat(SandboxStatus.poisoned("fault").allowed())
        .containsExactlyInAnyOrder(Operation.RESTORE, Operation.CLOSE);
  }

  @Test
  void unrecoverableAllowsOnlyClose() {
    assertThat(SandboxStatus.unrecoverable("vm died").allowed()).containsExactly(Operation.CLOSE);
  }

  @Test
  void requireNamesTheStatusTheReasonAndWhatIsAllowed() {
    assertThatThrownBy(() -> SandboxStatus.poisoned("#PF at 0x10").require(Operation.CALL, "MultiUse"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("MultiUse is Poisoned (#PF at 0x10): CALL is not allowed; allowed: [RESTORE, CLOSE]");
  }

  @Test
  void requirePassesWhenAllowed() {
    SandboxStatus.ready().require(Operation.CALL, "x");
    assertThat(SandboxStatus.ready().allows(Operation.CALL)).isTrue();
  }
}
