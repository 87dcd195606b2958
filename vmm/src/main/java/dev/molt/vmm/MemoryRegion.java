package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Sys;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
  /** One bit per page the host wrote since the last harvest ({@link #takeHostDirty}). */
  private final long[] hostDirty;
  /**
   * One bit per page that may hold non-zero bytes: pages written since the region was mapped
   * (harvested from the dirty log and the host writes) and the pages its image holds. A page whose
   * bit is clear is known to be zero, so a capture skips it. Guarded by the VM's lock.
   */
  private final long[] populated;

  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

  private MemoryRegion(
      MemoryRegionSpec spec,
      int slot,
      long reservation,
      long reservationSize,
      int memfd,
      long[] populated) {
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
    this.hostDirty = new long[DirtyBits.words(spec.size() / Sys.PAGE_SIZE)];
    this.populated = populated.clone();
  }

  /**
   * Maps host memory for {@code spec} as a private copy-on-write mapping of {@code imageFd} at
   * {@code imageOffset}: guard page, region, guard page. Reads see the image; writes make private
   * copies of single pages.
   */
  static MemoryRegion mapImage(
      MemoryRegionSpec spec, int slot, int imageFd, long imageOffset, long[] imagePopulated) {
    long reservationSize = spec.size() + 2 * Sys.PAGE_SIZE;
    long reservation =
        Sys.mmap(
            0,
            reservationSize,
            Sys.PROT_NONE,
            Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS | Sys.MAP_NORESERVE,
            -1,
            0,
            "guest memory reservation");
    try {
      mapImageAt(reservation + Sys.PAGE_SIZE, spec.size(), imageFd, imageOffset);
      return new MemoryRegion(spec, slot, reservation, reservationSize, -1, imagePopulated);
    } catch (RuntimeException e) {
      Sys.libc().munmap(reservation, reservationSize);
      throw e;
    }
  }

  private static void mapImageAt(long address, long size, int imageFd, long imageOffset) {
    Sys.mmap(
        address,
        size,
        Sys.PROT_READ | Sys.PROT_WRITE,
        Sys.MAP_PRIVATE | Sys.MAP_FIXED | Sys.MAP_NORESERVE,
        imageFd,
        imageOffset,
        "guest memory (copy-on-write image)");
  }

  /**
   * Replaces the whole region's host memory, at the same address, by a private copy-on-write
   * mapping of {@code imageFd} at {@code imageOffset}. KVM follows through its MMU notifier: the
   * memory slot keeps its host address and needs no re-registration. No vCPU may run meanwhile.
   */
  void remapImage(int imageFd, long imageOffset, long[] imagePopulated) {
    mapImageAt(segment.address(), spec.size(), imageFd, imageOffset);
    System.arraycopy(imagePopulated, 0, populated, 0, populated.length);
  }

  /** Marks {@code pages} as possibly non-zero (they were written). Caller holds the VM's lock. */
  void markPopulated(long[] pages) {
    DirtyBits.or(populated, pages);
  }

  /**
   * After {@code pages} were copied back from an image: their bits become the image's. Caller
   * holds the VM's lock.
   */
  void copiedFromImage(long[] pages, long[] imagePopulated) {
    for (int i = 0; i < populated.length; i++) {
      populated[i] = (populated[i] & ~pages[i]) | (imagePopulated[i] & pages[i]);
    }
  }

  /** The pages that may be non-zero (a copy). Caller holds the VM's lock. */
  long[] populated() {
    return populated.clone();
  }

  /** How many 4 KiB pages the region has. */
  long pageCount() {
    return spec.size() / Sys.PAGE_SIZE;
  }

  /**
   * Records a host write of {@code length > 0} bytes at {@code offset}: one bit per page touched,
   * set only when not yet set (a plain read, then one atomic OR).
   */
  void markHostWrite(long offset, long length) {
    if (length <= 0) {
      return;
    }
    long first = offset / Sys.PAGE_SIZE;
    long last = (offset + length - 1) / Sys.PAGE_SIZE;
    for (long page = first; page <= last; page++) {
      int word = (int) (page >>> 6);
      long bit = 1L << page;
      if (((long) WORDS.getOpaque(hostDirty, word) & bit) == 0) {
        WORDS.getAndBitwiseOr(hostDirty, word, bit);
      }
    }
  }

  /** ORs the host-dirty bits into {@code into} and clears them. */
  void takeHostDirty(long[] into) {
    for (int i = 0; i < into.length; i++) {
      if ((long) WORDS.getOpaque(hostDirty, i) != 0) {
        into[i] |= (long) WORDS.getAndSet(hostDirty, i, 0L);
      }
    }
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
      return new MemoryRegion(
          spec, slot, reservation, reservationSize, memfd, new long[DirtyBits.words(size / Sys.PAGE_SIZE)]);
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
