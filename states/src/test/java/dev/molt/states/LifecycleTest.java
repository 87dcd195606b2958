package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.molt.api.GuestFaultException;
import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.ProtocolViolationException;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.TransitionKind;
import dev.molt.api.ValueType;
import dev.molt.testkit.RequiresKvm;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Creation, evolve (initialisation), the consumed-state guard, close. */
@RequiresKvm
class LifecycleTest {
  private static final long ENTRY = 0x200000;

  @Test
  void evolveRunsGuestInitialisationOnTheSameVm() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      fresh.memory().writeLong(0x300000, 0x1234); // written before init, still there after
      assertThat(fresh.status()).isEqualTo(SandboxStatus.ready());
      try (MultiUseSandbox ready = fresh.evolve()) {
        assertThat(ready.memory().readLong(0x300000)).isEqualTo(0x1234);
        assertThat(ready.status()).isEqualTo(SandboxStatus.ready());
        assertThat(MoltSandbox.FAMILY.journal(ready)).hasSize(1);
        assertThat(MoltSandbox.FAMILY.journal(ready).get(0).transition()).isEqualTo("initialise");
      }
    }
  }

  @Test
  void initialiseIsDeclaredOnTheFamily() {
    assertThat(MoltSandbox.INITIALISE.name()).isEqualTo("initialise");
    assertThat(MoltSandbox.INITIALISE.kind()).isEqualTo(TransitionKind.EVOLVE);
    assertThat(MoltSandbox.RESET.kind()).isEqualTo(TransitionKind.DEVOLVE);
    assertThat(MoltSandbox.RESET.reverses()).isSameAs(MoltSandbox.INITIALISE);
    assertThat(MoltSandbox.FAMILY.states()).containsExactly(UninitializedSandbox.class, MultiUseSandbox.class);
    assertThat(MoltSandbox.FAMILY.entryStates()).containsExactly(UninitializedSandbox.class);
  }

  @Test
  void theConsumedStateNamesWhatConsumedIt() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL);
        MultiUseSandbox ready = fresh.evolve()) {
      assertThatThrownBy(fresh::memory)
          .isInstanceOf(SandboxConsumedException.class)
          .hasMessage(
              "UninitializedSandbox was consumed by transition 'initialise' and became MultiUseSandbox;"
                  + " only close() is allowed on it");
      assertThatThrownBy(fresh::evolve).isInstanceOf(SandboxConsumedException.class);
      assertThatThrownBy(fresh::status).isInstanceOf(SandboxConsumedException.class);
      MoltSandbox consumed = fresh;
      consumed.close(); // a no-op: the VM belongs to the MultiUseSandbox
      assertThat(ready.call("Add", Integer.class, 2, 3)).isEqualTo(5);
    }
  }

  @Test
  void hostFunctionsRegisteredBeforeEvolveAreCalledDuringAndAfterIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      fresh.registerHostFunction(
          HostFunction.of("Count", HostFunctionSignature.of(ValueType.I32), a -> calls.incrementAndGet()));
      try (MultiUseSandbox ready = fresh.evolve()) {
        assertThat(ready.call("CallHostOrFail", Integer.class, "Count")).isEqualTo(1);
      }
    }
  }

  @Test
  void initialisationThatFaultsIsRolledBackAndFaultsAgainWhenRetried() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      byte[] entry = fresh.memory().read(ENTRY, 2);
      fresh.memory().write(ENTRY, new byte[] {0x0F, 0x0B}); // ud2 at the entry point
      TransitionFailedException e = catchThrowableOfType(TransitionFailedException.class, fresh::evolve);
      assertThat(e.getCause()).isInstanceOf(GuestFaultException.class);
      assertThat(((GuestFaultException) e.getCause()).vector()).isEqualTo(6);
      assertThat(((GuestFaultException) e.getCause()).rip()).isEqualTo(ENTRY);
      assertThat(((GuestFaultException) e.getCause()).leftIn()).isInstanceOf(SandboxStatus.Poisoned.class);
      assertThat(e.rolledBack()).isTrue();
      assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
      assertThat(fresh.status()).isEqualTo(SandboxStatus.ready());
      // The rollback point holds the host's write too: the same fault, from the same state.
      TransitionFailedException again = catchThrowableOfType(TransitionFailedException.class, fresh::evolve);
      assertThat(((GuestFaultException) again.getCause()).rip()).isEqualTo(ENTRY);
      fresh.memory().write(ENTRY, entry);
      try (MultiUseSandbox ready = fresh.evolve()) {
        assertThat(ready.call("Add", Integer.class, 2, 3)).isEqualTo(5);
      }
    }
  }

  @Test
  void initialisationWithAnInvalidFunctionTableIsAProtocolViolation() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      fresh.memory().write(ENTRY, new byte[] {(byte) 0xE6, 0x10}); // out %al, $0x10 (DONE) at once
      TransitionFailedException e = catchThrowableOfType(TransitionFailedException.class, fresh::evolve);
      assertThat(e.getCause())
          .isInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining("in <initialisation>: the frame after DONE: frame magic is 0x00000000");
      assertThat(fresh.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void closeIsIdempotentAndLaterUseIsRefused() throws Exception {
    MultiUseSandbox ready = Behaviours.ready(Behaviours.SMALL);
    GuestMemoryAccess memory = ready.memory();
    GuestFunction<Integer> add = ready.function("Add", Integer.class);
    ready.close();
    ready.close();
    assertThatThrownBy(() -> add.call(1, 2)).isInstanceOf(IllegalStateException.class).hasMessage("MultiUseSandbox is closed");
    assertThatThrownBy(() -> memory.readLong(0x300000)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ready::interruptHandle).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void abortWithoutAFrameReportsTheCodeFromRax() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      // mov $77, %eax; out %al, $0x12 (ABORT) before the runtime wrote any frame
      fresh.memory().write(ENTRY, new byte[] {(byte) 0xB8, 77, 0, 0, 0, (byte) 0xE6, 0x12});
      TransitionFailedException e = catchThrowableOfType(TransitionFailedException.class, fresh::evolve);
      assertThat(e.getCause()).isInstanceOf(dev.molt.api.GuestAbortedException.class);
      dev.molt.api.GuestAbortedException abort = (dev.molt.api.GuestAbortedException) e.getCause();
      assertThat(abort.code()).isEqualTo(77);
      assertThat(abort.guestMessage()).startsWith("(no valid ABORT frame: frame magic is 0x00000000");
      assertThat(fresh.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void anErrorThrownByAHostFunctionPoisonsTheSandbox() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      fresh.registerHostFunction(
          HostFunction.of("Overflow", HostFunctionSignature.of(ValueType.I32), a -> {
            throw new StackOverflowError("simulated");
          }));
      try (MultiUseSandbox ready = fresh.evolve()) {
        assertThatThrownBy(() -> ready.call("CallHostOrFail", Integer.class, "Overflow"))
            .isInstanceOf(StackOverflowError.class);
        assertThat(ready.status()).isInstanceOf(SandboxStatus.Poisoned.class);
        assertThat(((SandboxStatus.Poisoned) ready.status()).reason())
            .startsWith("the call to CallHostOrFail was abandoned: java.lang.StackOverflowError: simulated");
      }
    }
  }

  @Test
  void initialisationPastTheTimeLimitIsStopped() throws Exception {
    SandboxConfiguration limited =
        SandboxConfiguration.builder().callTimeLimit(java.time.Duration.ofMillis(100)).build();
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, limited)) {
      fresh.memory().write(ENTRY, new byte[] {(byte) 0xEB, (byte) 0xFE}); // jmp . (spins)
      TransitionFailedException e = catchThrowableOfType(TransitionFailedException.class, fresh::evolve);
      assertThat(e.getCause()).isInstanceOf(dev.molt.api.CallTimedOutException.class);
      assertThat(((dev.molt.api.CallTimedOutException) e.getCause()).function()).isEqualTo("<initialisation>");
      assertThat(e.rolledBack()).isTrue();
      assertThat(fresh.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void spinningInitialisationIsKilledThroughTheHandleFromAnotherThread() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      fresh.memory().write(ENTRY, new byte[] {(byte) 0xEB, (byte) 0xFE}); // jmp . (spins)
      SandboxInterruptHandle handle = fresh.interruptHandle();
      // A kill with no call in progress does nothing: repeat it until evolve has returned.
      var returned = new java.util.concurrent.atomic.AtomicBoolean();
      var killer = java.util.concurrent.CompletableFuture.runAsync(() -> {
        while (!returned.get()) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
          handle.kill();
        }
      });
      TransitionFailedException e;
      try {
        e = catchThrowableOfType(TransitionFailedException.class, fresh::evolve);
      } finally {
        returned.set(true);
      }
      killer.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(e.getCause()).isInstanceOf(dev.molt.api.CallKilledException.class);
      assertThat(((dev.molt.api.CallKilledException) e.getCause()).leftIn())
          .isEqualTo(SandboxStatus.poisoned("guest call '<initialisation>' was killed"));
      assertThat(fresh.status()).isEqualTo(SandboxStatus.ready());
    }
  }
}
