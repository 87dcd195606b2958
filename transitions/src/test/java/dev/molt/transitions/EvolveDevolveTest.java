package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.GuestAbortedException;
import dev.molt.api.JournalEntry;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.SubstrateException;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.TransitionKind;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoLoaded;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.DemoRuntime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evolves record rollback points; devolves restore them; failed evolves roll back. */
class EvolveDevolveTest {

  @Test
  void evolveAndDevolveDeclareTheirKindAndStates() {
    assertThat(Demo.LOAD_RUNTIME.kind()).isEqualTo(TransitionKind.EVOLVE);
    assertThat(Demo.UNLOAD_MODULE.kind()).isEqualTo(TransitionKind.DEVOLVE);
    assertThat(Demo.UNLOAD_MODULE.descriptor().from()).isEqualTo(DemoLoaded.class);
    assertThat(Demo.UNLOAD_MODULE.descriptor().to()).isEqualTo(DemoRuntime.class);
    assertThat(Demo.UNLOAD_MODULE.reverses().name()).isEqualTo("loadModule");
  }

  @Test
  void devolveRestoresExactlyTheStateTheMatchingEvolveLeft() throws Exception {
    Fixtures f = Fixtures.create();
    f.proto().writeBootData("credits", "10");
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      runtime.eval("warm-up");
      Map<String, String> before = f.memory().contents();
      DemoLoaded loaded = Demo.loadModule("tenant-a").apply(runtime);
      assertThat(loaded.call("main")).isEqualTo("tenant-a.main()");
      assertThat(f.memory().contents()).containsKeys("module", "called.main");
      try (DemoRuntime back = Demo.UNLOAD_MODULE.apply(loaded)) {
        assertThat(f.memory().contents()).isEqualTo(before);
        assertThat(back.eval("again")).isEqualTo("demo-runtime 1.0: again");
        assertThatThrownBy(loaded::module).isInstanceOf(SandboxConsumedException.class)
            .hasMessageContaining("'unloadModule' and became DemoRuntime");
      }
    }
  }

  @Test
  void nestedEvolvesUnwindInOrder() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      assertThat(Demo.FAMILY.rollbackPoints(runtime)).containsExactly("loadRuntime");
      DemoLoaded loaded = Demo.loadModule("m").apply(runtime);
      assertThat(Demo.FAMILY.rollbackPoints(loaded)).containsExactly("loadRuntime", "loadModule");
      try (DemoRuntime back = Demo.UNLOAD_MODULE.apply(loaded)) {
        assertThat(Demo.FAMILY.rollbackPoints(back)).containsExactly("loadRuntime");
      }
    }
  }

  @Test
  void aFailedEvolveThatPoisonedTheSandboxIsRolledBackAndTheInputStaysUsable() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Map<String, String> before = f.memory().contents();
      assertThatThrownBy(() -> Demo.loadModule(" ").apply(runtime))
          .isInstanceOfSatisfying(
              TransitionFailedException.class,
              e -> {
                assertThat(e.step()).isEqualTo(1);
                assertThat(e.stepName()).isEqualTo("loadModule");
                assertThat(e.rolledBack()).isTrue();
                assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
                assertThat(e.failure()).isInstanceOf(GuestAbortedException.class)
                    .hasMessageStartingWith("guest aborted with code 1: module name is blank");
              });
      assertThat(runtime.status()).isEqualTo(SandboxStatus.ready());
      assertThat(f.memory().contents()).isEqualTo(before);
      assertThat(Demo.FAMILY.rollbackPoints(runtime)).containsExactly("loadRuntime");
      assertThat(Demo.FAMILY.journal(runtime)).last()
          .extracting(JournalEntry::outcome).isEqualTo(JournalEntry.Outcome.ROLLED_BACK);
      try (DemoLoaded loaded = Demo.loadModule("ok").apply(runtime)) {
        assertThat(loaded.module()).isEqualTo("ok");
      }
    }
  }

  @Test
  void aPoisonedStateCannotEvolveButCanDevolve() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      DemoLoaded loaded = Demo.loadModule("m").apply(runtime);
      f.memory().poison("fault in module");
      assertThat(loaded.status()).isEqualTo(SandboxStatus.poisoned("fault in module"));
      try (DemoRuntime back = Demo.UNLOAD_MODULE.apply(loaded)) {
        assertThat(back.status()).isEqualTo(SandboxStatus.ready());
        f.memory().poison("again");
        assertThatThrownBy(() -> Demo.loadModule("x").apply(back))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage(
                "DemoRuntime is Poisoned (again): TRANSITION is not allowed; allowed: [RESTORE, CLOSE]");
        assertThat(back.status()).isEqualTo(SandboxStatus.poisoned("again"));
      }
    }
  }

  @Test
  void anEvolveWhoseRollbackPointCannotBeCapturedFailsWithoutChangingAnything() throws Exception {
    Fixtures f = Fixtures.create();
    f.memory().failNextCapture();
    assertThatThrownBy(() -> Demo.LOAD_RUNTIME.apply(f.proto()))
        .isInstanceOfSatisfying(
            TransitionFailedException.class,
            e -> {
              assertThat(e.failure()).isInstanceOf(SubstrateException.class);
              assertThat(e.rolledBack()).isFalse();
              assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
            });
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      assertThat(runtime.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void aDevolveWhoseRestoreFailsLeavesTheInputUnrecoverable() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto());
        DemoLoaded loaded = Demo.loadModule("m").apply(runtime)) {
      f.memory().failNextRestore();
      assertThatThrownBy(() -> Demo.UNLOAD_MODULE.apply(loaded))
          .isInstanceOfSatisfying(
              TransitionFailedException.class,
              e -> assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Unrecoverable.class));
      assertThat(loaded.status()).isInstanceOf(SandboxStatus.Unrecoverable.class);
    }
    assertThat(f.memory().closes()).isEqualTo(1);
  }

  @Test
  void aDevolveOfAnotherFamilysEvolveIsRejected() {
    assertThatThrownBy(() -> Demo.FAMILY.devolve("bogus", new dev.molt.api.Evolve<DemoProto, DemoRuntime>() {
          @Override
          public DemoRuntime apply(DemoProto from) {
            throw new UnsupportedOperationException();
          }

          @Override
          public dev.molt.api.TransitionDescriptor descriptor() {
            return new dev.molt.api.TransitionDescriptor("x", TransitionKind.EVOLVE, DemoProto.class, DemoRuntime.class);
          }
        }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("evolve 'x' was not declared by family Demo");
  }

  @Test
  void closingTheLiveStateReleasesTheSubstrateOnce() throws Exception {
    Fixtures f = Fixtures.create();
    DemoProto proto = f.proto();
    DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto);
    proto.close();
    assertThat(f.memory().closes()).isZero();
    runtime.close();
    runtime.close();
    assertThat(f.memory().closes()).isEqualTo(1);
  }
}
