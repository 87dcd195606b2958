package dev.molt.vmm;

import java.util.Objects;
import java.util.stream.LongStream;

/**
 * The pages of one memory region written since the previous harvest, by the guest (KVM's dirty
 * log) or by the host (through {@link GuestMemory} or a {@link MemoryCell}). Returned by {@link
 * VirtualMachine#takeDirtyPages()}. Immutable.
 */
public final class DirtyPages {
  private final GuestAddress base;
  private final long pageCount;
  private final long[] bits;

  DirtyPages(GuestAddress base, long pageCount, long[] bits) {
    this.base = base;
    this.pageCount = pageCount;
    this.bits = bits.clone();
  }

  /**
   * The region's guest-physical base address.
   *
   * @return the base
   */
  public GuestAddress base() {
    return base;
  }

  /**
   * How many pages the region has.
   *
   * @return the region size in 4 KiB pages
   */
  public long pageCount() {
    return pageCount;
  }

  /**
   * How many of them were written.
   *
   * @return the number of dirty pages
   */
  public long dirtyCount() {
    return DirtyBits.count(bits);
  }

  /**
   * Whether page {@code page} (counted from the region base) was written.
   *
   * @param page the page index
   * @return whether dirty
   * @throws IndexOutOfBoundsException if {@code page} is not in {@code [0, pageCount())}
   */
  public boolean isDirty(long page) {
    Objects.checkIndex(page, pageCount);
    return (bits[(int) (page >>> 6)] & (1L << page)) != 0;
  }

  /**
   * The guest-physical addresses of the dirty pages, ascending.
   *
   * @return the page addresses
   */
  public LongStream addresses() {
    return LongStream.range(0, pageCount)
        .filter(this::isDirty)
        .map(p -> base.value() + p * MemoryRegionSpec.PAGE_SIZE);
  }

  @Override
  public String toString() {
    return "DirtyPages[" + base + ", " + dirtyCount() + " of " + pageCount + " pages]";
  }
}
