package dev.molt.vmm;

/**
 * A guest-physical address: an unsigned 64-bit value with checked arithmetic. Arithmetic that
 * would wrap past {@code 2^64 - 1} or below zero throws {@link ArithmeticException}.
 *
 * @param value the address as an unsigned 64-bit value
 */
public record GuestAddress(long value) implements Comparable<GuestAddress> {

  /**
   * The address {@code value}.
   *
   * @param value an unsigned 64-bit value
   * @return the address
   */
  public static GuestAddress of(long value) {
    return new GuestAddress(value);
  }

  /**
   * This address plus an unsigned offset.
   *
   * @param offset the unsigned offset
   * @return the sum
   * @throws ArithmeticException if the sum exceeds {@code 2^64 - 1}
   */
  public GuestAddress plus(long offset) {
    long sum = value + offset;
    if (Long.compareUnsigned(sum, value) < 0) {
      throw new ArithmeticException(
          "guest address overflow: " + this + " + 0x" + Long.toHexString(offset));
    }
    return new GuestAddress(sum);
  }

  /**
   * This address minus an unsigned offset.
   *
   * @param offset the unsigned offset
   * @return the difference
   * @throws ArithmeticException if {@code offset} is larger than this address
   */
  public GuestAddress minus(long offset) {
    if (Long.compareUnsigned(offset, value) > 0) {
      throw new ArithmeticException(
          "guest address underflow: " + this + " - 0x" + Long.toHexString(offset));
    }
    return new GuestAddress(value - offset);
  }

  /**
   * The unsigned distance from {@code base} up to this address.
   *
   * @param base an address not above this one
   * @return {@code this - base}
   * @throws ArithmeticException if {@code base} is above this address
   */
  public long offsetFrom(GuestAddress base) {
    if (Long.compareUnsigned(base.value, value) > 0) {
      throw new ArithmeticException(base + " is above " + this);
    }
    return value - base.value;
  }

  /**
   * Whether this address is a multiple of {@code alignment}.
   *
   * @param alignment a power of two
   * @return whether the low bits are clear
   * @throws IllegalArgumentException if {@code alignment} is not a power of two
   */
  public boolean isAligned(long alignment) {
    if (alignment <= 0 || Long.bitCount(alignment) != 1) {
      throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
    }
    return (value & (alignment - 1)) == 0;
  }

  @Override
  public int compareTo(GuestAddress other) {
    return Long.compareUnsigned(value, other.value);
  }

  @Override
  public String toString() {
    return "0x" + Long.toHexString(value);
  }
}
