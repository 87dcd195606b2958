package dev.molt.states.internal.snapshotfile;

import com.google.common.collect.ImmutableMap;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.VirtualMachine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: prints medians of save and load of a 16 MiB snapshot (docs/snapshot-format.md).
 * Run with {@code -Dmolt.measure=true -Dtest=SnapshotFileMeasurement}.
 */
@RequiresKvm
@EnabledIfSystemProperty(named = "molt.measure", matches = "true")
class SnapshotFileMeasurement {
  @TempDir Path dir;

  @Test
  void saveAndLoad() throws Exception {
    long size = 16L << 20;
    try (Kvm kvm = Kvm.open();
        VirtualMachine vm = kvm.createVirtualMachine()) {
      vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), size));
      vm.memory().fill(GuestAddress.of(0), size, (byte) 3);
      SnapshotFile file =
          SnapshotFile.of(
              "a.B", Lineage.create(), new LayoutId("m"), 0, ImmutableMap.of(), CpuIdentity.host(),
              List.of(vm.createVcpu(0).captureState()), vm.captureMemory(), TestSnapshots.guest());
      Path path = dir.resolve("m.molt");
      CpuIdentity host = CpuIdentity.host();
      long[] save = new long[21];
      long[] load = new long[21];
      for (int i = 0; i < save.length; i++) {
        long t0 = System.nanoTime();
        SnapshotFileWriter.write(file, path);
        long t1 = System.nanoTime();
        SnapshotFileReader.read(path, SnapshotLimits.defaults(), host);
        load[i] = System.nanoTime() - t1;
        save[i] = t1 - t0;
      }
      Arrays.sort(save);
      Arrays.sort(load);
      System.out.printf(
          "MEASURE 16 MiB snapshot file: save median %.1f ms (incl. fsync), load median %.1f ms%n",
          save[10] / 1e6, load[10] / 1e6);
    }
  }
}
