package dev.molt.api;

import java.util.Objects;

/** A guest call was stopped through the sandbox's interrupt handle. Poisons the sandbox. */
public final class CallKilledException extends GuestException {

  private static final long serialVersionUID = 1L;

  /** The guest function that was running. */
  private final String function;

  /**
   * Creates an exception.
   *
   * @param function the guest function that was running
   * @param leftIn the status the sandbox was left in (normally Poisoned)
   */
  public CallKilledException(String function, SandboxStatus leftIn) {
    super(
        "guest call '" + Objects.requireNonNull(function, "function") + "' was killed",
        leftIn,
        null);
    this.function = function;
  }

  /**
   * The guest function that was running.
   *
   * @return the function name
   */
  public String function() {
    return function;
  }
}
