package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Errno;

/**
 * A system call or KVM ioctl failed. Carries the operation, the {@code errno} value and its
 * symbolic name. The object that issued the call is left as it was before the call unless the
 * throwing method documents otherwise.
 */
public final class KvmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The failed operation. */
  private final String operation;

  /** The errno value, 0 when the call succeeded with an unusable result. */
  private final int errno;

  /**
   * Creates the exception; the message is {@code "<operation> failed: <NAME> (errno <n>)"}.
   *
   * @param operation the failed operation, e.g. {@code "KVM_CREATE_VM"}
   * @param errno the errno value the kernel returned
   */
  public KvmException(String operation, int errno) {
    super(operation + " failed: " + Errno.name(errno) + " (errno " + errno + ")");
    this.operation = operation;
    this.errno = errno;
  }

  /**
   * Creates an exception for a call that succeeded with an unusable result (errno 0).
   *
   * @param operation the operation, e.g. {@code "KVM_GET_API_VERSION"}
   * @param problem what was wrong with the result
   */
  public KvmException(String operation, String problem) {
    super(operation + ": " + problem);
    this.operation = operation;
    this.errno = 0;
  }

  /**
   * The failed operation.
   *
   * @return e.g. {@code "KVM_SET_USER_MEMORY_REGION"}
   */
  public String operation() {
    return operation;
  }

  /**
   * The errno value.
   *
   * @return e.g. 22, or 0 when the call succeeded with an unusable result
   */
  public int errno() {
    return errno;
  }

  /**
   * The symbolic errno name.
   *
   * @return e.g. {@code "EINVAL"}
   */
  public String errnoName() {
    return Errno.name(errno);
  }
}
