package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Sys;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable image of guest memory: the contents of every region of a VM at one moment, held in
 * one sealed {@code memfd} (seals: write, shrink, grow, seal — no one, not even this process, can
 * change it any more). A small capture (at most {@link #COMPACT_LIMIT_PAGES} populated pages,
 * e.g. the rollback point every evolve records) starts as a private copy of its populated pages
 * on the Java heap and gets its memfd only when something needs one (a VM mapped from it, a read,
 * a write to storage): creating, sealing and later closing a memfd costs ≈ 55 µs here, copying 25
 * pages ≈ 2 µs. Taken by {@link VirtualMachine#captureMemory()}, put back by {@link
 * VirtualMachine#restoreMemory(MemorySnapshot)}, shared copy-on-write by VMs created with {@link
 * VirtualMachine#addMemoryRegionsFrom(MemorySnapshot)}, and written to or read from storage with
 * {@link #writeTo(WritableByteChannel)} and {@link #copyOf}.
 *
 * <p>Thread-safe. The image lives as long as this object is reachable (its memfd and read-only
 * mapping are released by the garbage collector afterwards); VMs mapped from it keep their own
 * reference to the memfd.
 */
public final class MemorySnapshot {
  private static final long COPY_CHUNK = 1 << 20;

  private final List<MemoryRegionSpec> regions;
  private final long[] offsets;
  private final long size;
  /**
   * The sealed memfd, or -1 while the image is only {@link #compact} (made on first need, under
   * {@link #mapLock}).
   */
  private volatile int fd;
  /** Owns {@link #fd}: closes it when this snapshot becomes unreachable. */
  private volatile @org.checkerframework.checker.nullness.qual.Nullable MemorySegment fdOwner;
  /**
   * Until the memfd exists: the populated pages, region by region in page order, back to back;
   * null afterwards (the memfd holds them, and one copy is enough).
   */
  private volatile byte @org.checkerframework.checker.nullness.qual.Nullable [] compact;
  /**
   * Per region, per word of {@link #populated}: how many populated pages come before it in
   * {@link #compact} (the region's earlier words and all earlier regions). Null when the image
   * started as a memfd.
   */
  private final long @org.checkerframework.checker.nullness.qual.Nullable [][] compactRank;
  /**
   * The read-only mapping of the whole memfd, made on first use (a restore's copy-back, a read, a
   * write to storage): a snapshot that is never read — most rollback points — costs no mapping,
   * and process mappings are what slows {@code KVM_CREATE_VM} down.
   */
  private volatile @org.checkerframework.checker.nullness.qual.Nullable MemorySegment image;
  private final Object mapLock = new Object();
  /** Per region, one bit per page that may be non-zero; the memfd has holes (zeros) elsewhere. */
  private final long[][] populated;

  /** The largest capture kept as a heap copy until a memfd is needed (1 MiB of pages). */
  static final long COMPACT_LIMIT_PAGES = 256;

  private MemorySnapshot(List<MemoryRegionSpec> regions, int fd, long size, long[][] populated) {
    this.regions = regions;
    this.populated = populated;
    this.offsets = offsets(regions);
    this.size = size;
    this.fd = fd;
    this.fdOwner = NativeMemory.ownedDescriptor(fd);
    this.compact = null;
    this.compactRank = null;
  }

  private MemorySnapshot(
      List<MemoryRegionSpec> regions, long size, long[][] populated, byte[] compact, long[][] rank) {
    this.regions = regions;
    this.populated = populated;
    this.offsets = offsets(regions);
    this.size = size;
    this.fd = -1;
    this.fdOwner = null;
    this.compact = compact;
    this.compactRank = rank;
  }

  /**
   * The sealed memfd, made from the heap copy on first need; the heap copy is dropped then. Keep
   * this snapshot reachable while the descriptor is used.
   */
  private int descriptor() {
    int current = fd;
    if (current >= 0) {
      return current;
    }
    synchronized (mapLock) {
      current = fd;
      if (current >= 0) {
        return current;
      }
      byte[] pages = compact;
      long[][] rank = compactRank;
      if (pages == null || rank == null) {
        throw new IllegalStateException("snapshot has neither a memfd nor a heap copy");
      }
      int made = Sys.sealableMemfd("molt-snapshot", size);
      try {
        long address =
            Sys.mmap(0, size, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_SHARED, made, 0, "snapshot image");
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
          // In bounds: our own writable shared mapping of the new memfd, size bytes; the arena
          // closes before munmap.
          MemorySegment target = NativeMemory.view(address, size, arena);
          for (int r = 0; r < regions.size(); r++) {
            copyCompactPages(pages, rank[r], populated[r], populated[r], target, offsets[r]);
          }
        } finally {
          Sys.munmap(address, size, "snapshot image (writable)");
        }
        Sys.addSeals(made, Sys.F_SEAL_WRITE | Sys.F_SEAL_SHRINK | Sys.F_SEAL_GROW | Sys.F_SEAL_SEAL);
      } catch (RuntimeException e) {
        Sys.libc().close(made);
        throw e;
      }
      fdOwner = NativeMemory.ownedDescriptor(made);
      fd = made;
      compact = null;
      return made;
    }
  }

  /**
   * Copies the pages set in {@code wanted} of one region from the heap copy to {@code target} at
   * {@code targetOffset} + page offset; a wanted page that is not populated is zero-filled.
   */
  private static void copyCompactPages(
      byte[] pages,
      long[] rank,
      long[] regionPopulated,
      long[] wanted,
      MemorySegment target,
      long targetOffset) {
    MemorySegment source = MemorySegment.ofArray(pages);
    for (int word = 0; word < wanted.length; word++) {
      long bits = wanted[word];
      while (bits != 0) {
        int bit = Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        long page = ((long) word << 6) + bit;
        long at = targetOffset + page * Sys.PAGE_SIZE;
        if ((regionPopulated[word] & (1L << bit)) != 0) {
          long index = rank[word] + Long.bitCount(regionPopulated[word] & ((1L << bit) - 1));
          MemorySegment.copy(source, index * Sys.PAGE_SIZE, target, at, Sys.PAGE_SIZE);
        } else {
          target.asSlice(at, Sys.PAGE_SIZE).fill((byte) 0);
        }
      }
    }
  }

  /**
   * Copies {@code pages} of region {@code index} from the image into {@code target} (the region's
   * host memory, same page numbering): from the heap copy while there is one, else from the
   * memfd's mapping.
   */
  void copyPagesTo(int index, long[] pages, MemorySegment target) {
    byte[] heap = compact;
    long[][] rank = compactRank;
    if (heap != null && rank != null) {
      copyCompactPages(heap, rank[index], populated[index], pages, target, 0);
      return;
    }
    MemorySegment source = region(index);
    long pageCount = target.byteSize() / Sys.PAGE_SIZE;
    long page = 0;
    while (page < pageCount) {
      if ((pages[(int) (page >>> 6)] & (1L << page)) == 0) {
        page++;
        continue;
      }
      long start = page;
      while (page < pageCount && (pages[(int) (page >>> 6)] & (1L << page)) != 0) {
        page++;
      }
      // In bounds: start < page <= pageCount, both segments are pageCount pages long.
      MemorySegment.copy(
          source, start * Sys.PAGE_SIZE, target, start * Sys.PAGE_SIZE, (page - start) * Sys.PAGE_SIZE);
    }
  }

  /** The read-only mapping of the image, made once. */
  private MemorySegment image() {
    MemorySegment mapped = image;
    if (mapped == null) {
      int descriptor = descriptor();
      synchronized (mapLock) {
        mapped = image;
        if (mapped == null) {
          long address =
              Sys.mmap(0, size, Sys.PROT_READ, Sys.MAP_SHARED, descriptor, 0, "snapshot image");
          // In bounds: our own read-only mapping of the whole memfd (size bytes); the segment owns
          // the mapping (not the fd, which fdOwner closes).
          mapped = NativeMemory.owned(address, size, -1);
          image = mapped;
        }
      }
    }
    java.lang.ref.Reference.reachabilityFence(this);
    return mapped;
  }

  /**
   * Copies the populated pages of every region into a new sealed memfd; the other pages are known
   * to be zero and stay holes (they cost neither the copy nor memory). No vCPU may run meanwhile;
   * the caller holds the VM's lock.
   */
  static MemorySnapshot capture(List<MemoryRegion> source) {
    List<MemoryRegionSpec> specs = source.stream().map(MemoryRegion::spec).toList();
    long total = checkedTotal(specs);
    long[][] populated = new long[source.size()][];
    long count = 0;
    for (int r = 0; r < source.size(); r++) {
      populated[r] = source.get(r).populated();
      count += DirtyBits.count(populated[r]);
    }
    if (count <= COMPACT_LIMIT_PAGES) {
      return captureCompact(source, specs, total, populated, count);
    }
    int fd = Sys.sealableMemfd("molt-snapshot", total);
    try {
      long offset = 0;
      for (int r = 0; r < source.size(); r++) {
        MemoryRegion region = source.get(r);
        long[] pages = populated[r];
        long pageCount = region.pageCount();
        long page = 0;
        while (page < pageCount) {
          if ((pages[(int) (page >>> 6)] & (1L << page)) == 0) {
            page++;
            continue;
          }
          long start = page;
          while (page < pageCount && (pages[(int) (page >>> 6)] & (1L << page)) != 0) {
            page++;
          }
          // In bounds: start < page <= pageCount; the host mapping has pageCount pages.
          Sys.pwriteFully(
              fd,
              region.hostAddress() + start * Sys.PAGE_SIZE,
              (page - start) * Sys.PAGE_SIZE,
              offset + start * Sys.PAGE_SIZE,
              "snapshot image");
        }
        offset += region.size();
      }
      return seal(specs, fd, total, populated);
    } catch (RuntimeException e) {
      Sys.libc().close(fd);
      throw e;
    }
  }

  /** A capture of {@code count} populated pages as a heap copy (see the class comment). */
  private static MemorySnapshot captureCompact(
      List<MemoryRegion> source,
      List<MemoryRegionSpec> specs,
      long total,
      long[][] populated,
      long count) {
    byte[] pages = new byte[Math.toIntExact(count * Sys.PAGE_SIZE)];
    MemorySegment target = MemorySegment.ofArray(pages);
    long[][] rank = new long[source.size()][];
    long index = 0;
    for (int r = 0; r < source.size(); r++) {
      long[] bits = populated[r];
      MemorySegment host = source.get(r).segment();
      rank[r] = new long[bits.length];
      for (int word = 0; word < bits.length; word++) {
        rank[r][word] = index;
        long remaining = bits[word];
        while (remaining != 0) {
          int bit = Long.numberOfTrailingZeros(remaining);
          remaining &= remaining - 1;
          long page = ((long) word << 6) + bit;
          // In bounds: a populated bit names a page of the region; index < count pages.
          MemorySegment.copy(
              host, page * Sys.PAGE_SIZE, target, index * Sys.PAGE_SIZE, Sys.PAGE_SIZE);
          index++;
        }
      }
    }
    return new MemorySnapshot(specs, total, populated, pages, rank);
  }

  /**
   * Reads an image of {@code regions} (concatenated in order, {@code sum(size)} bytes) from {@code
   * source} into a new sealed memfd.
   *
   * @param regions the regions the image describes: ordered by base, not overlapping
   * @param source where the bytes come from; exactly the image size is read
   * @return the snapshot
   * @throws IOException if reading fails or the source ends early ({@link EOFException})
   * @throws IllegalArgumentException if {@code regions} is empty, unordered or overlapping
   */
  public static MemorySnapshot copyOf(List<MemoryRegionSpec> regions, ReadableByteChannel source)
      throws IOException {
    return read(regions, source, null, new byte[0]).orElseThrow();
  }

  /**
   * Like {@link #copyOf}, and feeds every byte to {@code digest} as it lands in the memfd (before
   * sealing, from the memfd itself), then compares the digest with {@code expected}. The bytes
   * checked are the bytes sealed: a source changed while or after it is read cannot produce an
   * image other than the one that was checked.
   *
   * @param regions the regions the image describes
   * @param source where the bytes come from
   * @param digest a fresh digest (e.g. SHA-256)
   * @param expected the digest the bytes must have
   * @return the snapshot, or empty when the digest differs (nothing is kept)
   * @throws IOException if reading fails or the source ends early
   * @throws IllegalArgumentException if {@code regions} is empty, unordered or overlapping
   */
  public static Optional<MemorySnapshot> copyOfVerified(
      List<MemoryRegionSpec> regions,
      ReadableByteChannel source,
      MessageDigest digest,
      byte[] expected)
      throws IOException {
    Objects.requireNonNull(digest, "digest");
    return read(regions, source, digest, expected.clone());
  }

  private static Optional<MemorySnapshot> read(
      List<MemoryRegionSpec> regions,
      ReadableByteChannel source,
      @org.checkerframework.checker.nullness.qual.Nullable MessageDigest digest,
      byte[] expected)
      throws IOException {
    Objects.requireNonNull(source, "source");
    List<MemoryRegionSpec> specs = List.copyOf(regions);
    long total = checkedTotal(specs);
    int fd = Sys.sealableMemfd("molt-snapshot", total);
    long[][] populated = new long[specs.size()][];
    for (int i = 0; i < specs.size(); i++) {
      populated[i] = new long[DirtyBits.words(specs.get(i).size() / Sys.PAGE_SIZE)];
    }
    long[] offsets = offsets(specs);
    boolean keep = false;
    try {
      long address =
          Sys.mmap(
              0, total, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_SHARED, fd, 0, "snapshot image");
      try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
        // In bounds: our own writable shared mapping of the memfd, total bytes; the arena closes
        // before munmap.
        MemorySegment target = NativeMemory.view(address, total, arena);
        for (long at = 0; at < total; at += COPY_CHUNK) {
          ByteBuffer buffer = target.asSlice(at, Math.min(COPY_CHUNK, total - at)).asByteBuffer();
          while (buffer.hasRemaining()) {
            int before = buffer.position();
            if (source.read(buffer) < 0) {
              throw new EOFException(
                  "memory image ended after "
                      + (at + buffer.position())
                      + " of "
                      + total
                      + " bytes");
            }
            if (digest != null) {
              digest.update(buffer.duplicate().position(before).limit(buffer.position()));
            }
          }
          markNonZeroPages(target, at, Math.min(COPY_CHUNK, total - at), offsets, populated);
        }
      } finally {
        Sys.munmap(address, total, "snapshot image (writable)");
      }
      if (digest != null && !MessageDigest.isEqual(digest.digest(), expected)) {
        return Optional.empty();
      }
      MemorySnapshot snapshot = seal(specs, fd, total, populated);
      keep = true;
      return Optional.of(snapshot);
    } finally {
      if (!keep) {
        Sys.libc().close(fd);
      }
    }
  }

  private static MemorySnapshot seal(
      List<MemoryRegionSpec> specs, int fd, long total, long[][] populated) {
    Sys.addSeals(fd, Sys.F_SEAL_WRITE | Sys.F_SEAL_SHRINK | Sys.F_SEAL_GROW | Sys.F_SEAL_SEAL);
    return new MemorySnapshot(specs, fd, total, populated);
  }

  private static final MemorySegment ZERO_PAGE = MemorySegment.ofArray(new byte[(int) Sys.PAGE_SIZE]);

  /**
   * Sets the populated bit of every non-zero page in {@code [at, at + length)} of the image
   * (page-aligned: chunks are multiples of the page size, and so are region sizes).
   */
  private static void markNonZeroPages(
      MemorySegment image, long at, long length, long[] offsets, long[][] populated) {
    int region = 0;
    for (long page = at; page < at + length; page += Sys.PAGE_SIZE) {
      while (region + 1 < offsets.length && offsets[region + 1] <= page) {
        region++;
      }
      if (image.asSlice(page, Sys.PAGE_SIZE).mismatch(ZERO_PAGE) >= 0) {
        long index = (page - offsets[region]) / Sys.PAGE_SIZE;
        populated[region][(int) (index >>> 6)] |= 1L << index;
      }
    }
  }

  private static long checkedTotal(List<MemoryRegionSpec> specs) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("a memory snapshot needs at least one region");
    }
    long total = 0;
    for (int i = 0; i < specs.size(); i++) {
      MemoryRegionSpec spec = Objects.requireNonNull(specs.get(i), "regions[" + i + "]");
      if (i > 0 && specs.get(i - 1).last().compareTo(spec.base()) >= 0) {
        throw new IllegalArgumentException(
            "regions must be ordered by base and not overlap: " + specs.get(i - 1) + ", " + spec);
      }
      total = Math.addExact(total, spec.size());
    }
    return total;
  }

  private static long[] offsets(List<MemoryRegionSpec> specs) {
    long[] offsets = new long[specs.size()];
    long at = 0;
    for (int i = 0; i < specs.size(); i++) {
      offsets[i] = at;
      at += specs.get(i).size();
    }
    return offsets;
  }

  /**
   * The regions the image holds, ordered by base; their contents are concatenated in this order.
   *
   * @return the region descriptions
   */
  public List<MemoryRegionSpec> regions() {
    return regions;
  }

  /**
   * The image size: the sum of the region sizes.
   *
   * @return bytes
   */
  public long sizeBytes() {
    return size;
  }

  /**
   * Whether the memfd carries the write, shrink, grow and seal seals (always true; for tests and
   * diagnostics).
   *
   * @return whether sealed
   */
  public boolean isSealed() {
    int wanted = Sys.F_SEAL_WRITE | Sys.F_SEAL_SHRINK | Sys.F_SEAL_GROW | Sys.F_SEAL_SEAL;
    try {
      return (Sys.seals(descriptor()) & wanted) == wanted;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Copies bytes out of the image.
   *
   * @param address a guest-physical address inside one region
   * @param length how many bytes
   * @return a new array
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public byte[] read(GuestAddress address, int length) {
    return image().asSlice(imageOffset(address, length), length).toArray(ValueLayout.JAVA_BYTE);
  }

  private long imageOffset(GuestAddress address, long length) {
    Objects.requireNonNull(address, "address");
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    for (int i = 0; i < regions.size(); i++) {
      MemoryRegionSpec spec = regions.get(i);
      if (address.compareTo(spec.base()) >= 0) {
        long offset = address.offsetFrom(spec.base());
        if (Long.compareUnsigned(offset, spec.size()) < 0
            && Long.compareUnsigned(length, spec.size() - offset) <= 0) {
          return offsets[i] + offset;
        }
      }
    }
    throw new IllegalArgumentException(
        "range at " + address + " (" + length + " bytes) is not inside one region of " + regions);
  }

  /**
   * Writes the whole image (the regions' bytes, concatenated) to {@code target}.
   *
   * @param target where to write
   * @throws IOException if writing fails
   */
  public void writeTo(WritableByteChannel target) throws IOException {
    Objects.requireNonNull(target, "target");
    for (long at = 0; at < size; at += COPY_CHUNK) {
      ByteBuffer buffer = image().asSlice(at, Math.min(COPY_CHUNK, size - at)).asByteBuffer();
      while (buffer.hasRemaining()) {
        target.write(buffer);
      }
    }
  }

  /** The image bytes of region {@code index} (read-only). */
  MemorySegment region(int index) {
    return image().asSlice(offsets[index], regions.get(index).size());
  }

  /**
   * How many pages of the image may be non-zero: the pages a capture copied (the others are holes
   * that read as zero), or the non-zero pages of an image read from storage.
   *
   * @return the page count (4 KiB pages)
   */
  public long populatedPages() {
    long n = 0;
    for (long[] bits : populated) {
      n += DirtyBits.count(bits);
    }
    return n;
  }

  /** Region {@code index}'s populated-page bits (the array itself: do not modify). */
  long[] populated(int index) {
    return populated[index];
  }

  /**
   * The memfd (made now if the image is still a heap copy); keep this snapshot reachable while
   * used.
   */
  int fd() {
    return descriptor();
  }

  /**
   * Whether the image is still only a heap copy (no memfd yet; for tests and diagnostics).
   *
   * @return whether no memfd has been made
   */
  boolean isHeapCopy() {
    return fd < 0;
  }

  long offset(int index) {
    return offsets[index];
  }

  @Override
  public String toString() {
    return "MemorySnapshot[" + regions.size() + " regions, " + size + " bytes, " + populatedPages()
        + " pages populated]";
  }
}
