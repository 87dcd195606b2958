package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.DeclaredTransition;
import dev.molt.api.GuestAbortedException;
import dev.molt.api.JournalEntry;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.TransitionFailedException;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoLoaded;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.DemoRuntime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chains are atomic: all steps or none, and they say which step failed. */
class ChainTest {

  private static final Chain<DemoProto, DemoLoaded> BOOT =
      Chain.of(Demo.FAMILY, "boot", Demo.LOAD_RUNTIME).then(Demo.loadModule("app"));

  /** A move that poisons the sandbox and fails. */
  private static final DeclaredTransition<DemoLoaded, DemoLoaded> CRASH =
      Demo.FAMILY.move("crash", DemoLoaded.class, DemoLoaded.class, (loaded, memory) -> {
        memory.put("garbage", "written before the crash");
        memory.poison("crashed during crash");
        throw new GuestAbortedException(9, "crash", memory.status());
      });

  /** A move that fails without changing anything. */
  private static final DeclaredTransition<DemoProto, DemoProto> REFUSE =
      Demo.FAMILY.move("refuse", DemoProto.class, DemoProto.class, (proto, memory) -> {
        throw new GuestAbortedException(1, "refused", SandboxStatus.ready());
      });

  @Test
  void aSuccessfulChainRunsEveryStepAndConsumesItsInput() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoLoaded loaded = BOOT.apply(f.proto())) {
      assertThat(loaded.module()).isEqualTo("app");
      assertThat(BOOT.stepNames()).containsExactly("loadRuntime", "loadModule");
      assertThat(Demo.FAMILY.rollbackPoints(loaded)).containsExactly("loadRuntime", "loadModule");
      assertThatThrownBy(f.proto()::status).isInstanceOf(SandboxConsumedException.class);
    }
  }

  @Test
  void aFailingLaterStepRollsBackToTheInputWhichIsLiveAndUnchanged() throws Exception {
    Fixtures f = Fixtures.create();
    f.proto().writeBootData("credits", "3");
    Map<String, String> before = f.memory().contents();
    Chain<DemoProto, DemoLoaded> failing = BOOT.then(CRASH);
    assertThatThrownBy(() -> failing.apply(f.proto()))
        .isInstanceOfSatisfying(
            TransitionFailedException.class,
            e -> {
              assertThat(e.step()).isEqualTo(3);
              assertThat(e.stepName()).isEqualTo("crash");
              assertThat(e.rolledBack()).isTrue();
              assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
              assertThat(e.failure()).isInstanceOf(TransitionFailedException.class);
            });
    try (DemoProto proto = f.proto()) {
      assertThat(proto.status()).isEqualTo(SandboxStatus.ready());
      assertThat(f.memory().contents()).isEqualTo(before);
      assertThat(Demo.FAMILY.rollbackPoints(proto)).isEmpty();
      assertThat(Demo.FAMILY.journal(proto)).last()
          .extracting(JournalEntry::outcome).isEqualTo(JournalEntry.Outcome.ROLLED_BACK);
      // and it can go again
      try (DemoLoaded loaded = BOOT.apply(proto)) {
        assertThat(loaded.module()).isEqualTo("app");
      }
    }
    assertThat(f.memory().closes()).isEqualTo(1);
  }

  @Test
  void aFirstStepThatFailsWithoutChangingAnythingNeedsNoRestore() throws Exception {
    Fixtures f = Fixtures.create();
    Chain<DemoProto, DemoRuntime> chain = Chain.of(Demo.FAMILY, "careful", REFUSE).then(Demo.LOAD_RUNTIME);
    assertThatThrownBy(() -> chain.apply(f.proto()))
        .isInstanceOfSatisfying(
            TransitionFailedException.class,
            e -> {
              assertThat(e.step()).isEqualTo(1);
              assertThat(e.rolledBack()).isFalse();
              assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
            });
    assertThat(f.memory().restores()).isZero();
    f.proto().close();
  }

  @Test
  void whenTheRollbackItselfFailsTheSandboxIsClosedAndReportedUnrecoverable() throws Exception {
    Fixtures f = Fixtures.create();
    Chain<DemoProto, DemoLoaded> failing = BOOT.then(CRASH);
    f.memory().failNextRestore(); // the evolve's own rollback inside CRASH? no: CRASH is a move
    assertThatThrownBy(() -> failing.apply(f.proto()))
        .isInstanceOfSatisfying(
            TransitionFailedException.class,
            e -> {
              assertThat(e.step()).isEqualTo(3);
              assertThat(e.rolledBack()).isFalse();
              assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Unrecoverable.class);
              assertThat(e.getSuppressed()).isEmpty();
              assertThat(e.failure().getSuppressed()).hasSize(1);
            });
    assertThat(f.memory().closes()).isEqualTo(1);
    assertThatThrownBy(f.proto()::status).isInstanceOf(SandboxConsumedException.class);
    f.proto().close();
  }

  @Test
  void aRuntimeExceptionInAStepIsRethrownAfterTheRollback() throws Exception {
    Fixtures f = Fixtures.create();
    DeclaredTransition<DemoLoaded, DemoLoaded> buggy =
        Demo.FAMILY.move("buggy", DemoLoaded.class, DemoLoaded.class, (loaded, memory) -> {
          throw new IllegalArgumentException("bug in step");
        });
    assertThatThrownBy(() -> BOOT.then(buggy).apply(f.proto()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bug in step");
    try (DemoProto proto = f.proto()) {
      assertThat(proto.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void aChainIsATransitionAndComposes() throws Exception {
    Fixtures f = Fixtures.create();
    var there = BOOT.andThen(Demo.UNLOAD_MODULE);
    try (DemoRuntime back = there.apply(f.proto())) {
      assertThat(back.eval("y")).endsWith("y");
      assertThat(there.name()).isEqualTo("boot then unloadModule");
    }
  }

  @Test
  void blankNamesAreRejected() {
    assertThatThrownBy(() -> Chain.of(Demo.FAMILY, " ", Demo.LOAD_RUNTIME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chain name must not be blank");
  }

  @Test
  void aChainRefusesAPoisonedInput() throws Exception {
    Fixtures f = Fixtures.create();
    f.memory().poison("p");
    assertThatThrownBy(() -> BOOT.apply(f.proto()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DemoProto is Poisoned (p): TRANSITION is not allowed; allowed: [RESTORE, CLOSE]");
    f.proto().close();
  }
}
