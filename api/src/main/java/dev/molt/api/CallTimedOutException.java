package dev.molt.api;

import java.time.Duration;
import java.util.Objects;

/** A guest call ran past the per-call time limit and was stopped. Poisons the sandbox. */
public final class CallTimedOutException extends GuestException {

  private static final long serialVersionUID = 1L;

  /** The guest function that was running. */
  private final String function;

  /** The limit it exceeded. */
  private final Duration limit;

  /**
   * Creates an exception.
   *
   * @param function the guest function that was running
   * @param limit the limit it exceeded
   * @param leftIn the status the sandbox was left in (normally Poisoned)
   */
  public CallTimedOutException(String function, Duration limit, SandboxStatus leftIn) {
    super(
        "guest call '" + Objects.requireNonNull(function, "function") + "' exceeded its time limit of "
            + Objects.requireNonNull(limit, "limit"),
        leftIn,
        null);
    this.function = function;
    this.limit = limit;
  }

  /**
   * The guest function that was running.
   *
   * @return the function name
   */
  public String function() {
    return function;
  }

  /**
   * The limit it exceeded.
   *
   * @return the limit
   */
  public Duration limit() {
    return limit;
  }
}
