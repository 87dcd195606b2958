package dev.molt.benchmarks.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

@RequiresKvm
class KvmSyscallsKvmTest {
  private static final KvmSyscalls SYS = KvmSyscalls.load();

  @Test
  void apiVersionThroughTheVariadicBindingIsTwelve() {
    assertThat(withKvmFd(fd -> SYS.ioctl(fd, KvmSyscalls.KVM_GET_API_VERSION, 0)))
        .isEqualTo(KvmSyscalls.KVM_API_VERSION);
  }

  @Test
  void apiVersionThroughTheFixedArityBindingIsTwelve() {
    KvmSyscalls.FixedArity fixed = KvmSyscalls.FixedArity.load();
    assertThat(withKvmFd(fd -> fixed.ioctl(fd, KvmSyscalls.KVM_GET_API_VERSION, 0)))
        .isEqualTo(KvmSyscalls.KVM_API_VERSION);
  }

  private static int withKvmFd(IntUnaryOperator call) {
    int fd = SYS.open("/dev/kvm", KvmSyscalls.O_RDWR | KvmSyscalls.O_CLOEXEC);
    assertThat(fd).isNotNegative();
    try {
      return call.applyAsInt(fd);
    } finally {
      assertThat(SYS.close(fd)).isZero();
    }
  }
}
