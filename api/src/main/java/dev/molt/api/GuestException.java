package dev.molt.api;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An abnormal guest exit: the guest aborted, faulted, ran past its time limit, was killed or
 * broke the call protocol. These poison the sandbox (guest memory is in an unknown state); a
 * substrate may report {@link SandboxStatus.Unrecoverable} instead where restore cannot help. An
 * error the guest <em>reports</em> is not one of these: it is a normal result and leaves the
 * sandbox Ready.
 */
public abstract sealed class GuestException extends SandboxException
    permits GuestAbortedException,
        GuestFaultException,
        CallTimedOutException,
        CallKilledException,
        ProtocolViolationException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what happened
   * @param leftIn the status the sandbox was left in
   * @param cause the underlying failure, if any
   */
  GuestException(String message, SandboxStatus leftIn, @Nullable Throwable cause) {
    super(message, leftIn, cause);
  }
}
