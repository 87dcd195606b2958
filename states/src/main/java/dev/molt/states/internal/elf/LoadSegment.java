package dev.molt.states.internal.elf;

import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One {@code PT_LOAD} segment of a validated guest image: {@code fileBytes} are copied to
 * {@code address}, the rest up to {@code memorySize} is zero.
 *
 * @param address guest address of the segment's first byte (identity-mapped: virtual == physical)
 * @param memorySize bytes the segment occupies in guest memory ({@code >= fileBytes.length})
 * @param fileBytes the segment's initialised contents
 * @param permissions what the guest may do with the segment's pages
 */
public record LoadSegment(
    long address, long memorySize, byte[] fileBytes, SegmentPermissions permissions) {

  /** Defensive copy; checks the size invariant. */
  public LoadSegment {
    fileBytes = fileBytes.clone();
    if (memorySize < fileBytes.length) {
      throw new IllegalArgumentException("memorySize " + memorySize + " < file size " + fileBytes.length);
    }
  }

  /**
   * The segment's initialised contents.
   *
   * @return a copy of the bytes that come from the file
   */
  @Override
  public byte[] fileBytes() {
    return fileBytes.clone();
  }

  /**
   * The number of bytes that come from the file, without copying them.
   *
   * @return the length of {@link #fileBytes()}
   */
  public int fileSize() {
    return fileBytes.length;
  }

  /**
   * Copies {@code length} file bytes starting at {@code offset} into {@code target}.
   *
   * @param offset first byte of the segment to copy
   * @param target destination array
   * @param targetOffset where to start writing in {@code target}
   * @param length number of bytes
   */
  public void copyFileBytes(int offset, byte[] target, int targetOffset, int length) {
    System.arraycopy(fileBytes, offset, target, targetOffset, length);
  }

  /**
   * The first address after the segment.
   *
   * @return {@code address + memorySize} (validated not to overflow)
   */
  public long end() {
    return address + memorySize;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof LoadSegment that
        && address == that.address
        && memorySize == that.memorySize
        && Arrays.equals(fileBytes, that.fileBytes)
        && permissions.equals(that.permissions);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(address) * 31 + Arrays.hashCode(fileBytes);
  }

  @Override
  public String toString() {
    return "LoadSegment[address=0x%x, memorySize=%d, fileSize=%d, %s]"
        .formatted(address, memorySize, fileBytes.length, permissions);
  }
}
