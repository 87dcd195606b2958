package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Creating and closing VMs returns every descriptor and mapping. */
@RequiresKvm
class ResourceLeakTest {
  private static final int VMS = 2000;

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /**
   * Descriptors vmm makes: the VM and vCPU anonymous inodes, memfds of guest memory and of
   * snapshot images. (Total counts drift: the JVM opens and closes jar and class files.)
   */
  private static long vmmDescriptors() throws IOException {
    long count = 0;
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (target.contains("kvm") || target.startsWith("/memfd:")) {
          count++;
        }
      }
    }
    return count;
  }

  private static long mappings() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/maps")).size();
  }

  /** Mappings recognisably made by vmm: kvm_run areas and memfd-backed guest memory. */
  private static long vmmMappings() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(line -> line.contains("kvm-vcpu") || line.contains("memfd:molt-guest"))
        .count();
  }

  private static void createAndClose(Kvm kvm) {
    try (VirtualMachine vm = kvm.createVirtualMachine()) {
      vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), 2 << 20));
      vm.addMemoryRegion(MemoryRegionSpec.memfd(GuestAddress.of(4 << 20), 1 << 20));
      Vcpu vcpu = vm.createVcpu(0);
      vcpu.registers();
    }
  }

  @Test
  void twoThousandVmsWithMemoryAndVcpuLeaveNoDescriptorOrMappingBehind() throws IOException {
    try (Kvm kvm = Kvm.open()) {
      for (int i = 0; i < 20; i++) {
        createAndClose(kvm); // warm up lazily created JDK and jnr state
      }
      long fdsBefore = openDescriptors();
      long vmmFdsBefore = vmmDescriptors();
      long mapsBefore = mappings();
      long vmmMapsBefore = vmmMappings();
      for (int i = 0; i < VMS; i++) {
        createAndClose(kvm);
      }
      // No more KVM and memfd descriptors than before (this Kvm's /dev/kvm plus whatever other
      // tests in this JVM left to the garbage collector, e.g. unreachable snapshot images, which a
      // collection during the loop may release), and no growth overall: the JVM may close a jar
      // meanwhile, but one leaked descriptor per VM would add 2,000.
      assertThat(vmmDescriptors()).isPositive().isLessThanOrEqualTo(vmmFdsBefore);
      assertThat(openDescriptors()).isLessThanOrEqualTo(fdsBefore);
      assertThat(vmmMappings()).isEqualTo(vmmMapsBefore).isZero();
      // Anonymous guest memory cannot be named on this kernel (no CONFIG_ANON_VMA_NAME), and the
      // JVM itself adds a few mappings meanwhile (compiler threads, heap and code-cache commits),
      // so the total may drift by a handful; one leaked mapping per 10 VMs would add 200.
      assertThat(mappings() - mapsBefore).isLessThan(VMS / 10);
    }
  }
}
