package dev.molt.states.internal.snapshotfile;

import dev.molt.api.spi.SnapshotImage;
import dev.molt.vmm.MemorySnapshot;
import dev.molt.vmm.VcpuState;
import java.util.List;
import java.util.Objects;

/**
 * The KVM substrate's {@link SnapshotImage}: a sealed memory image and the register state of each
 * vCPU (by id). Immutable; shared by every sandbox restored from or created from it.
 *
 * @param memory the guest memory image
 * @param vcpus the register state of each vCPU, by vCPU id (at least one)
 * @param guest what the sandbox knew about its guest (layout inputs, image shape, function table)
 */
public record VmSnapshotImage(MemorySnapshot memory, List<VcpuState> vcpus, GuestState guest)
    implements SnapshotImage {
  /**
   * Copies the list and checks it.
   *
   * @throws IllegalArgumentException if no vCPU state is given
   * @throws NullPointerException if a component is null
   */
  public VmSnapshotImage {
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(guest, "guest");
    vcpus = List.copyOf(vcpus);
    if (vcpus.isEmpty()) {
      throw new IllegalArgumentException("a snapshot image needs the state of at least one vCPU");
    }
  }

  // Identity, not component equality: the state SPI keys rollback bookkeeping by image identity,
  // and two captures are two images even when a capture reused an unchanged memory image.
  @Override
  public boolean equals(@org.checkerframework.checker.nullness.qual.Nullable Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public long sizeBytes() {
    return memory.sizeBytes();
  }
}
