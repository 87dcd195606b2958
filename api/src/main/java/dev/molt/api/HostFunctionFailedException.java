package dev.molt.api;

import java.util.Objects;

/**
 * A host function threw. The guest receives an error result it can handle; the Java exception is
 * kept as the cause so the caller finally sees it. Leaves the sandbox Ready (the guest decides
 * what to do with the error).
 */
public final class HostFunctionFailedException extends HostFunctionException {

  private static final long serialVersionUID = 1L;

  /** The host function that threw. */
  private final String function;

  /**
   * Creates an exception.
   *
   * @param function the host function that threw
   * @param cause what it threw
   * @param leftIn the status the sandbox was left in (normally Ready)
   */
  public HostFunctionFailedException(String function, Throwable cause, SandboxStatus leftIn) {
    super(
        "host function '" + Objects.requireNonNull(function, "function") + "' failed: "
            + Objects.requireNonNull(cause, "cause"),
        leftIn,
        cause);
    this.function = function;
  }

  /**
   * The host function that threw.
   *
   * @return its name
   */
  public String function() {
    return function;
  }
}
