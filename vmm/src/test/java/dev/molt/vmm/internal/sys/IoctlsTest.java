package dev.molt.vmm.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IoctlsTest {
  @Test
  void systemIoctlNumbersMatchTheKernelValues() {
    assertThat(Ioctls.KVM_GET_API_VERSION).isEqualTo(0xAE00L);
    assertThat(Ioctls.KVM_CREATE_VM).isEqualTo(0xAE01L);
    assertThat(Ioctls.KVM_CHECK_EXTENSION).isEqualTo(0xAE03L);
    assertThat(Ioctls.KVM_GET_VCPU_MMAP_SIZE).isEqualTo(0xAE04L);
  }

  @Test
  void vmIoctlNumbersMatchTheKernelValues() {
    assertThat(Ioctls.KVM_CREATE_VCPU).isEqualTo(0xAE41L);
    assertThat(Ioctls.KVM_GET_DIRTY_LOG).isEqualTo(0x4010AE42L);
    assertThat(Ioctls.KVM_SET_USER_MEMORY_REGION).isEqualTo(0x4020AE46L);
  }

  @Test
  void vcpuIoctlNumbersMatchTheKernelValues() {
    assertThat(Ioctls.KVM_RUN).isEqualTo(0xAE80L);
    assertThat(Ioctls.KVM_GET_REGS).isEqualTo(0x8090AE81L);
    assertThat(Ioctls.KVM_SET_REGS).isEqualTo(0x4090AE82L);
    assertThat(Ioctls.KVM_GET_SREGS).isEqualTo(0x8138AE83L);
    assertThat(Ioctls.KVM_SET_SREGS).isEqualTo(0x4138AE84L);
    assertThat(Ioctls.KVM_SET_SIGNAL_MASK).isEqualTo(0x4004AE8BL);
    assertThat(Ioctls.KVM_GET_FPU).isEqualTo(0x81A0AE8CL);
    assertThat(Ioctls.KVM_SET_FPU).isEqualTo(0x41A0AE8DL);
  }

  @Test
  void readWriteEncodingSetsBothDirectionBits() {
    assertThat(Ioctls.iowr(0xAE, 0x05, 8)).isEqualTo(0xC008AE05L);
  }

  @Test
  void encoderRejectsOversizedArgument() {
    assertThatThrownBy(() -> Ioctls.iow(0xAE, 1, 1 << 14))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("14 bits");
  }

  @Test
  void encoderRejectsTypeWiderThanOneByte() {
    assertThatThrownBy(() -> Ioctls.io(0x1AE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 bits");
  }

  @Test
  void errnoNamesAreSymbolic() {
    assertThat(Errno.name(22)).isEqualTo("EINVAL");
    assertThat(Errno.name(4)).isEqualTo("EINTR");
    assertThat(Errno.name(9999)).isEqualTo("errno 9999");
  }
}
