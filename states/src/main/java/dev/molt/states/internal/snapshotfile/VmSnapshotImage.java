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
 */
public record VmSnapshotImage(MemorySnapshot memory, List<VcpuState> vcpus) implements SnapshotImage {
  /**
   * Copies the list and checks it.
   *
   * @throws IllegalArgumentException if no vCPU state is given
   * @throws NullPointerException if a component is null
   */
  public VmSnapshotImage {
    Objects.requireNonNull(memory, "memory");
    vcpus = List.copyOf(vcpus);
    if (vcpus.isEmpty()) {
      throw new IllegalArgumentException("a snapshot image needs the state of at least one vCPU");
    }
  }

  @Override
  public long sizeBytes() {
    return memory.sizeBytes();
  }
}
