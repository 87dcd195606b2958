package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.jmh.SnapshotScenarioBenchmark;
import dev.molt.benchmarks.jmh.StatesSnapshotBenchmark;
import java.util.List;

/**
 * The report rows of the snapshot operations (issue #6): five vmm rows and two states file rows
 * against the native floor ({@code snapshot_floor.c}), and two Java-against-Java rows.
 */
final class SnapshotOperations {
  private SnapshotOperations() {}

  static List<Operation> all() {
    String vmm = SnapshotScenarioBenchmark.class.getName() + ".";
    String states = StatesSnapshotBenchmark.class.getName() + ".";
    return List.of(
        floor(
            "snapshot",
            "capture memory (the 274 populated pages of the 16 MiB reference image: layout,"
                + " code, 256 data pages) into a sealed memfd + REGS/SREGS (s.regs) + FPU"
                + " (KVM_GET_FPU); Java: VirtualMachine.captureMemory + Vcpu.captureState",
            vmm + "snapshot"),
        floor(
            "restore-1",
            "after a run that dirtied 1 data page: dirty log get+clear, copy the changed pages"
                + " back, KVM_SET_FPU, REGS+SREGS into s.regs; Java: restoreMemory + restoreState",
            vmm + "restore1"),
        floor("restore-16", "the same after a run that dirtied 16 data pages", vmm + "restore16"),
        floor("restore-256", "the same after a run that dirtied 256 data pages", vmm + "restore256"),
        floor(
            "create-from-snapshot",
            "new VM (manual dirty log), memory mapped MAP_PRIVATE from the image memfd, vCPU,"
                + " warm-up entry to the #PF stub, restore (stack page, FPU, REGS, SREGS); Java:"
                + " vmm createVirtualMachine + addMemoryRegionsFrom + createVcpu + run + restore",
            vmm + "createFromSnapshot"),
        floor(
            "save",
            "write a 16 MiB snapshot file: temporary file, 3 small sections + memory image, each"
                + " SHA-256, header + digest, fsync, rename; Java: SandboxSnapshots.save (noop"
                + " guest, 16 MiB)",
            states + "save"),
        floor(
            "load",
            "read and check a 16 MiB snapshot file: header, section digests, the image copied"
                + " into a memfd while hashed, non-zero pages noted, sealed, mapped; Java:"
                + " SandboxSnapshots.load",
            states + "load"),
        peer(
            "from-snapshot-vs-evolve",
            "MultiUseSandbox.fromSnapshot + close (Java) against UninitializedSandbox.create +"
                + " evolve + close (reference, Java), noop guest, 16 MiB",
            states + "fromSnapshot",
            states + "createAndEvolve"),
        peer(
            "pool-round-trip",
            "SandboxPool acquire + Noop(i) + release (restore) (Java) against Noop(i) + restore"
                + " on one MultiUseSandbox (reference, Java)",
            states + "poolRoundTrip",
            states + "callAndRestore"));
  }

  private static Operation floor(String name, String description, String jmh) {
    return new Operation(name, description, "kvm", "ns", name, jmh, null, false, null, null);
  }

  private static Operation peer(String name, String description, String jmh, String reference) {
    return new Operation(name, description, "peer", "ns", null, jmh, null, false, null, reference);
  }
}
