package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Transition;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.TransitionKind;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoLoaded;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.DemoRuntime;
import org.junit.jupiter.api.Test;

/** Transition.andThen and Transition.identity (api), exercised on the demo family. */
class TransitionAlgebraTest {

  @Test
  void andThenRunsBothSteps() throws Exception {
    Transition<DemoProto, DemoLoaded> boot = Demo.LOAD_RUNTIME.andThen(Demo.loadModule("m"));
    assertThat(boot.name()).isEqualTo("loadRuntime then loadModule");
    assertThat(boot.kind()).isEqualTo(TransitionKind.MOVE);
    try (DemoLoaded loaded = boot.apply(Fixtures.create().proto())) {
      assertThat(loaded.module()).isEqualTo("m");
    }
  }

  @Test
  void andThenIsNotAtomicASecondStepFailureClosesTheIntermediateState() throws Exception {
    Fixtures f = Fixtures.create();
    Transition<DemoProto, DemoLoaded> boot = Demo.LOAD_RUNTIME.andThen(Demo.loadModule(""));
    assertThatThrownBy(() -> boot.apply(f.proto()))
        .isInstanceOfSatisfying(
            TransitionFailedException.class,
            e -> {
              assertThat(e.step()).isEqualTo(2);
              assertThat(e.stepName()).isEqualTo("loadModule");
              assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Unrecoverable.class);
            });
    assertThat(f.memory().closes()).isEqualTo(1);
    assertThatThrownBy(f.proto()::status).isInstanceOf(SandboxConsumedException.class);
  }

  @Test
  void identityReturnsItsInput() throws Exception {
    try (DemoProto proto = Fixtures.create().proto()) {
      assertThat(Transition.<DemoProto>identity().apply(proto)).isSameAs(proto);
      assertThat(Transition.identity().name()).isEqualTo("identity");
    }
  }

  @Test
  void identityIsANeutralElementOfAndThen() throws Exception {
    Transition<DemoProto, DemoRuntime> t = Transition.<DemoProto>identity().andThen(Demo.LOAD_RUNTIME);
    try (DemoRuntime r = t.apply(Fixtures.create().proto())) {
      assertThat(r.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void andThenRejectsNull() {
    assertThatThrownBy(() -> Demo.LOAD_RUNTIME.andThen(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("next");
  }
}
