package dev.molt.api;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A failure of the substrate below a sandbox (a kernel call, a memory mapping, a snapshot file),
 * as opposed to the guest. The one open branch of {@link SandboxException}: concrete substrates
 * subclass it to add their facts (an operation and an errno, for example).
 */
public non-sealed class SubstrateException extends SandboxException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what failed, with the facts
   * @param leftIn the status the sandbox was left in
   * @param cause the underlying failure, if any
   */
  public SubstrateException(String message, SandboxStatus leftIn, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), leftIn, cause);
  }
}
