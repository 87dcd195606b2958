package dev.molt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

  private static final SandboxStatus POISONED = SandboxStatus.poisoned("guest fault");

  @Test
  void guestFaultCarriesVectorRipAndAddress() {
    GuestFaultException e = new GuestFaultException(14, 0x401000, OptionalLong.of(0xdead000), POISONED);
    assertThat(e.vector()).isEqualTo(14);
    assertThat(e.rip()).isEqualTo(0x401000);
    assertThat(e.faultAddress()).hasValue(0xdead000);
    assertThat(e.leftIn()).isEqualTo(POISONED);
    assertThat(e.getMessage())
        .isEqualTo(
            "guest fault #PF (vector 14) at rip 0x401000, address 0xdead000 [sandbox left Poisoned (guest fault)]");
  }

  @Test
  void guestFaultWithoutAddress() {
    GuestFaultException e = new GuestFaultException(0, 0x10, OptionalLong.empty(), POISONED);
    assertThat(e.faultAddress()).isEmpty();
    assertThat(e.getMessage()).startsWith("guest fault #DE (vector 0) at rip 0x10 [");
  }

  @Test
  void guestFaultRejectsVectorsOutsideTheExceptionRange() {
    assertThatThrownBy(() -> new GuestFaultException(32, 0, OptionalLong.empty(), POISONED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vector must be an x86 exception vector 0..31, was 32");
    assertThat(GuestFaultException.vectorName(15)).isEqualTo("#RESERVED");
  }

  @Test
  void eachExceptionSaysWhatTheSandboxIsLeftIn() {
    assertThat(new GuestAbortedException(3, "bad", POISONED))
        .hasMessage("guest aborted with code 3: bad [sandbox left Poisoned (guest fault)]");
    assertThat(new CallTimedOutException("Spin", Duration.ofMillis(5), POISONED))
        .hasMessage("guest call 'Spin' exceeded its time limit of PT0.005S [sandbox left Poisoned (guest fault)]");
    assertThat(new CallKilledException("Spin", POISONED))
        .hasMessage("guest call 'Spin' was killed [sandbox left Poisoned (guest fault)]");
    assertThat(new ProtocolViolationException("result length 9000 > buffer 4096", POISONED))
        .hasMessage(
            "guest protocol violation: result length 9000 > buffer 4096 [sandbox left Poisoned (guest fault)]");
    assertThat(new KvmUnavailableException("/dev/kvm is missing", null))
        .hasMessage("KVM is unavailable: /dev/kvm is missing [sandbox left Unrecoverable (no sandbox was created)]");
    assertThat(
            new SnapshotIncompatibleException(
                SnapshotIncompatibleException.Reason.LAYOUT, "a vs b", SandboxStatus.ready()))
        .hasMessage("snapshot incompatible (LAYOUT): a vs b [sandbox left Ready]");
  }

  @Test
  void transitionFailedNamesTheStepAndKeepsTheFailure() {
    GuestAbortedException cause = new GuestAbortedException(1, "no", POISONED);
    TransitionFailedException e =
        new TransitionFailedException(2, "loadModule", cause, SandboxStatus.ready(), true);
    assertThat(e.step()).isEqualTo(2);
    assertThat(e.stepName()).isEqualTo("loadModule");
    assertThat(e.failure()).isSameAs(cause);
    assertThat(e.rolledBack()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "step 2 'loadModule' failed and was rolled back: guest aborted with code 1: no [sandbox"
                + " left Poisoned (guest fault)] [sandbox left Ready]");
    assertThatThrownBy(() -> new TransitionFailedException(0, "x", cause, POISONED, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step is 1-based, was 0");
  }

  @Test
  void consumedSandboxNamesTransitionAndResult() {
    SandboxConsumedException e = new SandboxConsumedException("Proto", "init", "Ready");
    assertThat(e).isInstanceOf(IllegalStateException.class);
    assertThat(e).hasMessage("Proto was consumed by transition 'init' and became Ready; only close() is allowed on it");
  }

  @Test
  void handlersCanSwitchExhaustivelyOverTheSealedHierarchy() {
    SandboxException e = new CallKilledException("f", POISONED);
    String kind =
        switch (e) {
          case GuestException g -> "guest";
          case GuestErrorException r -> "reported";
          case HostFunctionException h -> "host";
          case SandboxBusyException b -> "busy";
          case SnapshotIncompatibleException s -> "snapshot";
          case KvmUnavailableException k -> "kvm";
          case TransitionFailedException t -> "transition";
          case SubstrateException s -> "substrate";
        };
    assertThat(kind).isEqualTo("guest");
  }

  @Test
  void aReportedGuestErrorCarriesItsFactsAndLeavesReady() {
    IllegalStateException thrown = new IllegalStateException("boom");
    HostFunctionFailedException host =
        new HostFunctionFailedException("Lookup", thrown, SandboxStatus.ready());
    GuestErrorException e =
        new GuestErrorException("Compute", 1001, "host call failed", SandboxStatus.ready(), host);
    assertThat(e.function()).isEqualTo("Compute");
    assertThat(e.code()).isEqualTo(1001);
    assertThat(e.guestMessage()).isEqualTo("host call failed");
    assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
    assertThat(e.getCause()).isSameAs(host);
    assertThat(e)
        .hasMessage("guest function 'Compute' reported error 1001: host call failed [sandbox left Ready]");
  }
}
