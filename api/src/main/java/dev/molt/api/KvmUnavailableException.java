package dev.molt.api;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * KVM cannot be used on this machine ({@code /dev/kvm} missing, not accessible, or too old). No
 * sandbox was created, so {@link #leftIn()} is {@link SandboxStatus.Unrecoverable}.
 */
public final class KvmUnavailableException extends SandboxException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param reason what is missing and how to fix it
   * @param cause the underlying failure, if any
   */
  public KvmUnavailableException(String reason, @Nullable Throwable cause) {
    super(
        "KVM is unavailable: " + Objects.requireNonNull(reason, "reason"),
        SandboxStatus.unrecoverable("no sandbox was created"),
        cause);
  }
}
