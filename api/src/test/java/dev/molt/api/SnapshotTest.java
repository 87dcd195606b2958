package dev.molt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.spi.SnapshotImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  /** A state class for typing only. */
  private static final class Some implements Sandbox {
    @Override
    public SandboxStatus status() {
      return SandboxStatus.ready();
    }

    @Override
    public void close() {}
  }

  private static final SnapshotImage IMAGE = () -> 42;
  private static final Lineage LINEAGE = Lineage.create();
  private static final LayoutId LAYOUT = new LayoutId("v1");

  private static Snapshot<Some> snapshot() {
    return Snapshot.of(Some.class, LINEAGE, LAYOUT, 3, HostFunctions.defaults().signatures(), IMAGE);
  }

  @Test
  void recordsWhatItWasTakenFrom() {
    Snapshot<Some> s = snapshot();
    assertThat(s.state()).isEqualTo(Some.class);
    assertThat(s.lineage()).isEqualTo(LINEAGE);
    assertThat(s.layout()).isEqualTo(LAYOUT);
    assertThat(s.generation()).isEqualTo(3);
    assertThat(s.hostFunctions()).containsOnlyKeys("HostPrint");
    assertThat(s.image()).isSameAs(IMAGE);
  }

  @Test
  void anotherLineageIsIncompatibleAndTheStatusIsReportedUnchanged() {
    Lineage other = Lineage.create();
    assertThatThrownBy(() -> snapshot().requireRestorableOn(other, LAYOUT, SandboxStatus.ready()))
        .isInstanceOfSatisfying(
            SnapshotIncompatibleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SnapshotIncompatibleException.Reason.LINEAGE);
              assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
              assertThat(e.getMessage()).contains(LINEAGE.id().toString(), other.id().toString());
            });
  }

  @Test
  void anotherLayoutIsIncompatible() {
    assertThatThrownBy(
            () -> snapshot().requireRestorableOn(LINEAGE, new LayoutId("v2"), SandboxStatus.ready()))
        .isInstanceOf(SnapshotIncompatibleException.class)
        .hasMessage(
            "snapshot incompatible (LAYOUT): snapshot has layout v1 but the sandbox has layout v2"
                + " [sandbox left Ready]");
  }

  @Test
  void hostFunctionsMustBeASupersetWithEqualSignatures() throws Exception {
    snapshot().requireHostFunctions(HostFunctions.defaults().with(
        HostFunction.of("X", HostFunctionSignature.of(ValueType.VOID), a -> null)));
    assertThatThrownBy(() -> snapshot().requireHostFunctions(HostFunctions.empty()))
        .isInstanceOfSatisfying(
            HostFunctionMismatchException.class,
            e -> assertThat(e.problems())
                .containsExactly(new HostFunctionProblem.Missing("HostPrint", HostPrint.SIGNATURE)));
  }

  @Test
  void negativeGenerationsAreRejected() {
    assertThatThrownBy(() -> Snapshot.of(Some.class, LINEAGE, LAYOUT, -1, Map.of(), IMAGE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("generation must not be negative, was -1");
  }
}
