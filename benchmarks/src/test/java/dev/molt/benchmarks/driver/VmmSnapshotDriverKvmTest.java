package dev.molt.benchmarks.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.benchmarks.scenario.ReferenceSnapshot;
import dev.molt.benchmarks.scenario.SnapshotDriver;
import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.Test;

/** The Java side of the snapshot scenarios does and checks what the floor does. */
@RequiresKvm
class VmmSnapshotDriverKvmTest {
  private final SnapshotDriver driver = SnapshotDriver.require();

  @Test
  void theServiceLoaderFindsTheVmmDriver() {
    assertThat(driver).isInstanceOf(VmmSnapshotDriver.class);
    assertThat(driver.name()).isEqualTo("molt-vmm");
  }

  @Test
  void theSnapshotHoldsTheFloorsPopulatedPages() {
    try (ReferenceSnapshot r = driver.open(1)) {
      assertThat(r.populatedPages()).isEqualTo(274);
    }
  }

  @Test
  void aRunFromTheSnapshotComputesXmm0PlusDataPlusOne() {
    try (ReferenceSnapshot r = driver.open(16)) {
      assertThat(r.expectedRax()).isEqualTo(0x0000C0FFEE000000L + 0x5A5A000000000000L + 1);
      assertThat(r.run(r.expectedRax())).isEqualTo(r.expectedRax());
    }
  }

  @Test
  void restoreCopiesBackTheDirtiedPagesSoTheNextRunGivesTheSameResult() {
    try (ReferenceSnapshot r = driver.open(16)) {
      for (int i = 0; i < 3; i++) {
        r.run(r.expectedRax());
        long copied = r.restore();
        assertThat(copied).isGreaterThanOrEqualTo(16);
        r.checkRestored(copied);
      }
      assertThat(r.run(r.expectedRax())).isEqualTo(r.expectedRax());
    }
  }

  @Test
  void withoutARestoreTheSecondRunSeesTheFirstRunsWrites() {
    try (ReferenceSnapshot r = driver.open(1)) {
      r.run(r.expectedRax());
      assertThatThrownBy(() -> r.runDirtyingOnePage(r.expectedRax()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("RAX");
    }
  }

  @Test
  void aCaptureHoldsTheRunsWriteAndRegisters() {
    try (ReferenceSnapshot r = driver.open(1)) {
      long rax = r.runDirtyingOnePage(r.expectedRax());
      r.checkCapture(r.capture(), rax);
    }
  }

  @Test
  void aCaptureTakenBeforeTheRunFailsTheCheck() {
    try (ReferenceSnapshot r = driver.open(1)) {
      Object before = r.capture();
      long rax = r.runDirtyingOnePage(r.expectedRax());
      assertThatThrownBy(() -> r.checkCapture(before, rax))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aVmCreatedFromTheSnapshotRunsFromTheSnapshotState() {
    try (ReferenceSnapshot r = driver.open(1)) {
      for (int i = 0; i < 3; i++) {
        r.checkAndClose(r.createFromSnapshot());
      }
    }
  }

  @Test
  void openRefusesPageCountsOutsideTheDataPages() {
    assertThatThrownBy(() -> driver.open(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> driver.open(257)).isInstanceOf(IllegalArgumentException.class);
  }
}
