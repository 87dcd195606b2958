package dev.molt.api;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A failure of the guest, the substrate or a sandbox operation (not a caller mistake: those are
 * {@link IllegalArgumentException}, {@link IllegalStateException} and {@link
 * NullPointerException}). Every subtype says in {@link #leftIn()} what the sandbox it concerns can
 * still do.
 *
 * <p>The hierarchy is sealed so a handler can switch over it exhaustively; {@link
 * SubstrateException} is the one open branch, for kernel and VMM failures of a concrete substrate.
 */
public abstract sealed class SandboxException extends Exception
    permits GuestException,
        GuestErrorException,
        HostFunctionException,
        SandboxBusyException,
        SnapshotIncompatibleException,
        KvmUnavailableException,
        TransitionFailedException,
        SubstrateException {

  private static final long serialVersionUID = 1L;

  /** The status the sandbox was left in. */
  private final SandboxStatus leftIn;

  /**
   * Creates an exception.
   *
   * @param message what happened
   * @param leftIn what the sandbox can still do
   * @param cause the underlying failure, if any
   */
  SandboxException(String message, SandboxStatus leftIn, @Nullable Throwable cause) {
    super(
        Objects.requireNonNull(message, "message")
            + " [sandbox left "
            + Objects.requireNonNull(leftIn, "leftIn")
            + "]",
        cause);
    this.leftIn = leftIn;
  }

  /**
   * What the sandbox this failure concerns can still do: {@link SandboxStatus.Ready} (nothing
   * changed, or Molt restored a rollback point), {@link SandboxStatus.Poisoned} (restore a
   * snapshot to recover) or {@link SandboxStatus.Unrecoverable} (close it). For failures that
   * happen while creating a sandbox no sandbox exists and this is {@link
   * SandboxStatus.Unrecoverable}.
   *
   * @return the status after the failure
   */
  public final SandboxStatus leftIn() {
    return leftIn;
  }
}
