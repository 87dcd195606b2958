package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.molt.api.CallKilledException;
import dev.molt.api.CallTimedOutException;
import dev.molt.api.GuestFaultException;
import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionFailedException;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.ProtocolViolationException;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxStatus;
import dev.molt.api.ValueType;
import dev.molt.states.internal.GuestLayout;
import dev.molt.testkit.RequiresKvm;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every abnormal exit of the {@code behaviours} guest: the exact exception, its facts, Poisoned. */
@RequiresKvm
class HostileGuestTest {
  private static final int DE = 0;
  private static final int UD = 6;
  private static final int GP = 13;
  private static final int PF = 14;
  private static final long TEXT = 0x200000;

  private static GuestFaultException fault(MultiUseSandbox sandbox, String function, Object... args) {
    GuestFaultException e =
        catchThrowableOfType(GuestFaultException.class, () -> sandbox.call(function, Object.class, args));
    assertThat(e).as(function + " faults").isNotNull();
    assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Poisoned.class);
    assertThat(sandbox.status()).isEqualTo(e.leftIn());
    assertThatThrownBy(() -> sandbox.call("Add", Integer.class, 1, 2)).isInstanceOf(IllegalStateException.class);
    return e;
  }

  @Test
  void nullDereferenceIsAPageFaultAtAddressZero() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFaultException e = fault(sandbox, "NullDeref");
      assertThat(e.vector()).isEqualTo(PF);
      assertThat(e.faultAddress()).isEqualTo(OptionalLong.of(0));
      assertThat(e.rip()).isBetween(TEXT, TEXT + 0x10000);
      assertThat(e).hasMessageStartingWith("guest fault #PF (vector 14) at rip 0x");
    }
  }

  @Test
  void readingTheSupervisorAreaIsAPageFault() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFaultException e = fault(sandbox, "ReadAddress", 0x1000L);
      assertThat(e.vector()).isEqualTo(PF);
      assertThat(e.faultAddress()).isEqualTo(OptionalLong.of(0x1000));
    }
  }

  @Test
  void writingTheBootBlockIsAPageFault() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFaultException e = fault(sandbox, "WriteAddress", 0x100000L, 1L);
      assertThat(e.vector()).isEqualTo(PF);
      assertThat(e.faultAddress()).isEqualTo(OptionalLong.of(0x100000));
    }
  }

  @Test
  void writingCodeIsAPageFault() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFaultException e = fault(sandbox, "WriteAddress", TEXT, 1L);
      assertThat(e.vector()).isEqualTo(PF);
      assertThat(e.faultAddress()).isEqualTo(OptionalLong.of(TEXT));
    }
  }

  @Test
  void touchingTheStackGuardIsAPageFaultInTheGuardPage() throws Exception {
    GuestLayout layout = GuestBehavioursTest.layoutOf(Behaviours.SMALL);
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFaultException e = fault(sandbox, "TouchStackGuard");
      assertThat(e.vector()).isEqualTo(PF);
      assertThat(e.faultAddress()).isEqualTo(OptionalLong.of(layout.stackBase() - 8));
    }
  }

  @Test
  void recursingPastTheStackFaultsInTheGuardPage() throws Exception {
    GuestLayout layout = GuestBehavioursTest.layoutOf(Behaviours.SMALL);
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFaultException e = fault(sandbox, "RecurseIntoStackGuard", 1000L);
      assertThat(e.vector()).isEqualTo(PF);
      assertThat(e.faultAddress().getAsLong())
          .isBetween(layout.stackBase() - GuestLayout.PAGE, layout.stackBase() - 1);
    }
  }

  @Test
  void divisionByZeroIsADivideError() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFaultException e = fault(sandbox, "DivideByZero", 0);
      assertThat(e.vector()).isEqualTo(DE);
      assertThat(e.faultAddress()).isEmpty();
      assertThat(e.rip()).isBetween(TEXT, TEXT + 0x10000);
    }
  }

  @Test
  void invalidOpcodeIsAnInvalidOpcodeFault() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(fault(sandbox, "InvalidOpcode").vector()).isEqualTo(UD);
    }
  }

  @Test
  void haltInRingThreeIsAGeneralProtectionFault() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(fault(sandbox, "PrivilegedInstruction").vector()).isEqualTo(GP);
    }
  }

  @Test
  void outToAnUnknownPortIsAGeneralProtectionFaultFromTheIoBitmap() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(fault(sandbox, "UnknownPort").vector()).isEqualTo(GP);
    }
  }

  @Test
  void garbageInTheResultFrameIsAProtocolViolation() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      ProtocolViolationException e =
          catchThrowableOfType(ProtocolViolationException.class, () -> sandbox.call("CorruptResultFrame", Void.class));
      assertThat(e).hasMessageContaining("in CorruptResultFrame: the frame after DONE: frame magic is 0xa5a5a5a5");
      assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Poisoned.class);
      assertThat(sandbox.status()).isEqualTo(e.leftIn());
    }
  }

  @Test
  void aBodyLengthPastTheOutputBufferIsAProtocolViolation() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      ProtocolViolationException e =
          catchThrowableOfType(
              ProtocolViolationException.class, () -> sandbox.call("LieAboutResultLength", Void.class, 0L));
      assertThat(e).hasMessageContaining("frame body_length 65536 runs past the 65536-byte output buffer");
      assertThat(sandbox.status()).isInstanceOf(SandboxStatus.Poisoned.class);
    }
  }

  @Test
  void aValueLengthPastTheBodyIsAProtocolViolation() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      ProtocolViolationException e =
          catchThrowableOfType(
              ProtocolViolationException.class, () -> sandbox.call("LieAboutResultLength", Void.class, 1L));
      assertThat(e).hasMessageContaining("RETURN value data (131072 bytes at body offset 8) runs past the RETURN body of 16 bytes");
      assertThat(sandbox.status()).isInstanceOf(SandboxStatus.Poisoned.class);
    }
  }

  @Test
  void spinningGuestIsKilledFromAnotherThread() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      SandboxInterruptHandle handle = sandbox.interruptHandle();
      // A kill with no call in progress does nothing, so the killer repeats until the call has
      // returned: however late the call starts on a loaded machine, it cannot spin forever.
      AtomicBoolean returned = new AtomicBoolean();
      CompletableFuture<Void> killer =
          CompletableFuture.runAsync(
              () -> {
                while (!returned.get()) {
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  handle.kill();
                }
              });
      CallKilledException e;
      try {
        e = catchThrowableOfType(CallKilledException.class, () -> sandbox.call("SpinForever", Void.class));
      } finally {
        returned.set(true);
      }
      killer.get(10, TimeUnit.SECONDS);
      assertThat(e.function()).isEqualTo("SpinForever");
      assertThat(e.leftIn()).isEqualTo(SandboxStatus.poisoned("guest call 'SpinForever' was killed"));
      assertThat(sandbox.status()).isEqualTo(e.leftIn());
    }
  }

  @Test
  void aKillWithNoCallInProgressDoesNotAffectTheNextCall() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      sandbox.interruptHandle().kill();
      assertThat(sandbox.call("Add", Integer.class, 1, 2)).isEqualTo(3);
    }
  }

  @Test
  void callPastTheTimeLimitIsStopped() throws Exception {
    SandboxConfiguration limited =
        SandboxConfiguration.builder().callTimeLimit(Duration.ofMillis(100)).build();
    try (MultiUseSandbox sandbox = Behaviours.ready(limited)) {
      assertThat(sandbox.call("CallHostRepeatedly", Long.class, 10L)).isEqualTo(10L);
      CallTimedOutException e =
          catchThrowableOfType(CallTimedOutException.class, () -> sandbox.call("SpinForever", Void.class));
      assertThat(e.function()).isEqualTo("SpinForever");
      assertThat(e.limit()).isEqualTo(Duration.ofMillis(100));
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.poisoned("guest call 'SpinForever' exceeded its time limit"));
    }
  }

  @Test
  void hostFunctionFailuresAreAttachedToAnAbnormalExit() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<SandboxInterruptHandle> handle = new AtomicReference<>();
    HostFunctions functions =
        Behaviours.hostFunctions()
            .with(HostFunction.of("KillThenThrow", HostFunctionSignature.of(ValueType.I32), args -> {
              handle.get().kill();
              throw boom;
            }));
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL, functions)) {
      handle.set(sandbox.interruptHandle());
      CallKilledException e =
          catchThrowableOfType(
              CallKilledException.class, () -> sandbox.call("CallHostOrFail", Integer.class, "KillThenThrow"));
      assertThat(e.function()).isEqualTo("CallHostOrFail");
      assertThat(e.getSuppressed()).hasSize(1);
      assertThat(e.getSuppressed()[0]).isInstanceOf(HostFunctionFailedException.class).hasCause(boom);
      assertThat(sandbox.status()).isInstanceOf(SandboxStatus.Poisoned.class);
    }
  }

  @Test
  void closingFromAnotherThreadStopsARunningCall() throws Exception {
    MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL);
    try (sandbox) {
      CompletableFuture<Void> closer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Thread.sleep(200); // the call below is spinning by then
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                sandbox.close();
              });
      CallKilledException e =
          catchThrowableOfType(CallKilledException.class, () -> sandbox.call("SpinForever", Void.class));
      closer.get(10, TimeUnit.SECONDS);
      assertThat(e.leftIn()).isEqualTo(SandboxStatus.unrecoverable("the sandbox was closed"));
    }
    assertThatThrownBy(sandbox::status).isInstanceOf(IllegalStateException.class).hasMessage("MultiUseSandbox is closed");
  }
}
