package dev.molt.api;

import org.checkerframework.checker.nullness.qual.Nullable;

/** A failure about host functions: one threw, or the ones offered do not match those required. */
public abstract sealed class HostFunctionException extends SandboxException
    permits HostFunctionFailedException, HostFunctionMismatchException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what happened
   * @param leftIn the status the sandbox was left in
   * @param cause the underlying failure, if any
   */
  HostFunctionException(String message, SandboxStatus leftIn, @Nullable Throwable cause) {
    super(message, leftIn, cause);
  }
}
