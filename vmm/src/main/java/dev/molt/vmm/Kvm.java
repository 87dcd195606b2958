package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Errno;
import dev.molt.vmm.internal.sys.Ioctls;
import dev.molt.vmm.internal.sys.Sys;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An open {@code /dev/kvm}: checks the API version and capabilities and creates virtual
 * machines. Thread-safe. Closing it does not affect the virtual machines it created.
 *
 * {@snippet :
 * try (Kvm kvm = Kvm.open();
 *     VirtualMachine vm = kvm.createVirtualMachine()) {
 *   MemoryRegion ram = vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), 2 << 20));
 *   try (Vcpu vcpu = vm.createVcpu(0)) {
 *     VcpuExit exit = vcpu.run();
 *   }
 * }
 * }
 */
public final class Kvm implements AutoCloseable {
  /** The only KVM API version there has ever been. */
  public static final int API_VERSION = 12;

  /** The device path. */
  public static final String DEVICE = "/dev/kvm";

  private final int fd;
  private final long vcpuMmapSize;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle
  /**
   * KVM_CHECK_EXTENSION answers by {@link Capability#ordinal()}, -1 until asked: the device's
   * answers cannot change while it is open, and creating a VM asked four of them each time.
   */
  private final AtomicIntegerArray capabilities = unknownCapabilities();

  private Kvm(int fd) {
    this.fd = fd;
    this.vcpuMmapSize = Sys.ioctl(fd, Ioctls.KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
  }

  /**
   * Opens {@code /dev/kvm} and checks that it speaks API version 12 and supports user memory and
   * {@code immediate_exit}.
   *
   * @return the open device
   * @throws KvmException if the device cannot be opened, its API version is not 12, or a
   *     required capability is missing
   */
  public static Kvm open() {
    return open(DEVICE);
  }

  static Kvm open(String device) {
    int fd = Sys.openReadWrite(device);
    try {
      int version = Sys.ioctl(fd, Ioctls.KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION");
      if (version != API_VERSION) {
        throw new KvmException(
            "KVM_GET_API_VERSION", "returned " + version + ", this library needs " + API_VERSION);
      }
      for (Capability required :
          new Capability[] {Capability.USER_MEMORY, Capability.IMMEDIATE_EXIT}) {
        if (Sys.ioctl(fd, Ioctls.KVM_CHECK_EXTENSION, required.number(), "KVM_CHECK_EXTENSION")
            <= 0) {
          throw new KvmException(
              "KVM_CHECK_EXTENSION(" + required + ")", "capability required by Molt is missing");
        }
      }
      return new Kvm(fd);
    } catch (RuntimeException e) {
      Sys.libc().close(fd);
      throw e;
    }
  }

  /**
   * {@code KVM_CHECK_EXTENSION} on the device.
   *
   * @param capability the capability
   * @return 0 when unsupported, otherwise a positive, capability-specific value
   * @throws IllegalStateException if closed
   */
  public int check(Capability capability) {
    Lock shared = openForUse();
    try {
      int known = capabilities.get(capability.ordinal());
      if (known >= 0) {
        return known;
      }
      int answer =
          Sys.ioctl(fd, Ioctls.KVM_CHECK_EXTENSION, capability.number(), "KVM_CHECK_EXTENSION");
      capabilities.set(capability.ordinal(), answer);
      return answer;
    } finally {
      shared.unlock();
    }
  }

  private static AtomicIntegerArray unknownCapabilities() {
    AtomicIntegerArray answers = new AtomicIntegerArray(Capability.values().length);
    for (int i = 0; i < answers.length(); i++) {
      answers.set(i, -1);
    }
    return answers;
  }

  /**
   * Whether the capability is supported.
   *
   * @param capability the capability
   * @return {@code check(capability) > 0}
   * @throws IllegalStateException if closed
   */
  public boolean supports(Capability capability) {
    return check(capability) > 0;
  }

  /**
   * Creates a virtual machine with as many memory slots as the kernel allows.
   *
   * @return the new virtual machine, owned by the caller
   * @throws IllegalStateException if closed
   * @throws KvmException if {@code KVM_CREATE_VM} fails
   */
  public VirtualMachine createVirtualMachine() {
    return createVirtualMachine(maxMemorySlots());
  }

  /**
   * Creates a virtual machine limited to {@code memorySlotLimit} memory regions.
   *
   * @param memorySlotLimit 1..{@link #maxMemorySlots()}
   * @return the new virtual machine, owned by the caller
   * @throws IllegalArgumentException if the limit is out of range
   * @throws IllegalStateException if closed
   * @throws KvmException if {@code KVM_CREATE_VM} fails
   */
  public VirtualMachine createVirtualMachine(int memorySlotLimit) {
    int kernelLimit = maxMemorySlots();
    if (memorySlotLimit < 1 || memorySlotLimit > kernelLimit) {
      throw new IllegalArgumentException(
          "memorySlotLimit must be 1.." + kernelLimit + " (KVM_CAP_NR_MEMSLOTS): " + memorySlotLimit);
    }
    return createVirtualMachine(
        memorySlotLimit, supports(Capability.MANUAL_DIRTY_LOG_PROTECT2));
  }

  /** As {@link #createVirtualMachine(int)}, choosing the dirty-log mode (for measurements). */
  VirtualMachine createVirtualMachine(int memorySlotLimit, boolean manualDirtyLog) {
    int syncRegs = check(Capability.SYNC_REGS);
    boolean readOnly = supports(Capability.READONLY_MEM);
    Lock shared = openForUse();
    try {
      int vmFd = createVmFd();
      return VirtualMachine.create(
          vmFd, memorySlotLimit, vcpuMmapSize, syncRegs, readOnly, manualDirtyLog);
    } finally {
      shared.unlock();
    }
  }

  /**
   * KVM_CREATE_VM, repeated when a signal interrupted it (EINTR: e.g. a profiler's sampling signal;
   * the kernel created nothing then).
   */
  private int createVmFd() {
    for (int attempt = 1; ; attempt++) {
      try {
        return Sys.ioctl(fd, Ioctls.KVM_CREATE_VM, 0, "KVM_CREATE_VM");
      } catch (KvmException e) {
        if (e.errno() != Errno.EINTR || attempt == 100) {
          throw e;
        }
      }
    }
  }

  /**
   * The kernel's memory-slot limit per VM ({@code KVM_CAP_NR_MEMSLOTS}).
   *
   * @return the limit
   * @throws IllegalStateException if closed
   */
  public int maxMemorySlots() {
    int slots = check(Capability.NR_MEMSLOTS);
    return slots > 0 ? slots : 32;
  }

  /**
   * The size of the per-vCPU {@code kvm_run} mapping.
   *
   * @return bytes
   */
  public long vcpuMmapSize() {
    return vcpuMmapSize;
  }

  /**
   * Holds the descriptor open for one call: close() waits for calls in flight, so a call can
   * never reach a descriptor number that was closed and reused.
   */
  private Lock openForUse() {
    Lock shared = lifecycle.readLock();
    shared.lock();
    if (closed) {
      shared.unlock();
      throw new IllegalStateException("Kvm is closed");
    }
    return shared;
  }

  /** Closes the device; idempotent. Virtual machines created from it stay usable. */
  @Override
  public void close() {
    Lock exclusive = lifecycle.writeLock();
    exclusive.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Sys.close(fd, DEVICE);
    } finally {
      exclusive.unlock();
    }
  }
}
