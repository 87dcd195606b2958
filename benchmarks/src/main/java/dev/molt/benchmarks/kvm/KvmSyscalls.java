package dev.molt.benchmarks.kvm;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.Variadic;

/**
 * The few libc calls the benchmarks' Java-only KVM row needs, bound through jnr-ffi. Not API:
 * public and exported only because jnr-ffi generates its implementation in another module.
 */
public interface KvmSyscalls {
  /** {@code O_RDWR} from {@code <fcntl.h>}. */
  int O_RDWR = 2;

  /** {@code O_CLOEXEC} from {@code <fcntl.h>} (x86-64). */
  int O_CLOEXEC = 0x80000;

  /** {@code KVM_GET_API_VERSION = _IO(0xAE, 0x00)}. */
  long KVM_GET_API_VERSION = 0xAE00L;

  /** The KVM API version every supported kernel reports. */
  int KVM_API_VERSION = 12;

  /**
   * Loads the binding from the C library.
   *
   * @return the binding
   */
  static KvmSyscalls load() {
    return LibraryLoader.create(KvmSyscalls.class).load("c");
  }

  /**
   * {@code open(2)}.
   *
   * @param path the file
   * @param flags open flags
   * @return the file descriptor, or -1 (errno set)
   */
  int open(String path, int flags);

  /**
   * {@code close(2)}.
   *
   * @param fd the file descriptor
   * @return 0, or -1 (errno set)
   */
  int close(int fd);

  /**
   * {@code ioctl(2)} with an integer argument; variadic in C.
   *
   * @param fd the file descriptor
   * @param request the request number
   * @param arg the argument
   * @return the request's result, or -1 (errno set)
   */
  @Variadic(fixedCount = 2)
  int ioctl(int fd, long request, long arg);

  /**
   * {@code ioctl(2)} declared with a fixed arity of three integer arguments. On x86-64 System V a
   * call through this prototype passes the same registers as the variadic call (integer
   * arguments only; the callee reads the third through {@code va_arg}), and jnr-ffi takes its
   * faster fixed-arity path: measured here ≈ 90 ns less per call than {@link #ioctl}.
   */
  interface FixedArity {
    /**
     * Loads the binding from the C library.
     *
     * @return the binding
     */
    static FixedArity load() {
      return LibraryLoader.create(FixedArity.class).load("c");
    }

    /**
     * {@code ioctl(2)} with an integer argument.
     *
     * @param fd the file descriptor
     * @param request the request number
     * @param arg the argument
     * @return the request's result, or -1 (errno set)
     */
    int ioctl(int fd, long request, long arg);
  }
}
