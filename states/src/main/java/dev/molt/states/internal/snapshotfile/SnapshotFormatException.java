package dev.molt.states.internal.snapshotfile;

import dev.molt.api.SandboxStatus;
import dev.molt.api.SnapshotIncompatibleException;
import java.util.Objects;

/**
 * A snapshot file Molt refuses to load (or could not write). The {@link Problem} says what kind of
 * defect it is; the message names the field and the values found and expected. Maps to {@link
 * SnapshotIncompatibleException.Reason#FORMAT} at the API ({@link #toIncompatible}).
 */
public final class SnapshotFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of defects the reader tells apart. */
  public enum Problem {
    /** The file (or a section) ends before a field it must contain. */
    TRUNCATED,
    /** A SHA-256 digest (header or section) does not match the bytes. */
    CHECKSUM,
    /** The file does not start with the magic bytes. */
    MAGIC,
    /** The format version is not one this reader understands. */
    VERSION,
    /** A size exceeds a configured limit or overflows. */
    LIMIT,
    /** A count (sections, regions, vCPUs, host functions, features, parameters) is out of range. */
    COUNT,
    /** A string is not well-formed UTF-8 or a name is not valid. */
    ENCODING,
    /** The snapshot was taken on a CPU this host cannot stand in for. */
    CPU_MISMATCH,
    /** A memory region is misaligned, overlapping or outside the guest-physical range. */
    LAYOUT,
    /** Sections are missing, duplicated, misaligned, overlapping, or bytes are left over. */
    STRUCTURE,
    /** A register or field holds a value outside its range. */
    VALUE,
    /** Reading or writing the file failed. */
    IO
  }

  private final Problem problem;
  private final String detail;

  SnapshotFormatException(Problem problem, String message) {
    super(Objects.requireNonNull(problem, "problem") + ": " + message);
    this.problem = problem;
    this.detail = problem + ": " + message;
  }

  SnapshotFormatException(Problem problem, String message, Throwable cause) {
    super(Objects.requireNonNull(problem, "problem") + ": " + message, cause);
    this.problem = problem;
    this.detail = problem + ": " + message;
  }

  /**
   * What kind of defect.
   *
   * @return the problem
   */
  public Problem problem() {
    return problem;
  }

  /**
   * The API exception for this defect ({@link SnapshotIncompatibleException.Reason#CPU} for a CPU
   * mismatch, {@link SnapshotIncompatibleException.Reason#FORMAT} for every other), with this
   * exception's message; this exception is attached as a suppressed exception.
   *
   * @param leftIn the status of the sandbox concerned (unchanged), or Unrecoverable when no
   *     sandbox exists yet
   * @return the exception to throw
   */
  public SnapshotIncompatibleException toIncompatible(SandboxStatus leftIn) {
    SnapshotIncompatibleException e =
        new SnapshotIncompatibleException(
            problem == Problem.CPU_MISMATCH
                ? SnapshotIncompatibleException.Reason.CPU
                : SnapshotIncompatibleException.Reason.FORMAT,
            detail,
            leftIn);
    // The API exception fixes its cause to null; keep this one reachable as a suppressed exception.
    e.addSuppressed(this);
    return e;
  }
}
