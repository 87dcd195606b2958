package dev.molt.api;

import java.util.Objects;

/**
 * A state was used after a transition consumed it. Names the state, the transition that consumed
 * it and the state it became. A caller mistake, hence an {@link IllegalStateException}.
 */
public final class SandboxConsumedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** The consumed state's simple class name. */
  private final String state;

  /** The transition that consumed it. */
  private final String transition;

  /** The state it became. */
  private final String became;

  /**
   * Creates an exception.
   *
   * @param state the consumed state's name
   * @param transition the transition that consumed it
   * @param became the state it became
   */
  public SandboxConsumedException(String state, String transition, String became) {
    super(
        Objects.requireNonNull(state, "state")
            + " was consumed by transition '"
            + Objects.requireNonNull(transition, "transition")
            + "' and became "
            + Objects.requireNonNull(became, "became")
            + "; only close() is allowed on it");
    this.state = state;
    this.transition = transition;
    this.became = became;
  }

  /**
   * The consumed state's name.
   *
   * @return the name
   */
  public String state() {
    return state;
  }

  /**
   * The transition that consumed it.
   *
   * @return the transition's name
   */
  public String transition() {
    return transition;
  }

  /**
   * The state it became.
   *
   * @return the name of the resulting state
   */
  public String became() {
    return became;
  }
}
