package dev.molt.vmm.internal.sys;

import jnr.ffi.annotations.Variadic;

/**
 * The C library functions the vmm module calls, bound by jnr-ffi. Pointers are passed and returned
 * as {@code long} addresses of memory the caller owns (allocated through {@code
 * java.lang.foreign}), so that no jnr type leaves this package. Every function saves {@code errno}
 * (jnr's default), read back with {@link Sys#errno()}.
 *
 * <p>Not API: public only because jnr-ffi implements it from an unnamed module.
 */
public interface LibC {
  /** {@code int open(const char *path, int flags)}. */
  int open(String path, int flags);

  /** {@code int close(int fd)}. */
  int close(int fd);

  /**
   * {@code int ioctl(int fd, unsigned long request, ...)} with one variadic argument: an integer or
   * the address of the argument structure.
   */
  @Variadic(fixedCount = 2)
  int ioctl(int fd, long request, long argument);

  /** {@code int fcntl(int fd, int cmd, ...)} with one integer argument. */
  @Variadic(fixedCount = 2)
  int fcntl(int fd, int command, long argument);

  /** {@code int munmap(void *addr, size_t length)}. */
  int munmap(long address, long length);

  /** {@code int mprotect(void *addr, size_t length, int prot)}. */
  int mprotect(long address, long length, int prot);

  /** {@code int madvise(void *addr, size_t length, int advice)}. */
  int madvise(long address, long length, int advice);

  /** {@code int memfd_create(const char *name, unsigned int flags)}. */
  int memfd_create(String name, int flags);

  /** {@code int ftruncate(int fd, off_t length)}. */
  int ftruncate(int fd, long length);

  /** {@code int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)}. */
  int pthread_sigmask(int how, long set, long oldSet);

  /** {@code int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *t)}. */
  int sigtimedwait(long set, long info, long timeout);

  /** {@code sighandler_t signal(int signum, sighandler_t handler)}. */
  long signal(int signal, long handler);

  /** {@code int __libc_current_sigrtmin(void)}: glibc's first real-time signal usable by us. */
  int __libc_current_sigrtmin();

  /** {@code pid_t getpid(void)}. */
  int getpid();

  /**
   * {@code long syscall(long number, ...)} with six arguments (unused ones are ignored). Also the
   * way to call {@code mmap}: a plain six-argument {@code mmap(long, long, int, int, int, long)}
   * binding gets its arguments wrong in jnr-ffi 2.3.4's generated invoker (EINVAL every time),
   * while this variadic form passes them correctly.
   */
  @Variadic(fixedCount = 1)
  long syscall(long number, long a, long b, long c, long d, long e, long f);
}
