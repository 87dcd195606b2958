package dev.molt.states.internal.snapshotfile;

import com.google.common.collect.ImmutableMap;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.vmm.MemorySnapshot;
import dev.molt.vmm.VcpuState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a snapshot file holds (see {@code docs/snapshot-format.md}): what {@link
 * SnapshotFileWriter} writes and {@link SnapshotFileReader} returns after validating it.
 *
 * @param stateClassName the binary name of the state class the snapshot was taken in
 * @param lineage the sandbox lineage
 * @param layout the memory layout fingerprint
 * @param generation the capture number within its sandbox (not negative)
 * @param hostFunctions host-function signatures by name, in registration order
 * @param cpu the CPU the snapshot was taken on
 * @param vcpus the register state of each vCPU, by vCPU id (at least one)
 * @param memory the guest memory image
 * @param guest what the sandbox knows about its guest (layout inputs, image shape, function table)
 */
public record SnapshotFile(
    String stateClassName,
    Lineage lineage,
    LayoutId layout,
    long generation,
    ImmutableMap<String, HostFunctionSignature> hostFunctions,
    CpuIdentity cpu,
    List<VcpuState> vcpus,
    MemorySnapshot memory,
    GuestState guest) {

  /**
   * Copies the collections and checks the components.
   *
   * @throws IllegalArgumentException if the generation is negative, no vCPU is given or the state
   *     class name is blank
   * @throws NullPointerException if a component is null
   */
  public SnapshotFile {
    Objects.requireNonNull(stateClassName, "stateClassName");
    Objects.requireNonNull(lineage, "lineage");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(guest, "guest");
    hostFunctions = ImmutableMap.copyOf(Objects.requireNonNull(hostFunctions, "hostFunctions"));
    vcpus = List.copyOf(vcpus);
    if (stateClassName.isBlank()) {
      throw new IllegalArgumentException("stateClassName must not be blank");
    }
    if (generation < 0) {
      throw new IllegalArgumentException("generation must not be negative: " + generation);
    }
    if (vcpus.isEmpty()) {
      throw new IllegalArgumentException("a snapshot needs the state of at least one vCPU");
    }
  }

  /**
   * A snapshot file value.
   *
   * @param stateClassName the state class's binary name
   * @param lineage the lineage
   * @param layout the layout
   * @param generation the generation
   * @param hostFunctions the signatures by name
   * @param cpu the CPU
   * @param vcpus the vCPU states
   * @param memory the memory image
   * @param guest the guest state
   * @return the value
   */
  public static SnapshotFile of(
      String stateClassName,
      Lineage lineage,
      LayoutId layout,
      long generation,
      Map<String, HostFunctionSignature> hostFunctions,
      CpuIdentity cpu,
      List<VcpuState> vcpus,
      MemorySnapshot memory,
      GuestState guest) {
    return new SnapshotFile(
        stateClassName, lineage, layout, generation, ImmutableMap.copyOf(hostFunctions), cpu, vcpus,
        memory, guest);
  }
}
