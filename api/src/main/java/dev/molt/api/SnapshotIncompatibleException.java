package dev.molt.api;

import java.util.Objects;

/**
 * A snapshot cannot be restored here: it belongs to another sandbox lineage, another memory
 * layout, or cannot be read. Nothing was changed: the sandbox keeps the status it had.
 */
public final class SnapshotIncompatibleException extends SandboxException {

  private static final long serialVersionUID = 1L;

  /** Why a snapshot does not fit. */
  public enum Reason {
    /** The snapshot was taken in a sandbox of another lineage. */
    LINEAGE,
    /** The snapshot's memory layout differs from the sandbox's. */
    LAYOUT,
    /** The snapshot's state class is not part of the family asked to restore it. */
    STATE,
    /** The snapshot's data is malformed, truncated or of an unsupported version. */
    FORMAT,
    /**
     * The snapshot was taken on a CPU of another vendor, or one with instruction-set extensions
     * this host lacks (guest code that detected them would fault here).
     */
    CPU
  }

  /** Why it does not fit. */
  private final Reason reason;

  /**
   * Creates an exception.
   *
   * @param reason why the snapshot does not fit
   * @param detail the facts (expected and actual values)
   * @param leftIn the status the sandbox was left in (unchanged by the attempt)
   */
  public SnapshotIncompatibleException(Reason reason, String detail, SandboxStatus leftIn) {
    super(
        "snapshot incompatible ("
            + Objects.requireNonNull(reason, "reason")
            + "): "
            + Objects.requireNonNull(detail, "detail"),
        leftIn,
        null);
    this.reason = reason;
  }

  /**
   * Why the snapshot does not fit.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
