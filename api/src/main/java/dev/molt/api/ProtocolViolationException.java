package dev.molt.api;

import java.util.Objects;

/**
 * The guest broke the call protocol: a length, count, id or encoding it wrote is out of bounds or
 * malformed. The host treats every byte the guest wrote as hostile; this poisons the sandbox,
 * never the JVM.
 */
public final class ProtocolViolationException extends GuestException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param detail what exactly was violated (field, value, bound)
   * @param leftIn the status the sandbox was left in (normally Poisoned)
   */
  public ProtocolViolationException(String detail, SandboxStatus leftIn) {
    super("guest protocol violation: " + Objects.requireNonNull(detail, "detail"), leftIn, null);
  }
}
