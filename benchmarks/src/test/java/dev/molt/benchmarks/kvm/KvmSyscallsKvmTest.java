package dev.molt.benchmarks.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.Test;

@RequiresKvm
class KvmSyscallsKvmTest {

  @Test
  void apiVersionThroughJnrIsTwelve() {
    KvmSyscalls sys = KvmSyscalls.load();
    int fd = sys.open("/dev/kvm", KvmSyscalls.O_RDWR | KvmSyscalls.O_CLOEXEC);
    assertThat(fd).isNotNegative();
    try {
      assertThat(sys.ioctl(fd, KvmSyscalls.KVM_GET_API_VERSION, 0))
          .isEqualTo(KvmSyscalls.KVM_API_VERSION);
    } finally {
      assertThat(sys.close(fd)).isZero();
    }
  }
}
