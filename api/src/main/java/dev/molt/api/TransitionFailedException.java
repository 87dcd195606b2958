package dev.molt.api;

import java.util.Objects;

/**
 * A step of a transition (an evolve, a composed transition, a chain) failed. Says which step,
 * why ({@link #failure()}), whether Molt rolled the sandbox back, and what the caller's input can
 * still do.
 */
public final class TransitionFailedException extends SandboxException {

  private static final long serialVersionUID = 1L;

  /** The 1-based index of the failed step. */
  private final int step;

  /** The failed step's name. */
  private final String stepName;

  /** Whether Molt restored a rollback point before throwing. */
  private final boolean rolledBack;

  /** Why the step failed (also the cause). */
  private final SandboxException failure;

  /**
   * Creates an exception.
   *
   * @param step the 1-based index of the failed step
   * @param stepName the failed step's name
   * @param failure why it failed
   * @param leftIn what the caller's input can still do
   * @param rolledBack whether Molt restored a rollback point before throwing
   * @throws IllegalArgumentException if {@code step} is less than 1
   */
  public TransitionFailedException(
      int step, String stepName, SandboxException failure, SandboxStatus leftIn, boolean rolledBack) {
    super(describe(step, stepName, failure, rolledBack), leftIn, failure);
    this.step = step;
    this.stepName = stepName;
    this.rolledBack = rolledBack;
    this.failure = failure;
  }

  private static String describe(int step, String stepName, SandboxException failure, boolean rolledBack) {
    if (step < 1) {
      throw new IllegalArgumentException("step is 1-based, was " + step);
    }
    return "step "
        + step
        + " '"
        + Objects.requireNonNull(stepName, "stepName")
        + "' failed"
        + (rolledBack ? " and was rolled back" : "")
        + ": "
        + Objects.requireNonNull(failure, "failure").getMessage();
  }

  /**
   * The 1-based index of the failed step.
   *
   * @return the step
   */
  public int step() {
    return step;
  }

  /**
   * The failed step's name.
   *
   * @return the name
   */
  public String stepName() {
    return stepName;
  }

  /**
   * Why the step failed.
   *
   * @return the step's own exception
   */
  public SandboxException failure() {
    return failure;
  }

  /**
   * Whether Molt restored a rollback point before throwing.
   *
   * @return true if the sandbox was rolled back
   */
  public boolean rolledBack() {
    return rolledBack;
  }
}
