package dev.molt.vmm.internal.sys;

/** Symbolic names of Linux x86-64 {@code errno} values, for exception messages. */
public final class Errno {
  /** Interrupted system call. */
  public static final int EINTR = 4;
  /** Resource temporarily unavailable. */
  public static final int EAGAIN = 11;
  /** No such process. */
  public static final int ESRCH = 3;

  private static final String[] NAMES = {
    "0", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
    "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV",
    "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
    "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG",
    "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP"
  };

  private Errno() {}

  /**
   * The symbolic name of an errno value.
   *
   * @param errno the value
   * @return e.g. {@code "EINVAL"}, or {@code "errno <n>"} for values without a known name
   */
  public static String name(int errno) {
    if (errno > 0 && errno < NAMES.length) {
      return NAMES[errno];
    }
    return switch (errno) {
      case 75 -> "EOVERFLOW";
      case 95 -> "EOPNOTSUPP";
      case 110 -> "ETIMEDOUT";
      default -> "errno " + errno;
    };
  }
}
