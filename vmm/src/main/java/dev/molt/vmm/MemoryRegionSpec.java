package dev.molt.vmm;

import java.util.Objects;

/**
 * What memory region to add to a virtual machine: where it appears in guest-physical memory, its
 * size, its host backing and whether the guest may write it.
 *
 * @param base the guest-physical base address (4 KiB aligned)
 * @param size the size in bytes (a positive multiple of 4 KiB)
 * @param backing how the host memory is obtained
 * @param readOnly whether guest writes are refused ({@code KVM_MEM_READONLY}; they exit as {@link
 *     VcpuExit.Mmio}); the host may still write it
 */
public record MemoryRegionSpec(GuestAddress base, long size, Backing backing, boolean readOnly) {

  /** The page size regions are aligned to. */
  public static final long PAGE_SIZE = 4096;

  /** How a region's host memory is obtained. Both are mapped with {@code MAP_NORESERVE}. */
  public enum Backing {
    /** Private anonymous memory. */
    ANONYMOUS,
    /** A shared mapping of a fresh {@code memfd}. */
    MEMFD
  }

  /**
   * Checks alignment, size and overflow.
   *
   * @throws IllegalArgumentException if {@code base} or {@code size} is not 4 KiB aligned, {@code
   *     size} is not positive, or {@code base + size} exceeds {@code 2^64}
   * @throws NullPointerException if {@code base} or {@code backing} is null
   */
  public MemoryRegionSpec {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(backing, "backing");
    if (!base.isAligned(PAGE_SIZE)) {
      throw new IllegalArgumentException("base must be 4 KiB aligned: " + base);
    }
    if (size <= 0 || size % PAGE_SIZE != 0) {
      throw new IllegalArgumentException(
          "size must be a positive multiple of 4 KiB: " + Long.toUnsignedString(size));
    }
    if (base.value() != 0 && Long.compareUnsigned(size, -base.value()) > 0) {
      throw new IllegalArgumentException(
          "region " + base + " + 0x" + Long.toHexString(size) + " overflows the address space");
    }
  }

  /**
   * A writable region of private anonymous memory.
   *
   * @param base the guest-physical base (4 KiB aligned)
   * @param size the size (positive multiple of 4 KiB)
   * @return the description
   */
  public static MemoryRegionSpec anonymous(GuestAddress base, long size) {
    return new MemoryRegionSpec(base, size, Backing.ANONYMOUS, false);
  }

  /**
   * A writable region backed by a fresh {@code memfd}.
   *
   * @param base the guest-physical base (4 KiB aligned)
   * @param size the size (positive multiple of 4 KiB)
   * @return the description
   */
  public static MemoryRegionSpec memfd(GuestAddress base, long size) {
    return new MemoryRegionSpec(base, size, Backing.MEMFD, false);
  }

  /**
   * The same region, read-only for the guest.
   *
   * @return the description
   */
  public MemoryRegionSpec asReadOnly() {
    return new MemoryRegionSpec(base, size, backing, true);
  }

  /**
   * The first address after the region; may be {@code 2^64}, which does not fit, so this returns
   * the last address instead.
   *
   * @return {@code base + size - 1}
   */
  public GuestAddress last() {
    return base.plus(size - 1);
  }
}
