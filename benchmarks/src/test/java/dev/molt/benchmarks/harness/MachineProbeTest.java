package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.benchmarks.report.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineProbeTest {

  @TempDir Path root;

  private void fakeMachine(String flags) throws IOException {
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.createDirectories(root.resolve("dev"));
    Files.writeString(
        root.resolve("proc/cpuinfo"),
        "processor\t: 0\nmodel name\t: Test CPU 9000\nflags\t\t: fpu " + flags + "\n\n"
            + "processor\t: 1\nmodel name\t: Test CPU 9000\nflags\t\t: fpu " + flags + "\n");
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal:        2048 kB\nMemFree: 1 kB\n");
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-test\n");
  }

  @Test
  void readsCpuCoresMemoryAndKernel() throws IOException {
    fakeMachine("vmx");
    Machine m = new MachineProbe(root).probe();
    assertThat(m.cpuModel()).isEqualTo("Test CPU 9000");
    assertThat(m.cores()).isEqualTo(2);
    assertThat(m.memoryBytes()).isEqualTo(2048L * 1024);
    assertThat(m.kernel()).isEqualTo("6.1.0-test");
  }

  @Test
  void theKvmPvmModuleMeansSoftwareKvm() throws IOException {
    fakeMachine("hypervisor");
    Files.createFile(root.resolve("dev/kvm"));
    Files.createDirectories(root.resolve("sys/module/kvm_pvm"));
    Machine m = new MachineProbe(root).probe();
    assertThat(m.kvm()).isEqualTo("pvm");
    assertThat(m.kvmEvidence())
        .isEqualTo("cpuinfo flags: no vmx/svm, hypervisor; /sys/module/kvm_pvm present");
  }

  @Test
  void theKvmIntelModuleMeansHardwareKvm() throws IOException {
    fakeMachine("vmx");
    Files.createFile(root.resolve("dev/kvm"));
    Files.createDirectories(root.resolve("sys/module/kvm_intel"));
    assertThat(new MachineProbe(root).probe().kvm()).isEqualTo("hardware");
  }

  @Test
  void noDevKvmMeansNone() throws IOException {
    fakeMachine("svm");
    Machine m = new MachineProbe(root).probe();
    assertThat(m.kvm()).isEqualTo("none");
    assertThat(m.kvmEvidence()).isEqualTo("cpuinfo flags: svm; /dev/kvm absent");
  }

  @Test
  void devKvmWithoutAKnownModuleIsUnknown() throws IOException {
    fakeMachine("svm");
    Files.createFile(root.resolve("dev/kvm"));
    assertThat(new MachineProbe(root).probe().kvm()).isEqualTo("unknown");
  }

  @Test
  void missingProcFilesGiveUnknownValuesRatherThanErrors() {
    Machine m = new MachineProbe(root).probe();
    assertThat(m.cpuModel()).isEqualTo("unknown CPU");
    assertThat(m.cores()).isZero();
    assertThat(m.kernel()).isEqualTo("unknown");
  }
}
