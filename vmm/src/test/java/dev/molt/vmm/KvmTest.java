package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.Test;

@RequiresKvm
class KvmTest {
  @Test
  void openChecksApiVersionAndReportsCapabilities() {
    try (Kvm kvm = Kvm.open()) {
      assertThat(kvm.supports(Capability.USER_MEMORY)).isTrue();
      assertThat(kvm.supports(Capability.IMMEDIATE_EXIT)).isTrue();
      assertThat(kvm.maxMemorySlots()).isPositive();
      assertThat(kvm.vcpuMmapSize()).isGreaterThanOrEqualTo(4096);
    }
  }

  @Test
  void missingDeviceNamesOperationAndErrno() {
    assertThatThrownBy(() -> Kvm.open("/dev/no-such-kvm"))
        .isInstanceOf(KvmException.class)
        .hasMessage("open(/dev/no-such-kvm) failed: ENOENT (errno 2)");
  }

  @Test
  void negativeVcpuIdIsRejected() {
    try (Kvm kvm = Kvm.open();
        VirtualMachine vm = kvm.createVirtualMachine()) {
      assertThatThrownBy(() -> vm.createVcpu(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("vCPU id must not be negative: -1");
    }
  }

  @Test
  void closeIsIdempotent() {
    Kvm kvm = Kvm.open();
    kvm.close();
    kvm.close();
    assertThatThrownBy(() -> kvm.check(Capability.SYNC_REGS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Kvm is closed");
  }

  @Test
  void createVirtualMachineAfterCloseThrows() {
    Kvm kvm = Kvm.open();
    kvm.close();
    assertThatThrownBy(kvm::createVirtualMachine)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Kvm is closed");
  }

  @Test
  void slotLimitAboveTheKernelLimitIsRejected() {
    try (Kvm kvm = Kvm.open()) {
      int kernel = kvm.maxMemorySlots();
      assertThatThrownBy(() -> kvm.createVirtualMachine(kernel + 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("KVM_CAP_NR_MEMSLOTS");
    }
  }

  @Test
  void virtualMachineOutlivesTheDeviceHandle() {
    VirtualMachine vm;
    try (Kvm kvm = Kvm.open()) {
      vm = kvm.createVirtualMachine();
    }
    try (vm) {
      MemoryRegion region = vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), 4096));
      assertThat(region.slot()).isZero();
    }
  }

  @Test
  void kernelFailureNamesOperationAndErrno() {
    try (Kvm kvm = Kvm.open();
        VirtualMachine vm = kvm.createVirtualMachine();
        Vcpu first = vm.createVcpu(0)) {
      assertThat(first.id()).isZero();
      assertThatThrownBy(() -> vm.createVcpu(0))
          .isInstanceOfSatisfying(
              KvmException.class,
              e -> {
                assertThat(e.operation()).isEqualTo("KVM_CREATE_VCPU");
                assertThat(e.errno()).isEqualTo(17);
                assertThat(e.errnoName()).isEqualTo("EEXIST");
                assertThat(e).hasMessage("KVM_CREATE_VCPU failed: EEXIST (errno 17)");
              });
    }
  }
}
