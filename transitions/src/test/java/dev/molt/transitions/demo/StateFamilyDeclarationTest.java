package dev.molt.transitions.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.GuestAbortedException;
import dev.molt.api.HostFunctions;
import dev.molt.api.JournalEntry;
import dev.molt.api.Sandbox;
import dev.molt.api.SandboxStatus;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.spi.StateFamily;
import dev.molt.api.spi.StateType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a family is declared, and what a bad declaration is told. (In this package for TYPE access.) */
class StateFamilyDeclarationTest {

  @Test
  void everyConcreteStateNeedsAType() {
    assertThatThrownBy(() -> StateFamily.of(Demo.class, List.of(DemoProto.TYPE, DemoRuntime.TYPE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state " + DemoLoaded.class.getName() + " of family " + Demo.class.getName() + " has no StateType");
  }

  @Test
  void aTypeMayBeDeclaredOnlyOnce() {
    assertThatThrownBy(
            () -> StateFamily.of(
                Demo.class, List.of(DemoProto.TYPE, DemoRuntime.TYPE, DemoLoaded.TYPE, DemoProto.TYPE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state " + DemoProto.class.getName() + " is declared twice");
  }

  @Test
  void theFamilyMustBeSealed() {
    assertThatThrownBy(() -> StateFamily.of(Sandbox.class, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dev.molt.api.Sandbox is not a sealed interface");
  }

  @Test
  void statesMustBeFinalClasses() {
    assertThatThrownBy(() -> StateType.of(Demo.class, d -> { throw new AssertionError(); }, h -> {
          throw new AssertionError();
        }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state " + Demo.class.getName() + " must be a final class (states are leaves of a sealed family)");
  }

  @Test
  void aTransitionToAStateOutsideTheFamilyIsRejected() {
    assertThatThrownBy(() -> Demo.FAMILY.move("x", DemoProto.class, Demo.class, (p, m) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(Demo.class.getName() + " is not a state of family Demo");
  }

  @Test
  void aFailedMoveIsJournaledAsFailedAndLeavesTheInputLive() throws Exception {
    var refuse = Demo.FAMILY.move("refuse", DemoProto.class, DemoRuntime.class, (p, m) -> {
      throw new GuestAbortedException(1, "no", SandboxStatus.ready());
    });
    try (DemoProto proto = DemoProto.create(HostFunctions.defaults())) {
      assertThatThrownBy(() -> refuse.apply(proto))
          .isInstanceOfSatisfying(TransitionFailedException.class, e -> assertThat(e.rolledBack()).isFalse());
      assertThat(Demo.FAMILY.journal(proto)).singleElement()
          .satisfies(e -> {
            assertThat(e.transition()).isEqualTo("refuse");
            assertThat(e.outcome()).isEqualTo(JournalEntry.Outcome.FAILED);
            assertThat(e.detail()).startsWith("guest aborted with code 1: no");
          });
      assertThat(proto.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void aRuntimeExceptionInAnEvolvesWorkThatPoisonedIsRolledBackAndRethrown() throws Exception {
    var buggy = Demo.FAMILY.evolve("buggy", DemoProto.class, DemoRuntime.class, (p, m) -> {
      m.put("half", "done");
      m.poison("bug");
      throw new IllegalStateException("bug in work");
    });
    try (DemoProto proto = DemoProto.create(HostFunctions.defaults())) {
      assertThatThrownBy(() -> buggy.apply(proto)).isInstanceOf(IllegalStateException.class).hasMessage("bug in work");
      assertThat(proto.status()).isEqualTo(SandboxStatus.ready());
      assertThat(Demo.FAMILY.journal(proto)).last()
          .extracting(JournalEntry::outcome).isEqualTo(JournalEntry.Outcome.ROLLED_BACK);
    }
  }
}
