package dev.molt.vmm.longmode;

import dev.molt.vmm.GuestAddress;
import java.util.Objects;

/**
 * Named guest pages with one {@link PageKind}.
 *
 * @param name what the pages are, used in validation messages
 * @param start the first page (4 KiB aligned)
 * @param length the length in bytes (a positive multiple of 4 KiB)
 * @param kind how the pages are mapped
 */
public record PageRange(String name, GuestAddress start, long length, PageKind kind) {
  /**
   * Checks alignment.
   *
   * @throws IllegalArgumentException if start or length is not 4 KiB aligned or length is not
   *     positive
   */
  public PageRange {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(kind, "kind");
    if (!start.isAligned(LongModeLayout.PAGE)) {
      throw new IllegalArgumentException(name + ": start must be 4 KiB aligned: " + start);
    }
    if (length <= 0 || length % LongModeLayout.PAGE != 0) {
      throw new IllegalArgumentException(
          name + ": length must be a positive multiple of 4 KiB: " + length);
    }
  }

  /**
   * Shorthand.
   *
   * @param name what the pages are
   * @param start the first page
   * @param length bytes
   * @param kind the mapping
   * @return the range
   */
  public static PageRange of(String name, long start, long length, PageKind kind) {
    return new PageRange(name, GuestAddress.of(start), length, kind);
  }

  /**
   * The first address after the range.
   *
   * @return {@code start + length}
   */
  public GuestAddress end() {
    return start.plus(length);
  }
}
