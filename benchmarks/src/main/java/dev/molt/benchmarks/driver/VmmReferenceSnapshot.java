package dev.molt.benchmarks.driver;

import dev.molt.benchmarks.scenario.ReferenceSnapshot;
import dev.molt.vmm.FpuState;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.MemoryRestore;
import dev.molt.vmm.MemorySnapshot;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuExit;
import dev.molt.vmm.VcpuState;
import dev.molt.vmm.VirtualMachine;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor's snapshot reference VM ({@code snapshot_floor.c}) over vmm: the reference layout,
 * the dirtying code at {@link #DIRTY_ENTRY}, {@link #DATA_PAGES} data pages written by the host,
 * a warm-up entry, xmm0 = {@link #XMM0}, registers at the dirtying code; then its snapshot.
 */
final class VmmReferenceSnapshot implements ReferenceSnapshot {
  /** The dirtying code's address (snapshot_floor.h SNAP_DIRTY_ENTRY). */
  static final long DIRTY_ENTRY = ReferenceGuest.USER_CODE + 0x100;
  /** First data page (SNAP_DATA_BASE). */
  static final long DATA_BASE = 0x400000;
  /** Data pages the host writes (SNAP_DATA_PAGES). */
  static final int DATA_PAGES = 256;
  /** First qword of data page k is this + k (SNAP_DATA_VALUE). */
  static final long DATA_VALUE = 0x5A5A000000000000L;
  /** Pages a snapshot holds: 17 layout pages, the user code page, the data pages (SNAP_POPULATED). */
  static final long POPULATED_PAGES = 17 + 1 + DATA_PAGES;
  /** Low qword of xmm0 in the snapshot (SNAP_XMM0). */
  static final long XMM0 = 0x0000C0FFEE000000L;
  private static final long PAGE = 4096;

  /**
   * {@code movq %xmm0,%rax; add (%rsi),%rax; inc %rax; movq %rax,%xmm0; 1: mov %rax,(%rsi);
   * add $0x1000,%rsi; dec %rdi; jnz 1b; out %al,$0x10; ud2} (snapshot_floor.c SNAP_DIRTY_CODE).
   */
  static final byte[] DIRTY_CODE = {
    0x66, 0x48, 0x0f, 0x7e, (byte) 0xc0, 0x48, 0x03, 0x06, 0x48, (byte) 0xff, (byte) 0xc0, 0x66,
    0x48, 0x0f, 0x6e, (byte) 0xc0, 0x48, (byte) 0x89, 0x06, 0x48, (byte) 0x81, (byte) 0xc6, 0x00,
    0x10, 0x00, 0x00, 0x48, (byte) 0xff, (byte) 0xcf, 0x75, (byte) 0xf1, (byte) 0xe6, 0x10, 0x0f,
    0x0b,
  };

  private static final Logger LOG = LoggerFactory.getLogger(VmmReferenceSnapshot.class);

  private final Kvm kvm;
  private final VirtualMachine vm;
  private final Vcpu vcpu;
  private final int pages;
  private final MemorySnapshot image;
  private final VcpuState state;
  private long restoredRuns;
  private long fpuLost;

  private VmmReferenceSnapshot(
      Kvm kvm, VirtualMachine vm, Vcpu vcpu, int pages, MemorySnapshot image, VcpuState state) {
    this.kvm = kvm;
    this.vm = vm;
    this.vcpu = vcpu;
    this.pages = pages;
    this.image = image;
    this.state = state;
  }

  static VmmReferenceSnapshot open(Kvm kvm, int pages) {
    if (pages < 1 || pages > DATA_PAGES) {
      throw new IllegalArgumentException("pages must be 1.." + DATA_PAGES + ", was " + pages);
    }
    VirtualMachine vm = kvm.createVirtualMachine(1);
    try {
      ReferenceGuest.addMemoryWithImage(vm);
      vm.memory().write(GuestAddress.of(DIRTY_ENTRY), DIRTY_CODE);
      for (int k = 0; k < DATA_PAGES; k++) {
        vm.memory().writeLong(GuestAddress.of(DATA_BASE + k * PAGE), DATA_VALUE + k);
      }
      Vcpu vcpu = vm.createVcpu(0);
      ReferenceGuest.enter(vcpu, ReferenceGuest.ENTRY_FIRST_EXIT);
      VcpuExit first = vcpu.run();
      ReferenceGuest.expectDone(first, "snapshot setup");
      vcpu.setFpu(withXmm0(vcpu.fpu(), XMM0));
      vcpu.setSpecialRegisters(ReferenceGuest.SPECIAL);
      vcpu.setRegisters(dirtyEntry(pages));
      MemorySnapshot image = vm.captureMemory();
      VcpuState state = vcpu.captureState();
      return new VmmReferenceSnapshot(kvm, vm, vcpu, pages, image, state);
    } catch (RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  private static FpuState withXmm0(FpuState fpu, long low) {
    List<FpuState.Vector128> xmm = new ArrayList<>(fpu.xmm());
    xmm.set(0, new FpuState.Vector128(low, 0));
    return new FpuState(
        fpu.x87(), fpu.fcw(), fpu.fsw(), fpu.ftwx(), fpu.lastOpcode(), fpu.lastIp(), fpu.lastDp(),
        xmm, fpu.mxcsr());
  }

  private static Registers dirtyEntry(long pages) {
    return ReferenceGuest.entry(DIRTY_ENTRY).toBuilder().rdi(pages).rsi(DATA_BASE).build();
  }

  @Override
  public long expectedRax() {
    return XMM0 + DATA_VALUE + 1;
  }

  @Override
  public long populatedPages() {
    return image.populatedPages();
  }

  @Override
  public long run(long expected) {
    ReferenceGuest.expectDone(vcpu.run(), "snapshot run");
    return check(vcpu.registers().rax(), expected);
  }

  /**
   * Checks RAX after a run. A run from a restored snapshot whose xmm0 read as 0 (the FPU state
   * set by restoreState did not reach the guest: seen on this PVM hypervisor about once in 2,000
   * VMs created from a snapshot, by the floor too) is counted and logged, and fatal above 1 % of
   * the runs.
   */
  private long check(long rax, long expected) {
    if (expected == expectedRax()) {
      restoredRuns++;
      if (rax == expected - XMM0) {
        fpuLost++;
        LOG.warn("xmm0 was 0 in a run from the restored snapshot (FPU state lost, {} of {} runs)",
            fpuLost, restoredRuns);
        if (fpuLost * 100 > restoredRuns && restoredRuns >= 100) {
          throw new IllegalStateException(
              "the FPU state was lost in " + fpuLost + " of " + restoredRuns + " runs");
        }
        return rax;
      }
    }
    if (rax != expected) {
      throw new IllegalStateException(
          "RAX 0x%x after the run, expected 0x%x".formatted(rax, expected));
    }
    return rax;
  }

  @Override
  public long runDirtyingOnePage(long expected) {
    vcpu.setRegisters(dirtyEntry(1));
    return run(expected);
  }

  @Override
  public Object capture() {
    return new Capture(vm.captureMemory(), vcpu.captureState());
  }

  private record Capture(MemorySnapshot memory, VcpuState state) {}

  @Override
  public void checkCapture(Object capture, long rax) {
    if (!(capture instanceof Capture(MemorySnapshot memory, VcpuState captured))) {
      throw new IllegalArgumentException("not a capture of this VM: " + capture);
    }
    long held = readLong(memory, DATA_BASE);
    long xmm0 = captured.fpu().xmm().get(0).low();
    if (held != rax || captured.general().rax() != rax || xmm0 != rax
        || readLong(memory, DATA_BASE + PAGE) != DATA_VALUE + 1
        || memory.populatedPages() != POPULATED_PAGES) {
      throw new IllegalStateException(
          "capture differs from the VM: image 0x%x, RAX 0x%x, xmm0 0x%x (expected 0x%x), %d pages"
              .formatted(held, captured.general().rax(), xmm0, rax, memory.populatedPages()));
    }
  }

  private static long readLong(MemorySnapshot memory, long address) {
    byte[] bytes = memory.read(GuestAddress.of(address), 8);
    return java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Override
  public long restore() {
    MemoryRestore done = vm.restoreMemory(image);
    vcpu.restoreState(state);
    return done.pagesCopied();
  }

  @Override
  public void checkRestored(long copied) {
    if (copied < pages) {
      throw new IllegalStateException(
          "restore copied " + copied + " pages, the guest dirtied " + pages);
    }
    for (int k = 0; k < pages; k++) {
      long value = vm.memory().readLong(GuestAddress.of(DATA_BASE + k * PAGE));
      if (value != DATA_VALUE + k) {
        throw new IllegalStateException("data page " + k + " not restored: 0x" + Long.toHexString(value));
      }
    }
  }

  @Override
  public Object createFromSnapshot() {
    VirtualMachine created = kvm.createVirtualMachine(1);
    try {
      created.addMemoryRegionsFrom(image);
      Vcpu v = created.createVcpu(0);
      v.reportFaultsOn(ReferenceGuest.IMAGE.faultPorts());
      v.setSpecialRegisters(state.special());
      v.setRegisters(
          Registers.builder().rip(0).rsp(ReferenceGuest.STACK_TOP).rflags(0x2).build());
      VcpuExit warmUp = v.run();
      if (!(warmUp instanceof VcpuExit.Fault f) || f.fault().vector().number() != 14) {
        throw new IllegalStateException("the warm-up entry ended with " + warmUp + ", not #PF");
      }
      MemoryRestore done = created.restoreMemory(image);
      v.restoreState(state);
      if (done.pagesCopied() < 1) {
        throw new IllegalStateException("the warm-up entry dirtied no page");
      }
      return new Created(created, v);
    } catch (RuntimeException e) {
      created.close();
      throw e;
    }
  }

  /** The handle of a VM created from the snapshot; {@link #checkAndClose} closes its VM. */
  private record Created(VirtualMachine vm, Vcpu vcpu) {}

  @Override
  public void checkAndClose(Object created) {
    if (!(created instanceof Created c)) {
      throw new IllegalArgumentException("not a VM of this snapshot: " + created);
    }
    try {
      ReferenceGuest.expectDone(c.vcpu().run(), "create-from-snapshot");
      check(c.vcpu().registers().rax(), expectedRax());
    } finally {
      c.vm().close();
    }
  }

  @Override
  public void close() {
    vm.close();
  }

  @Override
  public String toString() {
    return "VmmReferenceSnapshot[" + pages + " pages, " + image + "]";
  }
}
