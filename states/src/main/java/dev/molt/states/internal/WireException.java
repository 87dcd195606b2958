package dev.molt.states.internal;

/** A frame the guest wrote breaks guest ABI v1; the detail names the field, value and bound. */
final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  WireException(String detail) {
    super(detail);
  }
}
