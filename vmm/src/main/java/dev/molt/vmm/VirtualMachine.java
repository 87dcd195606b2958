package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Ioctls;
import dev.molt.vmm.internal.sys.KvmStructs;
import dev.molt.vmm.internal.sys.Sys;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
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
  private static final int KVM_MEM_READONLY = 1 << 1;

  private final int fd;
  private final int memorySlotLimit;
  private final long vcpuMmapSize;
  private final int syncRegs;
  private final boolean readOnlySupported;
  private final Object lock = new Object();
  private volatile List<MemoryRegion> regions = List.of();
  private final List<Vcpu> vcpus = new ArrayList<>();
  private volatile boolean closed;

  VirtualMachine(
      int fd, int memorySlotLimit, long vcpuMmapSize, int syncRegs, boolean readOnlySupported) {
    this.fd = fd;
    this.memorySlotLimit = memorySlotLimit;
    this.vcpuMmapSize = vcpuMmapSize;
    this.syncRegs = syncRegs;
    this.readOnlySupported = readOnlySupported;
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
        setUserMemoryRegion(
            slot, spec.readOnly() ? KVM_MEM_READONLY : 0, spec.base(), spec.size(),
            region.hostAddress());
      } catch (RuntimeException e) {
        region.release();
        throw e;
      }
      List<MemoryRegion> next = new ArrayList<>(current);
      next.add(region);
      next.sort(Comparator.comparing(MemoryRegion::base));
      regions = List.copyOf(next);
      return region;
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
