package dev.molt.states.internal.elf;

/**
 * What a loaded segment's pages allow. A segment is never both writable and executable.
 *
 * @param writable whether the guest may write the segment's pages
 * @param executable whether the guest may execute the segment's pages
 */
public record SegmentPermissions(boolean writable, boolean executable) {
  /** Checks the W^X invariant. */
  public SegmentPermissions {
    if (writable && executable) {
      throw new IllegalArgumentException("a segment cannot be both writable and executable");
    }
  }
}
