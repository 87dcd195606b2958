package dev.molt.api;

import java.util.Objects;

/**
 * An operation that needs the sandbox to itself (a snapshot, a restore, a transition) was refused
 * because a guest call is in progress — on another thread, or on this one from inside a host
 * function. Nothing was changed: the sandbox keeps its status, and the operation may be retried
 * once the call returned.
 */
public final class SandboxBusyException extends SandboxException {

  private static final long serialVersionUID = 1L;

  /** The operation that was refused. */
  private final String operation;

  /**
   * Creates an exception.
   *
   * @param operation what was refused, e.g. {@code "snapshot"}
   * @param detail which call is in progress
   * @param leftIn the sandbox's status (unchanged)
   */
  public SandboxBusyException(String operation, String detail, SandboxStatus leftIn) {
    super(
        Objects.requireNonNull(operation, "operation")
            + " refused while a guest call is in progress: "
            + Objects.requireNonNull(detail, "detail"),
        leftIn,
        null);
    this.operation = operation;
  }

  /**
   * The operation that was refused.
   *
   * @return its name, e.g. {@code "snapshot"}
   */
  public String operation() {
    return operation;
  }
}
