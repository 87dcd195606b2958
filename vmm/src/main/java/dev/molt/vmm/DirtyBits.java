package dev.molt.vmm;

/** Page bitmaps as {@code long[]}: bit {@code p % 64} of word {@code p / 64} is page {@code p}. */
final class DirtyBits {
  private DirtyBits() {}

  /** Words needed for {@code pages} bits. */
  static int words(long pages) {
    return Math.toIntExact((pages + 63) >>> 6);
  }

  /** A bitmap with the first {@code pages} bits set. */
  static long[] all(long pages) {
    long[] bits = new long[words(pages)];
    java.util.Arrays.fill(bits, -1L);
    int tail = (int) (pages & 63);
    if (tail != 0) {
      bits[bits.length - 1] = (1L << tail) - 1;
    }
    return bits;
  }

  /** The number of set bits. */
  static long count(long[] bits) {
    long n = 0;
    for (long word : bits) {
      n += Long.bitCount(word);
    }
    return n;
  }

  /** {@code into |= from}. */
  static void or(long[] into, long[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] |= from[i];
    }
  }
}
