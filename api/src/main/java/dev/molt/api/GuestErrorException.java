package dev.molt.api;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The guest <em>reported</em> an error: the guest function ended the call with an error result (in
 * the C runtime, {@code molt_fail(code, message)}) instead of a value. A reported error is a normal
 * result, not an abnormal exit: guest memory is consistent and the sandbox is normally left {@link
 * SandboxStatus.Ready}. (A substrate may report another status where the error ended a transition,
 * e.g. a failed guest initialisation.)
 *
 * <p>When a host function threw during the call, its {@link HostFunctionFailedException} is the
 * cause, so the Java exception is not lost.
 */
public final class GuestErrorException extends SandboxException {

  private static final long serialVersionUID = 1L;

  /** The guest function whose call reported the error. */
  private final String function;

  /** The guest's error code. */
  private final int code;

  /** The guest's message. */
  private final String guestMessage;

  /**
   * Creates an exception.
   *
   * @param function the guest function whose call reported the error
   * @param code the guest's error code
   * @param guestMessage the guest's message
   * @param leftIn the status the sandbox was left in (normally Ready)
   * @param cause a host function failure the guest reacted to, if any
   */
  public GuestErrorException(
      String function,
      int code,
      String guestMessage,
      SandboxStatus leftIn,
      @Nullable Throwable cause) {
    super(
        "guest function '"
            + Objects.requireNonNull(function, "function")
            + "' reported error "
            + code
            + ": "
            + Objects.requireNonNull(guestMessage, "guestMessage"),
        leftIn,
        cause);
    this.function = function;
    this.code = code;
    this.guestMessage = guestMessage;
  }

  /**
   * The guest function whose call reported the error.
   *
   * @return the function name
   */
  public String function() {
    return function;
  }

  /**
   * The guest's error code.
   *
   * @return the code
   */
  public int code() {
    return code;
  }

  /**
   * The guest's message.
   *
   * @return the message
   */
  public String guestMessage() {
    return guestMessage;
  }
}
