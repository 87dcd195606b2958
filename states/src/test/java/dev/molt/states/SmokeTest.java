package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.Test;

@RequiresKvm
class SmokeTest {
  @Test
  void addsTwoNumbers() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("Add", Integer.class, 40, 2)).isEqualTo(42);
      assertThat(sandbox.functions()).hasSize(37);
    }
  }
}
