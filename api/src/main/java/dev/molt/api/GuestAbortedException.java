package dev.molt.api;

import java.util.Objects;

/** The guest called its abort routine with a code and a message. Poisons the sandbox. */
public final class GuestAbortedException extends GuestException {

  private static final long serialVersionUID = 1L;

  /** The guest's abort code. */
  private final int code;

  /** The guest's message (already validated as UTF-8 by the host). */
  private final String guestMessage;

  /**
   * Creates an exception.
   *
   * @param code the guest's abort code
   * @param guestMessage the guest's message
   * @param leftIn the status the sandbox was left in (normally Poisoned)
   */
  public GuestAbortedException(int code, String guestMessage, SandboxStatus leftIn) {
    super(
        "guest aborted with code " + code + ": " + Objects.requireNonNull(guestMessage, "guestMessage"),
        leftIn,
        null);
    this.code = code;
    this.guestMessage = guestMessage;
  }

  /**
   * The guest's abort code.
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
