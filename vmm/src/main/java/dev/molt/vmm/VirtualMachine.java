package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Ioctls;
import dev.molt.vmm.internal.sys.KvmStructs;
import dev.molt.vmm.internal.sys.Sys;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KVM virtual machine, created by {@link Kvm#createVirtualMachine()}. It owns its file
 * descriptor, its guest memory regions and the vCPUs it created: closing it closes the vCPUs, then
 * the VM, then unmaps the memory. Thread-safe.
 */
public final class VirtualMachine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualMachine.class);
  private static final int KVM_MEM_LOG_DIRTY_PAGES = 1;
  private static final int KVM_MEM_READONLY = 1 << 1;
  private static final int KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE = 1;
  /**
   * Restore copies the pages dirtied since the snapshot when there are at most this many per
   * region, and otherwise maps the image over the region. Measured here (README, "Snapshots"):
   * copying beats re-mapping at every dirty-set size, both for the restore itself and for the
   * guest's next run (a re-mapped region faults on every page the guest touches, reads included),
   * so by default a tracked image is always restored by copying; re-mapping serves images this VM
   * has not tracked.
   */
  static final long REMAP_ABOVE_PAGES = Long.MAX_VALUE;

  private volatile long remapAbovePages = REMAP_ABOVE_PAGES;

  private final int fd;
  private final int memorySlotLimit;
  private final long vcpuMmapSize;
  private final int syncRegs;
  private final boolean readOnlySupported;
  private final Object lock = new Object();
  private volatile List<MemoryRegion> regions = List.of();
  private final List<Vcpu> vcpus = new ArrayList<>();
  private volatile boolean closed;
  private final boolean manualDirtyLog;
  /**
   * Per snapshot taken from or restored into this VM: per region, the pages that may differ from
   * it (guarded by lock). Weak keys: a snapshot nobody holds can no longer be restored.
   */
  private final Map<MemorySnapshot, long[][]> changedSince = new WeakHashMap<>();
  /** See {@link #dirtyLogScratch(long)}; guarded by lock. */
  private @Nullable MemorySegment dirtyLogScratch;
  /** Offsets in the dirty-log scratch: KVM_GET_DIRTY_LOG's struct, KVM_CLEAR_DIRTY_LOG's, bitmap. */
  private static final long DIRTY_LOG_CLEAR_AT = 64;

  private static final long DIRTY_LOG_STRUCTS = 128;

  private VirtualMachine(
      int fd,
      int memorySlotLimit,
      long vcpuMmapSize,
      int syncRegs,
      boolean readOnlySupported,
      boolean manualDirtyLog) {
    this.fd = fd;
    this.memorySlotLimit = memorySlotLimit;
    this.vcpuMmapSize = vcpuMmapSize;
    this.syncRegs = syncRegs;
    this.readOnlySupported = readOnlySupported;
    this.manualDirtyLog = manualDirtyLog;
  }

  /**
   * A VM over the descriptor {@code fd}; enables manual dirty-log protection when asked (and falls
   * back to the classic get-and-clear dirty log when KVM refuses it).
   */
  static VirtualMachine create(
      int fd,
      int memorySlotLimit,
      long vcpuMmapSize,
      int syncRegs,
      boolean readOnlySupported,
      boolean manualDirtyLog) {
    boolean manual = manualDirtyLog && enableManualDirtyLog(fd);
    return new VirtualMachine(fd, memorySlotLimit, vcpuMmapSize, syncRegs, readOnlySupported, manual);
  }

  private static boolean enableManualDirtyLog(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment arg = arena.allocate(KvmStructs.KVM_ENABLE_CAP);
      arg.set(ValueLayout.JAVA_INT, 0, Capability.MANUAL_DIRTY_LOG_PROTECT2.number());
      arg.set(ValueLayout.JAVA_LONG, 8, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE);
      int rc = Sys.libc().ioctl(fd, Ioctls.KVM_ENABLE_CAP, arg.address());
      if (rc < 0) {
        LOG.debug("KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2) failed, errno {}", Sys.errno());
        return false;
      }
      return true;
    }
  }

  /**
   * Whether the dirty log runs in manual-protect mode ({@code KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2}:
   * {@code KVM_GET_DIRTY_LOG} reads, {@code KVM_CLEAR_DIRTY_LOG} re-protects only the pages that
   * were dirty) rather than the classic mode where each get clears and re-protects the whole slot.
   *
   * @return whether manual-protect mode is on
   */
  public boolean usesManualDirtyLogProtection() {
    return manualDirtyLog;
  }

  /**
   * The guest-physical memory of this VM.
   *
   * @return the accessor (valid until close)
   */
  public GuestMemory memory() {
    return new GuestMemory(this);
  }

  /**
   * The most memory regions this VM accepts.
   *
   * @return the limit given at creation
   */
  public int memorySlotLimit() {
    return memorySlotLimit;
  }

  /**
   * Maps host memory for {@code spec} and registers it as guest memory in the lowest free slot
   * ({@code KVM_SET_USER_MEMORY_REGION}). The VM owns the mapping: it is unmapped only after the
   * slot is removed or the VM (with its vCPUs) is closed, so the guest can never reach host memory
   * that was reused.
   *
   * <p>Safety: registering host memory as guest memory is the one dangerous KVM operation (the
   * guest may read and write it behind the JVM's back, and would keep doing so if it were unmapped
   * and reused). Here the caller never supplies a host address: the VM maps the memory itself, in
   * a reservation with {@code PROT_NONE} guard pages, and keeps it until no vCPU can run.
   *
   * @param spec where and how much
   * @return the region
   * @throws IllegalArgumentException if the region overlaps an existing one
   * @throws IllegalStateException if all {@link #memorySlotLimit()} slots are used or the VM is
   *     closed
   * @throws UnsupportedOperationException if read-only was asked and KVM lacks READONLY_MEM
   * @throws KvmException if mapping or registering fails
   */
  public MemoryRegion addMemoryRegion(MemoryRegionSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.readOnly() && !readOnlySupported) {
      throw new UnsupportedOperationException(
          "read-only memory regions need KVM_CAP_READONLY_MEM, which this KVM lacks");
    }
    synchronized (lock) {
      ensureOpen();
      List<MemoryRegion> current = regions;
      for (MemoryRegion existing : current) {
        if (overlaps(existing.spec(), spec)) {
          throw new IllegalArgumentException(
              "region "
                  + spec.base()
                  + "..0x"
                  + Long.toHexString(spec.last().value())
                  + " overlaps "
                  + existing);
        }
      }
      if (current.size() >= memorySlotLimit) {
        throw new IllegalStateException(
            "all " + memorySlotLimit + " memory slots of this VM are in use");
      }
      int slot = lowestFreeSlot(current);
      MemoryRegion region = MemoryRegion.map(spec, slot);
      try {
        setUserMemoryRegion(slot, slotFlags(spec), spec.base(), spec.size(), region.hostAddress());
      } catch (RuntimeException e) {
        region.release();
        throw e;
      }
      install(current, region);
      return region;
    }
  }

  /** Sets the restore strategy threshold (for measurements and tests). */
  void remapAbovePages(long pages) {
    remapAbovePages = pages;
  }

  private void install(List<MemoryRegion> current, MemoryRegion region) {
    List<MemoryRegion> next = new ArrayList<>(current);
    next.add(region);
    next.sort(Comparator.comparing(MemoryRegion::base));
    regions = List.copyOf(next);
    changedSince.clear(); // snapshots describe the old region set: none is restorable any more
  }

  /** Writable regions log guest writes; the guest cannot write read-only ones. */
  private static int slotFlags(MemoryRegionSpec spec) {
    return spec.readOnly() ? KVM_MEM_READONLY : KVM_MEM_LOG_DIRTY_PAGES;
  }

  /**
   * Adds one region per region of {@code image}, at the same guest addresses, whose host memory is
   * a private copy-on-write mapping of the image: every VM created from one image shares its
   * pages until it writes them (one private page per page written). {@link
   * #restoreMemory(MemorySnapshot)} with this image then costs only the pages dirtied since.
   *
   * @param image the memory image
   * @return the new regions, ordered by base
   * @throws IllegalArgumentException if a region of the image overlaps a region of this VM
   * @throws IllegalStateException if the slots run out or the VM is closed
   * @throws UnsupportedOperationException if the image has read-only regions and KVM lacks
   *     READONLY_MEM
   * @throws KvmException if mapping or registering fails
   */
  public List<MemoryRegion> addMemoryRegionsFrom(MemorySnapshot image) {
    Objects.requireNonNull(image, "image");
    synchronized (lock) {
      ensureOpen();
      List<MemoryRegion> added = new ArrayList<>();
      try {
        for (int i = 0; i < image.regions().size(); i++) {
          MemoryRegionSpec spec = image.regions().get(i);
          List<MemoryRegion> current = regions;
          checkAddable(current, spec);
          int slot = lowestFreeSlot(current);
          MemoryRegion region = MemoryRegion.mapImage(spec, slot, image.fd(), image.offset(i), image.populated(i));
          try {
            setUserMemoryRegion(
                slot, slotFlags(spec), spec.base(), spec.size(), region.hostAddress());
          } catch (RuntimeException e) {
            region.release();
            throw e;
          }
          install(current, region);
          added.add(region);
        }
      } catch (RuntimeException e) {
        for (MemoryRegion region : added) {
          attempt(() -> removeMemoryRegion(region), e);
        }
        throw e;
      } finally {
        Reference.reachabilityFence(image);
      }
      if (regions.size() == added.size()) {
        changedSince.put(image, emptyBitmaps(regions));
      }
      return List.copyOf(added);
    }
  }

  private void checkAddable(List<MemoryRegion> current, MemoryRegionSpec spec) {
    if (spec.readOnly() && !readOnlySupported) {
      throw new UnsupportedOperationException(
          "read-only memory regions need KVM_CAP_READONLY_MEM, which this KVM lacks");
    }
    for (MemoryRegion existing : current) {
      if (overlaps(existing.spec(), spec)) {
        throw new IllegalArgumentException(
            "region " + spec.base() + "..0x" + Long.toHexString(spec.last().value())
                + " overlaps " + existing);
      }
    }
    if (current.size() >= memorySlotLimit) {
      throw new IllegalStateException(
          "all " + memorySlotLimit + " memory slots of this VM are in use");
    }
  }

  /**
   * Returns, per region, the pages written since the previous call (or since the region was
   * added) by the guest ({@code KVM_GET_DIRTY_LOG}, then {@code KVM_CLEAR_DIRTY_LOG} in
   * manual-protect mode) or by the host (every write through {@link GuestMemory} and {@link
   * MemoryCell} marks its pages), and starts a new interval. Snapshot bookkeeping sees these pages
   * too, so calling this never makes a later restore miss a page.
   *
   * <p>No vCPU of this VM may run meanwhile (a page written during the call may be reported now or
   * next time).
   *
   * @return one entry per region, ordered by base
   * @throws IllegalStateException if the VM is closed
   * @throws KvmException if a dirty-log ioctl fails
   */
  public List<DirtyPages> takeDirtyPages() {
    synchronized (lock) {
      ensureOpen();
      List<MemoryRegion> current = regions;
      long[][] dirty = harvest(current);
      List<DirtyPages> result = new ArrayList<>();
      for (int i = 0; i < current.size(); i++) {
        MemoryRegion region = current.get(i);
        result.add(new DirtyPages(region.base(), region.pageCount(), dirty[i]));
      }
      return List.copyOf(result);
    }
  }

  /**
   * Captures all guest memory into a sealed image; from then on this VM tracks which pages differ
   * from it, so {@link #restoreMemory(MemorySnapshot)} copies only those. Costs a copy of the
   * pages that may be non-zero — those written since the memory was mapped, plus the pages of the
   * image it was mapped or restored from — not of all guest memory: pages never written are holes
   * in the image. When memory has not changed since an image this VM tracks (captured, restored or
   * mapped here), that image is returned again and nothing is copied.
   *
   * <p>No vCPU of this VM may run meanwhile.
   *
   * @return the image
   * @throws IllegalStateException if the VM is closed or has no memory region
   * @throws KvmException if creating the image or reading the dirty log fails
   */
  public MemorySnapshot captureMemory() {
    synchronized (lock) {
      ensureOpen();
      List<MemoryRegion> current = regions;
      if (current.isEmpty()) {
        throw new IllegalStateException("the VM has no memory region to capture");
      }
      harvest(current);
      for (Map.Entry<MemorySnapshot, long[][]> tracked : changedSince.entrySet()) {
        if (unchanged(tracked.getValue())) {
          return tracked.getKey(); // memory equals that image: an equal copy would only cost
        }
      }
      MemorySnapshot snapshot = MemorySnapshot.capture(current);
      changedSince.put(snapshot, emptyBitmaps(current));
      return snapshot;
    }
  }

  /**
   * Makes guest memory byte-for-byte equal to {@code image}. When {@code image} was captured from,
   * restored into or mapped into this VM (and is still reachable), only the pages written since
   * (by guest or host) are copied back: cost grows with those pages, not with memory size. An
   * image this VM has not tracked is restored by re-mapping each region copy-on-write from the
   * image (one {@code mmap} per region; the guest then faults in each page it touches).
   *
   * <p>No vCPU of this VM may run meanwhile. Register state is separate ({@link
   * Vcpu#restoreState(VcpuState)}).
   *
   * @param image the image
   * @return what was done
   * @throws IllegalArgumentException if the image's regions (base, size, read-only) differ from
   *     this VM's
   * @throws IllegalStateException if the VM is closed
   * @throws KvmException if the dirty log or a mapping fails (memory is then partly restored)
   */
  public MemoryRestore restoreMemory(MemorySnapshot image) {
    Objects.requireNonNull(image, "image");
    synchronized (lock) {
      ensureOpen();
      List<MemoryRegion> current = regions;
      requireSameRegions(image, current);
      long[][] dirty = harvest(current);
      long[][] since = changedSince.get(image);
      boolean tracked = since != null;
      long copied = 0;
      int remapped = 0;
      try {
        for (int i = 0; i < current.size(); i++) {
          MemoryRegion region = current.get(i);
          long[] pages = since != null ? since[i] : DirtyBits.all(region.pageCount());
          long count = DirtyBits.count(pages);
          if (count == 0) {
            continue;
          }
          if (count > remapAbovePages || since == null) {
            region.remapImage(image.fd(), image.offset(i), image.populated(i));
            remapped++;
          } else {
            image.copyPagesTo(i, pages, region.segment());
            region.copiedFromImage(pages, image.populated(i));
            copied += count;
          }
          // Pages put back changed relative to every other snapshot.
          for (Map.Entry<MemorySnapshot, long[][]> other : changedSince.entrySet()) {
            if (other.getKey() != image) {
              DirtyBits.or(other.getValue()[i], pages);
            }
          }
        }
      } finally {
        Reference.reachabilityFence(image);
      }
      changedSince.put(image, emptyBitmaps(current));
      long dirtied = 0;
      for (long[] d : dirty) {
        dirtied += DirtyBits.count(d);
      }
      return new MemoryRestore(tracked, copied, remapped, dirtied);
    }
  }

  private static void requireSameRegions(MemorySnapshot image, List<MemoryRegion> current) {
    List<MemoryRegionSpec> expected = image.regions();
    boolean same = expected.size() == current.size();
    for (int i = 0; same && i < expected.size(); i++) {
      MemoryRegionSpec a = expected.get(i);
      MemoryRegionSpec b = current.get(i).spec();
      same = a.base().equals(b.base()) && a.size() == b.size() && a.readOnly() == b.readOnly();
    }
    if (!same) {
      throw new IllegalArgumentException(
          "the image's regions " + expected + " differ from this VM's " + current);
    }
  }

  private static boolean unchanged(long[][] changed) {
    for (long[] region : changed) {
      for (long word : region) {
        if (word != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static long[][] emptyBitmaps(List<MemoryRegion> current) {
    long[][] bitmaps = new long[current.size()][];
    for (int i = 0; i < bitmaps.length; i++) {
      bitmaps[i] = new long[DirtyBits.words(current.get(i).pageCount())];
    }
    return bitmaps;
  }

  /**
   * Per region: guest-dirty (KVM) OR host-dirty pages since the last harvest, cleared; also ORed
   * into every tracked snapshot's changed set. Caller holds lock.
   */
  private long[][] harvest(List<MemoryRegion> current) {
    long[][] dirty = emptyBitmaps(current);
    for (int i = 0; i < current.size(); i++) {
      MemoryRegion region = current.get(i);
      if (!region.spec().readOnly()) {
        readKvmDirtyLog(region, dirty[i]);
      }
      region.takeHostDirty(dirty[i]);
      region.markPopulated(dirty[i]);
      for (long[][] since : changedSince.values()) {
        DirtyBits.or(since[i], dirty[i]);
      }
    }
    return dirty;
  }

  /**
   * The buffer for the dirty-log ioctls (the two structs, then the bitmap), at least {@code
   * bitmapBytes} of bitmap; caller holds lock. Kept for the VM's lifetime and freed by the garbage
   * collector (no close cost): a confined arena per harvest cost ≈ 0.3-0.5 µs per restore.
   */
  private MemorySegment dirtyLogScratch(long bitmapBytes) {
    MemorySegment s = dirtyLogScratch;
    long needed = DIRTY_LOG_STRUCTS + bitmapBytes;
    if (s == null || s.byteSize() < needed) {
      s = Arena.ofAuto().allocate(needed, 8);
      dirtyLogScratch = s;
    }
    return s;
  }

  private void readKvmDirtyLog(MemoryRegion region, long[] into) {
    MemorySegment scratch = dirtyLogScratch(8L * into.length);
    MemorySegment get = scratch.asSlice(0, KvmStructs.KVM_DIRTY_LOG.byteSize()).fill((byte) 0);
    MemorySegment clearStruct =
        scratch.asSlice(DIRTY_LOG_CLEAR_AT, KvmStructs.KVM_CLEAR_DIRTY_LOG.byteSize()).fill((byte) 0);
    MemorySegment bitmap = scratch.asSlice(DIRTY_LOG_STRUCTS, 8L * into.length);
    get.set(ValueLayout.JAVA_INT, 0, region.slot());
    get.set(ValueLayout.JAVA_LONG, 8, bitmap.address());
    Sys.ioctl(fd, Ioctls.KVM_GET_DIRTY_LOG, get.address(), "KVM_GET_DIRTY_LOG");
    boolean any = false;
    for (int w = 0; w < into.length; w++) {
      long word = bitmap.getAtIndex(ValueLayout.JAVA_LONG, w);
      any |= word != 0;
      into[w] |= word;
    }
    if (manualDirtyLog && any) {
      MemorySegment clear = clearStruct;
      clear.set(ValueLayout.JAVA_INT, 0, region.slot());
      clear.set(ValueLayout.JAVA_INT, 4, Math.toIntExact(region.pageCount()));
      clear.set(ValueLayout.JAVA_LONG, 8, 0L);
      clear.set(ValueLayout.JAVA_LONG, 16, bitmap.address());
      Sys.ioctl(fd, Ioctls.KVM_CLEAR_DIRTY_LOG, clear.address(), "KVM_CLEAR_DIRTY_LOG");
    }
  }

  /**
   * Unregisters the region's slot and unmaps its host memory. Later accesses to it throw {@link
   * IllegalStateException}.
   *
   * @param region a region of this VM
   * @throws IllegalArgumentException if the region is not (or no longer) part of this VM
   * @throws IllegalStateException if the VM is closed
   */
  public void removeMemoryRegion(MemoryRegion region) {
    synchronized (lock) {
      ensureOpen();
      List<MemoryRegion> current = regions;
      if (!current.contains(region)) {
        throw new IllegalArgumentException(region + " is not a memory region of this VM");
      }
      setUserMemoryRegion(region.slot(), 0, region.base(), 0, 0);
      List<MemoryRegion> next = new ArrayList<>(current);
      next.remove(region);
      regions = List.copyOf(next);
      changedSince.clear();
      region.release();
    }
  }

  List<MemoryRegion> regions() {
    ensureOpen();
    return regions;
  }

  /**
   * Creates a vCPU and maps its {@code kvm_run} area.
   *
   * @param id the vCPU id (0-based)
   * @return the vCPU, owned by the caller (and closed with this VM at the latest)
   * @throws IllegalArgumentException if {@code id} is negative
   * @throws IllegalStateException if the VM is closed
   * @throws KvmException if {@code KVM_CREATE_VCPU} fails (e.g. EEXIST for a duplicate id)
   */
  public Vcpu createVcpu(int id) {
    if (id < 0) {
      throw new IllegalArgumentException("vCPU id must not be negative: " + id);
    }
    synchronized (lock) {
      ensureOpen();
      int vcpuFd = Sys.ioctl(fd, Ioctls.KVM_CREATE_VCPU, id, "KVM_CREATE_VCPU");
      Vcpu vcpu = Vcpu.create(this, vcpuFd, id, vcpuMmapSize, syncRegs);
      vcpus.add(vcpu);
      return vcpu;
    }
  }

  void forget(Vcpu vcpu) {
    synchronized (lock) {
      vcpus.remove(vcpu);
    }
  }

  private void setUserMemoryRegion(
      int slot, int flags, GuestAddress base, long size, long hostAddress) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment arg = arena.allocate(KvmStructs.KVM_USERSPACE_MEMORY_REGION);
      arg.set(ValueLayout.JAVA_INT, 0, slot);
      arg.set(ValueLayout.JAVA_INT, 4, flags);
      arg.set(ValueLayout.JAVA_LONG, 8, base.value());
      arg.set(ValueLayout.JAVA_LONG, 16, size);
      arg.set(ValueLayout.JAVA_LONG, 24, hostAddress);
      Sys.ioctl(fd, Ioctls.KVM_SET_USER_MEMORY_REGION, arg.address(), "KVM_SET_USER_MEMORY_REGION");
    }
  }

  static @Nullable RuntimeException attempt(
      Runnable step, @Nullable RuntimeException earlier) {
    try {
      step.run();
      return earlier;
    } catch (RuntimeException e) {
      if (earlier == null) {
        return e;
      }
      earlier.addSuppressed(e);
      return earlier;
    }
  }

  private static boolean overlaps(MemoryRegionSpec a, MemoryRegionSpec b) {
    return a.base().compareTo(b.last()) <= 0 && b.base().compareTo(a.last()) <= 0;
  }

  private static int lowestFreeSlot(List<MemoryRegion> current) {
    boolean[] used = new boolean[current.size() + 1];
    for (MemoryRegion region : current) {
      if (region.slot() < used.length) {
        used[region.slot()] = true;
      }
    }
    int slot = 0;
    while (used[slot]) {
      slot++;
    }
    return slot;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("VirtualMachine is closed");
    }
  }

  /**
   * Whether {@link #close()} has been called.
   *
   * @return whether closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the vCPUs of this VM (stopping any that run), the VM descriptor, then unmaps the guest
   * memory. Idempotent.
   *
   * @throws KvmException if a descriptor or mapping cannot be released (the VM is closed anyway)
   */
  @Override
  public void close() {
    List<Vcpu> children;
    List<MemoryRegion> toRelease;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      children = List.copyOf(vcpus);
      toRelease = regions;
      regions = List.of();
    }
    // Release everything even if one step fails; report the first failure.
    RuntimeException failure = null;
    for (Vcpu vcpu : children) {
      failure = attempt(vcpu::close, failure);
    }
    // Memory is unmapped only after the VM descriptor is gone: no vCPU can touch it any more.
    failure = attempt(() -> Sys.close(fd, "VM"), failure);
    for (MemoryRegion region : toRelease) {
      failure = attempt(region::release, failure);
    }
    LOG.debug("closed VM fd {} with {} regions", fd, toRelease.size());
    if (failure != null) {
      throw failure;
    }
  }
}
