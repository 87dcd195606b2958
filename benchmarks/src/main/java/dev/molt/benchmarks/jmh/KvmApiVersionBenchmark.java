package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.kvm.KvmSyscalls;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@code ioctl(KVM_GET_API_VERSION)} through jnr-ffi on an open {@code /dev/kvm} fd; the floor
 * does the same ioctl from C ({@code floor api-version}), so the ratio is jnr-ffi's per-call cost.
 * Two bindings: {@link #apiVersion()} declares {@code ioctl} variadic (as libc does),
 * {@link #apiVersionFixedArity()} with a fixed arity.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KvmApiVersionBenchmark {
  private final KvmSyscalls sys = KvmSyscalls.load();
  private final KvmSyscalls.FixedArity fixed = KvmSyscalls.FixedArity.load();
  private int kvmFd = -1;

  /** Creates the state; JMH instantiates it. */
  public KvmApiVersionBenchmark() {}

  /**
   * Opens {@code /dev/kvm}.
   *
   * @throws IllegalStateException if it cannot be opened
   */
  @Setup
  public void open() {
    kvmFd = sys.open("/dev/kvm", KvmSyscalls.O_RDWR | KvmSyscalls.O_CLOEXEC);
    if (kvmFd < 0) {
      throw new IllegalStateException("cannot open /dev/kvm read-write (run as root or join kvm)");
    }
  }

  /**
   * The measured call.
   *
   * @return the API version (12), so that the call cannot be eliminated
   * @throws IllegalStateException if the kernel answers anything else
   */
  @Benchmark
  public int apiVersion() {
    return verified(sys.ioctl(kvmFd, KvmSyscalls.KVM_GET_API_VERSION, 0));
  }

  /**
   * The measured call through the fixed-arity binding.
   *
   * @return the API version (12), so that the call cannot be eliminated
   * @throws IllegalStateException if the kernel answers anything else
   */
  @Benchmark
  public int apiVersionFixedArity() {
    return verified(fixed.ioctl(kvmFd, KvmSyscalls.KVM_GET_API_VERSION, 0));
  }

  private static int verified(int version) {
    if (version != KvmSyscalls.KVM_API_VERSION) {
      throw new IllegalStateException("KVM_GET_API_VERSION returned " + version + ", expected 12");
    }
    return version;
  }

  /** Closes {@code /dev/kvm}. */
  @TearDown
  public void close() {
    if (kvmFd >= 0) {
      sys.close(kvmFd);
      kvmFd = -1;
    }
  }
}
