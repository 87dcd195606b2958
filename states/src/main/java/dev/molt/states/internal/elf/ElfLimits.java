package dev.molt.states.internal.elf;

/**
 * Where a guest image may be placed and how large its file may be.
 *
 * @param lowestAddress lowest guest address a segment may occupy
 * @param endAddress first guest address no segment may reach (exclusive upper bound)
 * @param maxFileSize largest accepted file, in bytes
 * @param maxProgramHeaders largest accepted {@code e_phnum}
 */
public record ElfLimits(
    long lowestAddress, long endAddress, long maxFileSize, int maxProgramHeaders) {

  /** Checks that the limits describe a non-empty range. */
  public ElfLimits {
    if (lowestAddress < 0 || endAddress <= lowestAddress) {
      throw new IllegalArgumentException(
          "need 0 <= lowestAddress < endAddress, got 0x%x..0x%x".formatted(lowestAddress, endAddress));
    }
    if (maxFileSize <= 0 || maxProgramHeaders <= 0) {
      throw new IllegalArgumentException("maxFileSize and maxProgramHeaders must be positive");
    }
  }
}
