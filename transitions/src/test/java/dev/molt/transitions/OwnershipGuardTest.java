package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.HostFunctions;
import dev.molt.api.JournalEntry;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.TransitionKind;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.DemoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The consumed-state guard: single use, compare-and-set, close always allowed. */
class OwnershipGuardTest {

  @Test
  void aConsumedStateThrowsNamingTheTransitionAndTheStateItBecame() throws Exception {
    DemoProto proto = DemoProto.create(HostFunctions.defaults());
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto)) {
      assertThatThrownBy(proto::status)
          .isInstanceOfSatisfying(
              SandboxConsumedException.class,
              e -> {
                assertThat(e.state()).isEqualTo("DemoProto");
                assertThat(e.transition()).isEqualTo("loadRuntime");
                assertThat(e.became()).isEqualTo("DemoRuntime");
              })
          .hasMessage(
              "DemoProto was consumed by transition 'loadRuntime' and became DemoRuntime; only close()"
                  + " is allowed on it");
      assertThatThrownBy(() -> proto.writeBootData("k", "v")).isInstanceOf(SandboxConsumedException.class);
      assertThat(runtime.eval("x")).isEqualTo("demo-runtime 1.0: x");
    }
  }

  @Test
  void transitioningAConsumedStateAgainThrows() throws Exception {
    DemoProto proto = DemoProto.create(HostFunctions.defaults());
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto)) {
      assertThatThrownBy(() -> Demo.LOAD_RUNTIME.apply(proto))
          .isInstanceOf(SandboxConsumedException.class)
          .hasMessageContaining("consumed by transition 'loadRuntime'");
      assertThat(runtime.status()).isEqualTo(dev.molt.api.SandboxStatus.ready());
    }
  }

  @Test
  void closingAConsumedStateDoesNothingAndLeavesItsSuccessorUsable() throws Exception {
    DemoProto proto = DemoProto.create(HostFunctions.defaults());
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto)) {
      proto.close();
      proto.close();
      assertThat(runtime.eval("still here")).endsWith("still here");
    }
  }

  @Test
  void methodStyleEvolveConsumesOnSuccessAndKeepsTheStateOnFailure() throws Exception {
    Fixtures f = Fixtures.create();
    f.memory().failNextCapture();
    assertThatThrownBy(() -> f.proto().loadRuntime()).isInstanceOf(dev.molt.api.TransitionFailedException.class);
    assertThat(f.proto().status()).isEqualTo(dev.molt.api.SandboxStatus.ready());
    try (DemoRuntime runtime = f.proto().loadRuntime()) {
      assertThatThrownBy(f.proto()::status).isInstanceOf(SandboxConsumedException.class);
      assertThat(runtime.eval("ok")).endsWith("ok");
    }
    assertThat(f.memory().closes()).isEqualTo(1);
  }

  @Test
  void closeIsIdempotentAndAClosedStateRejectsUse() {
    DemoProto proto = DemoProto.create(HostFunctions.defaults());
    proto.close();
    proto.close();
    assertThatThrownBy(proto::status)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DemoProto is closed");
  }

  @Test
  void theJournalRecordsEachTransition() throws Exception {
    DemoProto proto = DemoProto.create(HostFunctions.defaults());
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto)) {
      assertThat(Demo.FAMILY.journal(runtime))
          .containsExactly(
              new JournalEntry(
                  1, "loadRuntime", TransitionKind.EVOLVE, "DemoProto", "DemoRuntime",
                  JournalEntry.Outcome.SUCCEEDED, ""));
      assertThat(Demo.FAMILY.journal(proto)).isEqualTo(Demo.FAMILY.journal(runtime));
    }
  }

  @Test
  void ofTwoThreadsRacingToTransitionOneStateExactlyOneWins() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int iteration = 0; iteration < 500; iteration++) {
        DemoProto proto = DemoProto.create(HostFunctions.defaults());
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<DemoRuntime>> racers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          racers.add(pool.submit(() -> {
            start.await();
            return Demo.LOAD_RUNTIME.apply(proto);
          }));
        }
        List<DemoRuntime> winners = new ArrayList<>();
        List<Throwable> losers = new ArrayList<>();
        for (Future<DemoRuntime> f : racers) {
          try {
            winners.add(f.get());
          } catch (java.util.concurrent.ExecutionException e) {
            losers.add(e.getCause());
          }
        }
        assertThat(winners).as("iteration %d", iteration).hasSize(1);
        assertThat(losers).as("iteration %d", iteration).singleElement()
            .isInstanceOf(IllegalStateException.class)
            .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(
                "consumed by transition 'loadRuntime'", "being consumed by transition 'loadRuntime'"));
        assertThat(Demo.FAMILY.journal(winners.get(0))).hasSize(1);
        winners.get(0).close();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aGuardedMethodRacingAClosingStateEitherRunsOrThrowsIllegalState() throws Exception {
    // use and close from two threads: never anything but a result or IllegalStateException
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int iteration = 0; iteration < 200; iteration++) {
        DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(DemoProto.create(HostFunctions.defaults()));
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Object> user = pool.submit(() -> {
          start.await();
          try {
            return runtime.eval("x");
          } catch (IllegalStateException e) {
            return e;
          }
        });
        Future<?> closer = pool.submit(() -> {
          start.await();
          runtime.close();
          return null;
        });
        closer.get();
        assertThat(user.get()).isInstanceOfAny(String.class, IllegalStateException.class);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
