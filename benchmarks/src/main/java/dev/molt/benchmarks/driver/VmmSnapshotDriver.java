package dev.molt.benchmarks.driver;

import dev.molt.benchmarks.scenario.ReferenceSnapshot;
import dev.molt.benchmarks.scenario.SnapshotDriver;
import dev.molt.vmm.Kvm;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@link SnapshotDriver} over Molt's vmm public API: {@code VirtualMachine.captureMemory},
 * {@code restoreMemory}, {@code addMemoryRegionsFrom}, {@code Vcpu.captureState} and {@code
 * restoreState}. {@code /dev/kvm} is opened once and kept open, as the floor does.
 */
public final class VmmSnapshotDriver implements SnapshotDriver {
  private final Object lock = new Object();
  private @Nullable Kvm kvm; // guarded by lock; never closed: the process owns it until exit

  /** Creates the driver; {@code /dev/kvm} is opened on first use. */
  public VmmSnapshotDriver() {}

  @Override
  public String name() {
    return "molt-vmm";
  }

  @Override
  public ReferenceSnapshot open(int pages) {
    Kvm k;
    synchronized (lock) {
      k = kvm;
      if (k == null) {
        k = Kvm.open();
        kvm = k;
      }
    }
    return VmmReferenceSnapshot.open(k, pages);
  }
}
