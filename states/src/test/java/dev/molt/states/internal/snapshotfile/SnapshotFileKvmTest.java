package dev.molt.states.internal.snapshotfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.MemoryRestore;
import dev.molt.vmm.MemorySnapshot;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuState;
import dev.molt.vmm.VirtualMachine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot of a real VM saved, loaded on this host and mapped into a new VM. */
@RequiresKvm
class SnapshotFileKvmTest {
  @TempDir Path dir;

  @Test
  void aSavedVmSnapshotLoadsIntoANewVmWithTheSameMemoryAndRegisters() throws Exception {
    long size = 4L << 20;
    try (Kvm kvm = Kvm.open();
        VirtualMachine vm = kvm.createVirtualMachine()) {
      vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), size));
      vm.memory().fill(GuestAddress.of(0x1000), 0x3000, (byte) 0x42);
      vm.memory().writeLong(GuestAddress.of(size - 8), 0x1122334455667788L);
      Vcpu vcpu = vm.createVcpu(0);
      VcpuState state = vcpu.captureState();
      MemorySnapshot image = vm.captureMemory();
      SnapshotFile file =
          SnapshotFile.of(
              "dev.molt.states.MultiUseSandbox", Lineage.create(), new LayoutId("test-4MiB"), 0,
              ImmutableMap.of(), CpuIdentity.host(), List.of(state), image, TestSnapshots.guest());
      Path path = dir.resolve("vm.molt");
      SnapshotFileWriter.write(file, path);

      SnapshotFile loaded =
          SnapshotFileReader.read(
              path, SnapshotLimits.defaults().withGuestRange(size, size), CpuIdentity.host());

      try (VirtualMachine copy = kvm.createVirtualMachine()) {
        copy.addMemoryRegionsFrom(loaded.memory());
        Vcpu copyVcpu = copy.createVcpu(0);
        copyVcpu.restoreState(loaded.vcpus().get(0));
        assertThat(copy.memory().read(GuestAddress.of(0), (int) size))
            .isEqualTo(vm.memory().read(GuestAddress.of(0), (int) size));
        assertThat(copyVcpu.captureState().general()).isEqualTo(state.general());
        assertThat(copyVcpu.captureState().special()).isEqualTo(state.special());
        copy.memory().writeLong(GuestAddress.of(0x1000), 0);
        assertThat(copy.restoreMemory(loaded.memory())).isEqualTo(new MemoryRestore(true, 1, 0, 1));
        assertThat(copy.memory().readLong(GuestAddress.of(0x1000))).isEqualTo(0x4242424242424242L);
      }
    }
  }
}
