package dev.molt.vmm.internal.sys;

import dev.molt.vmm.KvmException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jnr.ffi.LibraryLoader;

/**
 * Checked wrappers over {@link LibC}: each call checks the result and throws {@link KvmException}
 * naming the operation and errno. Also holds the Linux constants the module uses.
 */
public final class Sys {
  /** {@code O_RDWR}. */
  public static final int O_RDWR = 2;
  /** {@code O_CLOEXEC}. */
  public static final int O_CLOEXEC = 0x80000;
  /** {@code PROT_NONE}. */
  public static final int PROT_NONE = 0;
  /** {@code PROT_READ}. */
  public static final int PROT_READ = 1;
  /** {@code PROT_WRITE}. */
  public static final int PROT_WRITE = 2;
  /** {@code MAP_SHARED}. */
  public static final int MAP_SHARED = 0x01;
  /** {@code MAP_PRIVATE}. */
  public static final int MAP_PRIVATE = 0x02;
  /** {@code MAP_FIXED}. */
  public static final int MAP_FIXED = 0x10;
  /** {@code MAP_ANONYMOUS}. */
  public static final int MAP_ANONYMOUS = 0x20;
  /** {@code MAP_NORESERVE}. */
  public static final int MAP_NORESERVE = 0x4000;
  /** {@code MFD_CLOEXEC}. */
  public static final int MFD_CLOEXEC = 1;
  /** {@code MFD_ALLOW_SEALING}. */
  public static final int MFD_ALLOW_SEALING = 2;
  /** {@code F_ADD_SEALS}. */
  public static final int F_ADD_SEALS = 1033;
  /** {@code F_GET_SEALS}. */
  public static final int F_GET_SEALS = 1034;
  /** {@code F_SEAL_SEAL}. */
  public static final int F_SEAL_SEAL = 1;
  /** {@code F_SEAL_SHRINK}. */
  public static final int F_SEAL_SHRINK = 2;
  /** {@code F_SEAL_GROW}. */
  public static final int F_SEAL_GROW = 4;
  /** {@code F_SEAL_WRITE}. */
  public static final int F_SEAL_WRITE = 8;
  /** {@code MADV_DONTNEED}. */
  public static final int MADV_DONTNEED = 4;
  /** {@code SIG_BLOCK}. */
  public static final int SIG_BLOCK = 0;
  /** {@code SIG_UNBLOCK}. */
  public static final int SIG_UNBLOCK = 1;
  /** {@code SIG_SETMASK}. */
  public static final int SIG_SETMASK = 2;
  /** Size of glibc's {@code sigset_t}. */
  public static final int LIBC_SIGSET_SIZE = 128;
  /** Size of the kernel's signal set (what {@code KVM_SET_SIGNAL_MASK} expects). */
  public static final int KERNEL_SIGSET_SIZE = 8;
  /** Size of {@code siginfo_t}. */
  public static final int SIGINFO_SIZE = 128;
  /** The page size on x86-64. */
  public static final long PAGE_SIZE = 4096;

  private static final long SYS_MMAP = 9;
  private static final long SYS_PWRITE64 = 18;
  private static final long SYS_GETTID = 186;
  private static final long SYS_TGKILL = 234;
  private static final long SIG_DFL = 0;
  private static final long SIG_IGN = 1;
  private static final long MAP_FAILED = -1L;

  private static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

  private Sys() {}

  /**
   * The raw binding.
   *
   * @return the loaded C library
   */
  public static LibC libc() {
    return LIBC;
  }

  /**
   * The {@code errno} saved by the last call on this thread.
   *
   * @return the errno value
   */
  public static int errno() {
    return RUNTIME.getLastError();
  }

  /**
   * Throws for a negative result.
   *
   * @param result the call's return value
   * @param operation the operation name for the exception
   * @return {@code result} when it is not negative
   * @throws KvmException when {@code result < 0}
   */
  public static int check(int result, String operation) {
    if (result < 0) {
      throw new KvmException(operation, errno());
    }
    return result;
  }

  /**
   * {@code open(path, O_RDWR | O_CLOEXEC)}.
   *
   * @param path the file
   * @return the new file descriptor
   */
  public static int openReadWrite(String path) {
    return check(LIBC.open(path, O_RDWR | O_CLOEXEC), "open(" + path + ")");
  }

  /**
   * Closes a file descriptor. Not retried on EINTR (on Linux the descriptor is released anyway).
   *
   * @param fd the descriptor
   * @param what what the descriptor is, for the exception message
   */
  public static void close(int fd, String what) {
    check(LIBC.close(fd), "close(" + what + ")");
  }

  /**
   * An ioctl whose result is checked.
   *
   * @param fd the descriptor
   * @param request the request number
   * @param argument an integer argument or the address of the argument structure
   * @param operation the request's name
   * @return the non-negative result
   */
  public static int ioctl(int fd, long request, long argument, String operation) {
    return check(LIBC.ioctl(fd, request, argument), operation);
  }

  /**
   * {@code mmap}; throws on {@code MAP_FAILED}.
   *
   * @param address hint or fixed address
   * @param length length in bytes
   * @param prot protection bits
   * @param flags mapping flags
   * @param fd backing descriptor or -1
   * @param offset file offset
   * @param what what is being mapped, for the exception message
   * @return the address of the mapping
   */
  public static long mmap(
      long address, long length, int prot, int flags, int fd, long offset, String what) {
    long result = LIBC.syscall(SYS_MMAP, address, length, prot, flags, fd, offset);
    if (result == MAP_FAILED) {
      throw new KvmException("mmap(" + what + ")", errno());
    }
    return result;
  }

  /**
   * {@code munmap}.
   *
   * @param address the mapping
   * @param length its length
   * @param what what is being unmapped
   */
  public static void munmap(long address, long length, String what) {
    check(LIBC.munmap(address, length), "munmap(" + what + ")");
  }

  /**
   * {@code memfd_create(name, MFD_CLOEXEC)} sized with {@code ftruncate}.
   *
   * @param name the debugging name
   * @param size the size in bytes
   * @return the descriptor
   */
  public static int memfd(String name, long size) {
    int fd = check(LIBC.memfd_create(name, MFD_CLOEXEC), "memfd_create(" + name + ")");
    if (LIBC.ftruncate(fd, size) < 0) {
      int errno = errno();
      LIBC.close(fd);
      throw new KvmException("ftruncate(memfd " + name + ")", errno);
    }
    return fd;
  }

  /**
   * {@code memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING)} sized with {@code ftruncate}.
   *
   * @param name the debugging name
   * @param size the size in bytes
   * @return the descriptor
   */
  public static int sealableMemfd(String name, long size) {
    int fd =
        check(
            LIBC.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING),
            "memfd_create(" + name + ")");
    if (LIBC.ftruncate(fd, size) < 0) {
      int errno = errno();
      LIBC.close(fd);
      throw new KvmException("ftruncate(memfd " + name + ")", errno);
    }
    return fd;
  }

  /**
   * Adds seals to a memfd ({@code fcntl(F_ADD_SEALS)}).
   *
   * @param fd the memfd
   * @param seals the {@code F_SEAL_*} bits
   */
  public static void addSeals(int fd, int seals) {
    check(LIBC.fcntl(fd, F_ADD_SEALS, seals), "fcntl(F_ADD_SEALS)");
  }

  /**
   * The seals of a memfd ({@code fcntl(F_GET_SEALS)}).
   *
   * @param fd the memfd
   * @return the {@code F_SEAL_*} bits
   */
  public static int seals(int fd) {
    return check(LIBC.fcntl(fd, F_GET_SEALS, 0), "fcntl(F_GET_SEALS)");
  }

  /**
   * Writes {@code length} bytes from host memory at {@code address} to {@code fd} at {@code
   * offset}, retrying short writes and EINTR.
   *
   * @param fd the destination
   * @param address the source (the caller guarantees {@code length} readable bytes there)
   * @param length the byte count
   * @param offset the file offset
   * @param what what is written, for the exception message
   */
  public static void pwriteFully(int fd, long address, long length, long offset, String what) {
    long done = 0;
    while (done < length) {
      long n = LIBC.syscall(SYS_PWRITE64, fd, address + done, length - done, offset + done, 0, 0);
      if (n < 0) {
        int errno = errno();
        if (errno == Errno.EINTR) {
          continue;
        }
        throw new KvmException("pwrite(" + what + ")", errno);
      }
      if (n == 0) {
        throw new KvmException("pwrite(" + what + ")", "wrote nothing (no space left?)");
      }
      done += n;
    }
  }

  /**
   * The kernel thread id of the calling thread.
   *
   * @return {@code gettid()}
   */
  public static int gettid() {
    return (int) LIBC.syscall(SYS_GETTID, 0, 0, 0, 0, 0, 0);
  }

  /**
   * {@code tgkill(getpid(), tid, signal)}.
   *
   * @param tid the target thread
   * @param signal the signal
   * @return 0, or the errno (e.g. {@link Errno#ESRCH} when the thread is gone)
   */
  public static int tgkill(int tid, int signal) {
    long rc = LIBC.syscall(SYS_TGKILL, PID, tid, signal, 0, 0, 0);
    return rc < 0 ? errno() : 0;
  }

  private static final int PID = LIBC.getpid();

  /**
   * The real-time signal used to kick vCPU threads out of {@code KVM_RUN}: SIGRTMIN+2. Its
   * process-wide disposition is set to ignore (it is only ever delivered while blocked, so no
   * handler runs); if another component installed a handler for it, this fails.
   *
   * @return the signal number
   */
  public static int kickSignal() {
    if (!KickSignal.USABLE) {
      throw new IllegalStateException(
          "signal "
              + KickSignal.NUMBER
              + " (SIGRTMIN+2), which Molt uses to interrupt vCPUs, already has a handler");
    }
    return KickSignal.NUMBER;
  }

  private static final class KickSignal {
    static final int NUMBER = LIBC.__libc_current_sigrtmin() + 2;
    static final boolean USABLE = claim();

    private static boolean claim() {
      long previous = LIBC.signal(NUMBER, SIG_IGN);
      if (previous != SIG_DFL && previous != SIG_IGN) {
        LIBC.signal(NUMBER, previous); // someone else's: put it back and refuse
        return false;
      }
      return true;
    }
  }

  /**
   * Blocks a signal in the calling thread.
   *
   * @param signal the signal number
   */
  public static void blockInThisThread(int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment set = signalSet(arena, LIBC_SIGSET_SIZE, signal);
      int rc = LIBC.pthread_sigmask(SIG_BLOCK, set.address(), 0);
      if (rc != 0) {
        throw new KvmException("pthread_sigmask(SIG_BLOCK)", rc);
      }
    }
  }

  /**
   * The calling thread's blocked-signal mask, as the kernel's 64-bit set.
   *
   * @return bit {@code n-1} set when signal {@code n} is blocked
   */
  public static long blockedSignalsOfThisThread() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment old = arena.allocate(LIBC_SIGSET_SIZE);
      int rc = LIBC.pthread_sigmask(SIG_BLOCK, 0, old.address());
      if (rc != 0) {
        throw new KvmException("pthread_sigmask(query)", rc);
      }
      return old.get(ValueLayout.JAVA_LONG, 0);
    }
  }

  /**
   * Consumes every pending instance of {@code signal} in the calling thread without waiting.
   *
   * @param signal the signal number (must be blocked in this thread)
   * @return how many instances were drained
   */
  public static int drainPending(int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment set = signalSet(arena, LIBC_SIGSET_SIZE, signal);
      MemorySegment info = arena.allocate(SIGINFO_SIZE);
      MemorySegment zeroTimeout = arena.allocate(16);
      int drained = 0;
      while (true) {
        int rc = LIBC.sigtimedwait(set.address(), info.address(), zeroTimeout.address());
        if (rc == signal) {
          drained++;
          continue;
        }
        int errno = errno();
        if (rc < 0 && errno == Errno.EINTR) {
          continue; // interrupted by another signal: sigtimedwait may simply be called again
        }
        if (rc < 0 && errno != Errno.EAGAIN) {
          throw new KvmException("sigtimedwait", errno);
        }
        return drained;
      }
    }
  }

  private static MemorySegment signalSet(Arena arena, int size, int signal) {
    MemorySegment set = arena.allocate(size, 8);
    set.set(ValueLayout.JAVA_LONG, 0, 1L << (signal - 1));
    return set;
  }
}
