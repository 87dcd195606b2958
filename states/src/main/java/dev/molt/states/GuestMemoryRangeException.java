package dev.molt.states;

/**
 * An access to guest memory outside the range the host may use (a caller mistake, hence an {@link
 * IllegalArgumentException}). Carries the requested range and the permitted one.
 */
public final class GuestMemoryRangeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The first address of the refused access. */
  private final long address;

  /** The length of the refused access. */
  private final long length;

  /**
   * Creates the exception.
   *
   * @param address the first address of the refused access
   * @param length its length
   * @param first the lowest accessible address
   * @param end the first address after the accessible range
   * @param why what is wrong with the access
   */
  public GuestMemoryRangeException(long address, long length, long first, long end, String why) {
    super(
        "guest range [0x%x, +%d) %s; the host may access [0x%x, 0x%x)"
            .formatted(address, length, why, first, end));
    this.address = address;
    this.length = length;
  }

  /**
   * The first guest-physical address of the refused access.
   *
   * @return the address
   */
  public long address() {
    return address;
  }

  /**
   * The length of the refused access.
   *
   * @return bytes
   */
  public long length() {
    return length;
  }
}
