package dev.molt.api;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a sandbox can still do. A closed set of three:
 *
 * <ul>
 *   <li>{@link Ready}: everything is allowed (calls, snapshots, transitions, restore, close);
 *   <li>{@link Poisoned}: an abnormal guest exit (fault, abort, protocol violation, kill, time
 *       limit) left guest memory in an unknown state; only restoring a snapshot (or a devolve,
 *       which is a restore) and closing are allowed, and a successful restore makes it Ready again;
 *   <li>{@link Unrecoverable}: the substrate itself is broken (a restore failed, the VM died);
 *       only {@link Sandbox#close()} is allowed.
 * </ul>
 */
public sealed interface SandboxStatus extends Serializable
    permits SandboxStatus.Ready, SandboxStatus.Poisoned, SandboxStatus.Unrecoverable {

  /** The kinds of things a caller may do with a sandbox, as gated by its status. */
  enum Operation {
    /** Calling a guest function. */
    CALL,
    /** Capturing a snapshot. */
    SNAPSHOT,
    /** Running a forward or sideways transition (evolve, move). */
    TRANSITION,
    /** Restoring a snapshot or running a devolve (which restores a rollback point). */
    RESTORE,
    /** Closing the sandbox. */
    CLOSE
  }

  /**
   * The operations this status allows.
   *
   * @return an unmodifiable set
   */
  Set<Operation> allowed();

  /**
   * Whether {@code operation} is allowed in this status.
   *
   * @param operation the operation to check
   * @return true if allowed
   */
  default boolean allows(Operation operation) {
    return allowed().contains(Objects.requireNonNull(operation, "operation"));
  }

  /**
   * Throws unless {@code operation} is allowed in this status.
   *
   * @param operation the operation the caller is about to perform
   * @param what a short description of the sandbox, used in the message
   * @throws IllegalStateException naming the status, its reason and what is still allowed
   */
  default void require(Operation operation, String what) {
    if (!allows(operation)) {
      throw new IllegalStateException(
          what + " is " + this + ": " + operation + " is not allowed; allowed: " + allowed());
    }
  }

  /**
   * The Ready status.
   *
   * @return the Ready status
   */
  static Ready ready() {
    return Ready.INSTANCE;
  }

  /**
   * A Poisoned status.
   *
   * @param reason what poisoned the sandbox
   * @return a Poisoned status
   */
  static Poisoned poisoned(String reason) {
    return new Poisoned(reason);
  }

  /**
   * An Unrecoverable status.
   *
   * @param reason what broke the sandbox
   * @return an Unrecoverable status
   */
  static Unrecoverable unrecoverable(String reason) {
    return new Unrecoverable(reason);
  }

  /** Everything is allowed. */
  record Ready() implements SandboxStatus {
    private static final Ready INSTANCE = new Ready();
    private static final Set<Operation> ALLOWED =
        java.util.Collections.unmodifiableSet(EnumSet.allOf(Operation.class));

    @Override
    public Set<Operation> allowed() {
      return ALLOWED;
    }

    @Override
    public String toString() {
      return "Ready";
    }
  }

  /**
   * Guest memory is in an unknown state: restore a snapshot (or devolve) to recover, or close.
   *
   * @param reason what poisoned the sandbox
   */
  record Poisoned(String reason) implements SandboxStatus {
    private static final Set<Operation> ALLOWED =
        java.util.Collections.unmodifiableSet(EnumSet.of(Operation.RESTORE, Operation.CLOSE));

    /**
     * Validates the reason.
     *
     * @param reason what poisoned the sandbox
     */
    public Poisoned {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Set<Operation> allowed() {
      return ALLOWED;
    }

    @Override
    public String toString() {
      return "Poisoned (" + reason + ")";
    }
  }

  /**
   * The substrate is broken: only close is allowed.
   *
   * @param reason what broke the sandbox
   */
  record Unrecoverable(String reason) implements SandboxStatus {
    private static final Set<Operation> ALLOWED =
        java.util.Collections.unmodifiableSet(EnumSet.of(Operation.CLOSE));

    /**
     * Validates the reason.
     *
     * @param reason what broke the sandbox
     */
    public Unrecoverable {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Set<Operation> allowed() {
      return ALLOWED;
    }

    @Override
    public String toString() {
      return "Unrecoverable (" + reason + ")";
    }
  }
}
