package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Sys;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One guest memory region registered in a memory slot of a {@link VirtualMachine}, which owns it:
 * the region lives until {@link VirtualMachine#removeMemoryRegion(MemoryRegion)} or the VM's
 * close. Access its bytes through {@link VirtualMachine#memory()}.
 *
 * <p>The host mapping is surrounded by a {@code PROT_NONE} guard page on each side and mapped
 * with {@code MAP_NORESERVE}.
 */
public final class MemoryRegion {
  private final MemoryRegionSpec spec;
  private final int slot;
  private final long reservation;
  private final long reservationSize;
  private final int memfd;
  private final Arena arena;
  private final MemorySegment segment;

  private MemoryRegion(
      MemoryRegionSpec spec, int slot, long reservation, long reservationSize, int memfd) {
    this.spec = spec;
    this.slot = slot;
    this.reservation = reservation;
    this.reservationSize = reservationSize;
    this.memfd = memfd;
    this.arena = Arena.ofShared();
    // In bounds: [reservation + PAGE, + size) is the read-write part of our own mapping; the
    // segment is invalidated (arena closed) before the mapping is removed.
    this.segment =
        NativeMemory.view(reservation + Sys.PAGE_SIZE, spec.size(), arena);
  }

  /** Maps host memory for {@code spec}: guard page, region, guard page. */
  static MemoryRegion map(MemoryRegionSpec spec, int slot) {
    long size = spec.size();
    long reservationSize = size + 2 * Sys.PAGE_SIZE;
    long reservation =
        Sys.mmap(
            0,
            reservationSize,
            Sys.PROT_NONE,
            Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS | Sys.MAP_NORESERVE,
            -1,
            0,
            "guest memory reservation");
    int memfd = -1;
    try {
      int protection = Sys.PROT_READ | Sys.PROT_WRITE;
      long inner = reservation + Sys.PAGE_SIZE;
      if (spec.backing() == MemoryRegionSpec.Backing.MEMFD) {
        memfd = Sys.memfd("molt-guest-slot-" + slot, size);
        Sys.mmap(
            inner,
            size,
            protection,
            Sys.MAP_SHARED | Sys.MAP_FIXED | Sys.MAP_NORESERVE,
            memfd,
            0,
            "guest memory (memfd)");
      } else {
        Sys.mmap(
            inner,
            size,
            protection,
            Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS | Sys.MAP_FIXED | Sys.MAP_NORESERVE,
            -1,
            0,
            "guest memory (anonymous)");
      }
      return new MemoryRegion(spec, slot, reservation, reservationSize, memfd);
    } catch (RuntimeException e) {
      if (memfd >= 0) {
        Sys.libc().close(memfd);
      }
      Sys.libc().munmap(reservation, reservationSize);
      throw e;
    }
  }

  /** Invalidates the segment, then unmaps the host memory. Call only once the slot is gone. */
  void release() {
    arena.close();
    try {
      Sys.munmap(reservation, reservationSize, "guest memory");
    } finally {
      if (memfd >= 0) {
        Sys.close(memfd, "guest memory memfd");
      }
    }
  }

  long hostAddress() {
    return segment.address();
  }

  MemorySegment segment() {
    return segment;
  }

  /**
   * The description the region was created from.
   *
   * @return the spec
   */
  public MemoryRegionSpec spec() {
    return spec;
  }

  /**
   * The guest-physical base address.
   *
   * @return the base
   */
  public GuestAddress base() {
    return spec.base();
  }

  /**
   * The size in bytes.
   *
   * @return the size
   */
  public long size() {
    return spec.size();
  }

  /**
   * The KVM memory slot number.
   *
   * @return the slot
   */
  public int slot() {
    return slot;
  }

  /**
   * Whether {@code [address, address + length)} lies in this region.
   *
   * @param address the first address
   * @param length the length (unsigned)
   * @return whether the whole range is inside
   */
  public boolean contains(GuestAddress address, long length) {
    if (address.compareTo(base()) < 0) {
      return false;
    }
    long offset = address.offsetFrom(base());
    return Long.compareUnsigned(offset, size()) < 0
        && Long.compareUnsigned(length, size() - offset) <= 0;
  }

  @Override
  public String toString() {
    return "MemoryRegion[slot "
        + slot
        + ", "
        + base()
        + "..0x"
        + Long.toHexString(spec.last().value())
        + ", "
        + spec.backing()
        + (spec.readOnly() ? ", read-only" : "")
        + "]";
  }
}
