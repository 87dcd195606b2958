package dev.molt.api;

import java.util.Objects;

/**
 * One line of a sandbox's transition journal: which transition ran, between which states, and
 * how it ended. For error messages and debugging.
 *
 * @param sequence 1-based position in the sandbox's journal
 * @param transition the transition's name
 * @param kind its direction
 * @param from the simple name of the state it started from
 * @param to the simple name of the state it produced (or would have produced)
 * @param outcome how it ended
 * @param detail the failure message, or empty
 */
public record JournalEntry(
    long sequence,
    String transition,
    TransitionKind kind,
    String from,
    String to,
    Outcome outcome,
    String detail) {

  /** How a journaled transition ended. */
  public enum Outcome {
    /** It succeeded: {@code from} was consumed and {@code to} produced. */
    SUCCEEDED,
    /** It failed; {@code from} stayed with the caller, not rolled back. */
    FAILED,
    /** It failed and Molt restored the rollback point: {@code from} is as it was. */
    ROLLED_BACK
  }

  /**
   * Validates the components.
   *
   * @param sequence 1-based position
   * @param transition the transition's name
   * @param kind its direction
   * @param from the state it started from
   * @param to the state it produced
   * @param outcome how it ended
   * @param detail the failure message, or empty
   */
  public JournalEntry {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence is 1-based, was " + sequence);
    }
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return "#" + sequence + " " + transition + " (" + kind + ") " + from + " -> " + to + ": " + outcome
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
