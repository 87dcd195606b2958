package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Errno;
import dev.molt.vmm.internal.sys.Ioctls;
import dev.molt.vmm.internal.sys.KvmStructs;
import dev.molt.vmm.internal.sys.Sys;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A virtual CPU, created by {@link VirtualMachine#createVcpu(int)}. It owns its file descriptor
 * and its {@code kvm_run} mapping. One thread at a time may use it ({@link #run()} and the
 * register methods throw {@link IllegalStateException} while another thread runs it); {@link
 * #interruptHandle()} and {@link #close()} may be called from any thread.
 *
 * <p>When KVM supports {@code KVM_CAP_SYNC_REGS}, registers travel through {@code kvm_run->s.regs}:
 * setting registers costs no ioctl and takes effect on the next {@code KVM_RUN}, and after each
 * run the registers are read from the shared page.
 *
 * <p>After a {@link VcpuExit.Fault} or {@link VcpuExit.Shutdown} the vCPU refuses to run until
 * {@link #setSpecialRegisters(SpecialRegisters)} resets it (the ring-0 stub must not resume).
 */
public final class Vcpu implements AutoCloseable {
  private static final int EXIT_IO = 2;
  private static final int EXIT_HLT = 5;
  private static final int EXIT_MMIO = 6;
  private static final int EXIT_SHUTDOWN = 8;
  private static final int EXIT_FAIL_ENTRY = 9;
  private static final int EXIT_INTERNAL_ERROR = 17;
  private static final int IO_OUT = 1;
  private static final VarHandle IMMEDIATE_EXIT = ValueLayout.JAVA_BYTE.varHandle();
  private static final long IO_AT = KvmStructs.RUN_EXIT_UNION;
  private static final long MMIO_AT = KvmStructs.RUN_EXIT_UNION;

  /** Per thread: its kernel thread id, once the kick signal is blocked in it. */
  private static final ThreadLocal<@Nullable Integer> PREPARED_THREAD =
      ThreadLocal.withInitial(
          () -> {
            Sys.blockInThisThread(Sys.kickSignal());
            return Sys.gettid();
          });

  private final VirtualMachine vm;
  private final int fd;
  private final int id;
  private final long runSize;
  private final long runAddress;
  private final MemorySegment run;
  private final long syncMask;

  private final ReentrantLock runLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object killLock = new Object();
  private boolean released; // guarded by killLock
  private final AtomicBoolean killPending = new AtomicBoolean();
  private final AtomicInteger runningTid = new AtomicInteger();
  private final AtomicLong runEpoch = new AtomicLong();

  // Guarded by runLock:
  private @Nullable FaultPorts faultPorts;
  private @Nullable String resetRequiredBecause;
  private boolean syncFilled;
  private long pendingIoInOffset = -1;
  private int pendingIoInSize;
  private boolean completionPending; // last exit was IoIn or Mmio: KVM finishes it on entry
  private boolean entered; // KVM_RUN was called at least once
  private boolean generalWritten; // the host set the general registers
  private boolean fpuWritten; // the host set the x87/SSE state

  /**
   * The general and x87/SSE registers of a vCPU that has neither entered the guest nor had them
   * set: KVM's reset values, the same for every vCPU of this host. Read by ioctl once, so a
   * snapshot of a fresh VM (a state's first rollback point) costs no register ioctls for them.
   */
  private static final java.util.concurrent.ConcurrentHashMap<RegisterSet<?>, Object> RESET_VALUES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Vcpu(VirtualMachine vm, int fd, int id, long runSize, long runAddress, long syncMask) {
    this.vm = vm;
    this.fd = fd;
    this.id = id;
    this.runSize = runSize;
    this.runAddress = runAddress;
    this.syncMask = syncMask;
    // In bounds: runSize is KVM_GET_VCPU_MMAP_SIZE, the length of our own mapping. The view is in
    // the global scope, not a shared arena closed before munmap: closing a shared arena is a
    // handshake with every Java thread (~20 us, more with more threads) on each vCPU close. It is
    // never touched after munmap because every access holds runLock after checking `closed`
    // (lockForUse) or holds killLock after checking `released`, and close() sets both under those
    // locks before it unmaps.
    this.run = NativeMemory.view(runAddress, runSize, Arena.global());
  }

  static Vcpu create(VirtualMachine vm, int fd, int id, long runSize, int syncRegsCapability) {
    long runAddress;
    try {
      if (runSize < KvmStructs.KVM_RUN.byteSize()) {
        throw new KvmException(
            "KVM_GET_VCPU_MMAP_SIZE", "returned " + runSize + ", smaller than struct kvm_run");
      }
      runAddress =
          Sys.mmap(0, runSize, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_SHARED, fd, 0, "kvm_run");
    } catch (RuntimeException e) {
      Sys.libc().close(fd);
      throw e;
    }
    long wanted = RegisterSet.GENERAL.syncBit() | RegisterSet.SPECIAL.syncBit();
    long syncMask = (syncRegsCapability & wanted) == wanted ? wanted : 0;
    Vcpu vcpu = new Vcpu(vm, fd, id, runSize, runAddress, syncMask);
    try {
      vcpu.setSignalMaskForRun();
    } catch (RuntimeException e) {
      vcpu.close();
      throw e;
    }
    return vcpu;
  }

  /** Inside KVM_RUN: the creating thread's mask without the kick signal. */
  private void setSignalMaskForRun() {
    long mask = Sys.blockedSignalsOfThisThread() & ~(1L << (Sys.kickSignal() - 1));
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment arg = scratch.allocate(4 + Sys.KERNEL_SIGSET_SIZE, 8);
      arg.set(ValueLayout.JAVA_INT, 0, Sys.KERNEL_SIGSET_SIZE);
      arg.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, mask);
      Sys.ioctl(fd, Ioctls.KVM_SET_SIGNAL_MASK, arg.address(), "KVM_SET_SIGNAL_MASK");
    }
  }

  /**
   * The vCPU id.
   *
   * @return the id given at creation
   */
  public int id() {
    return id;
  }

  /**
   * The handle that stops this vCPU from another thread.
   *
   * @return the handle (valid forever; a no-op once this vCPU is closed)
   */
  public InterruptHandle interruptHandle() {
    return new InterruptHandle(this);
  }

  /**
   * Whether registers travel through {@code kvm_run->s.regs} ({@code KVM_CAP_SYNC_REGS}).
   *
   * @return whether setting registers costs no ioctl
   */
  public boolean usesSyncRegisters() {
    return syncMask != 0;
  }

  /**
   * Where this vCPU's ring-0 stubs report exceptions; exits on those ports at CPL 0 become {@link
   * VcpuExit.Fault}.
   *
   * @param ports the stub ports
   * @throws IllegalStateException if closed or running on another thread
   */
  public void reportFaultsOn(FaultPorts ports) {
    Objects.requireNonNull(ports, "ports");
    lockForUse();
    try {
      this.faultPorts = ports;
    } finally {
      runLock.unlock();
    }
  }

  /**
   * Runs the guest until it exits ({@code KVM_RUN}).
   *
   * @return why the guest stopped
   * @throws IllegalStateException if closed, running on another thread, called on a virtual
   *     thread, or awaiting a register reset after a fault or shutdown
   * @throws KvmException if {@code KVM_RUN} fails (e.g. EINVAL for register values KVM rejects)
   */
  public VcpuExit run() {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException(
          "run a vCPU on a platform thread: the kick signal targets an OS thread, and a virtual"
              + " thread may change carriers between runs");
    }
    lockForUse();
    try {
      String reason = resetRequiredBecause;
      if (reason != null) {
        throw new IllegalStateException(
            "vCPU " + id + " stopped on " + reason + "; set the special registers before running");
      }
      Integer tid = PREPARED_THREAD.get();
      if (tid == null) {
        throw new IllegalStateException("could not prepare this thread for running a vCPU");
      }
      pendingIoInOffset = -1;
      completionPending = false;
      while (true) {
        if (killPending.getAndSet(false)) {
          IMMEDIATE_EXIT.setVolatile(run, KvmStructs.RUN_IMMEDIATE_EXIT, (byte) 0);
          return new VcpuExit.Interrupted();
        }
        long dirty = run.get(ValueLayout.JAVA_LONG, KvmStructs.RUN_DIRTY_REGS);
        run.set(ValueLayout.JAVA_LONG, KvmStructs.RUN_VALID_REGS, syncMask);
        runEpoch.incrementAndGet();
        runningTid.set(tid);
        entered = true;
        int rc = Sys.libc().ioctl(fd, Ioctls.KVM_RUN, 0);
        int errno = rc < 0 ? Sys.errno() : 0;
        runningTid.set(0);
        if (rc >= 0) {
          syncFilled = syncMask != 0;
          return decodeExit();
        }
        if (errno != Errno.EINTR) {
          throw new KvmException(
              dirty != 0 ? "KVM_RUN (with registers set through kvm_run.s.regs)" : "KVM_RUN",
              errno);
        }
        // Interrupted: by our kick (the signal stays pending, blocked outside KVM_RUN) or by
        // another signal. Drain, clear immediate_exit, and let the loop head decide.
        syncFilled = syncMask != 0;
        Sys.drainPending(Sys.kickSignal());
        IMMEDIATE_EXIT.setVolatile(run, KvmStructs.RUN_IMMEDIATE_EXIT, (byte) 0);
      }
    } finally {
      runLock.unlock();
    }
  }

  private VcpuExit decodeExit() {
    int reason = run.get(ValueLayout.JAVA_INT, KvmStructs.RUN_EXIT_REASON);
    return switch (reason) {
      case EXIT_IO -> decodeIo();
      case EXIT_HLT -> new VcpuExit.Hlt();
      case EXIT_MMIO -> decodeMmio();
      case EXIT_SHUTDOWN -> {
        resetRequiredBecause = "a shutdown (triple fault)";
        yield new VcpuExit.Shutdown();
      }
      case EXIT_FAIL_ENTRY ->
          new VcpuExit.FailEntry(
              run.get(ValueLayout.JAVA_LONG, KvmStructs.RUN_EXIT_UNION),
              run.get(ValueLayout.JAVA_INT, KvmStructs.RUN_EXIT_UNION + 8));
      case EXIT_INTERNAL_ERROR ->
          new VcpuExit.InternalError(run.get(ValueLayout.JAVA_INT, KvmStructs.RUN_EXIT_UNION));
      default -> new VcpuExit.Unsupported(reason);
    };
  }

  private VcpuExit decodeIo() {
    int direction = Byte.toUnsignedInt(run.get(ValueLayout.JAVA_BYTE, IO_AT));
    int size = Byte.toUnsignedInt(run.get(ValueLayout.JAVA_BYTE, IO_AT + 1));
    int port = Short.toUnsignedInt(run.get(ValueLayout.JAVA_SHORT, IO_AT + 2));
    int count = run.get(ValueLayout.JAVA_INT, IO_AT + 4);
    long dataOffset = run.get(ValueLayout.JAVA_LONG, IO_AT + 8);
    boolean sane =
        count == 1
            && (size == 1 || size == 2 || size == 4)
            && dataOffset >= 0
            && dataOffset <= runSize - size;
    if (!sane) {
      return new VcpuExit.Unsupported(EXIT_IO); // string I/O or a malformed exit
    }
    if (direction != IO_OUT) {
      pendingIoInOffset = dataOffset;
      pendingIoInSize = size;
      completionPending = true;
      return new VcpuExit.IoIn(port, size);
    }
    // In bounds: dataOffset + size <= runSize was checked above.
    long value = readLittleEndian(run, dataOffset, size);
    FaultPorts ports = faultPorts;
    if (ports != null && ports.contains(port)) {
      GuestFault fault = decodeFault(ExceptionVector.of(port - ports.firstPort()));
      if (fault != null) {
        resetRequiredBecause = "fault " + fault;
        return new VcpuExit.Fault(fault);
      }
    }
    return new VcpuExit.IoOut(port, size, value);
  }

  /** The fault frame on the ring-0 stack, or null when the exit was not at CPL 0. */
  private @Nullable GuestFault decodeFault(ExceptionVector vector) {
    int cs;
    long rsp;
    long cr2;
    if (syncMask != 0) {
      cs = RegisterCodec.readCsSelector(run, KvmStructs.RUN_SYNC_SPECIAL);
      cr2 = RegisterCodec.readCr2(run, KvmStructs.RUN_SYNC_SPECIAL);
      rsp = RegisterCodec.readRsp(run, KvmStructs.RUN_SYNC_GENERAL);
    } else {
      SpecialRegisters special = readLocked(RegisterSet.SPECIAL);
      cs = special.cs().selector();
      cr2 = special.cr2();
      rsp = readLocked(RegisterSet.GENERAL).rsp();
    }
    if ((cs & 3) != 0) {
      return null;
    }
    int words = vector.hasErrorCode() ? 6 : 5;
    GuestAddress frame = GuestAddress.of(rsp);
    if (!vm.memory().isMapped(frame, 8L * words)) {
      return null;
    }
    long[] w = new long[words];
    for (int i = 0; i < words; i++) {
      w[i] = vm.memory().readLong(frame.plus(8L * i));
    }
    int at = vector.hasErrorCode() ? 1 : 0;
    return new GuestFault(
        vector,
        vector.hasErrorCode() ? OptionalLong.of(w[0]) : OptionalLong.empty(),
        w[at],
        (int) (w[at + 1] & 0xFFFF),
        w[at + 2],
        w[at + 3],
        vector == ExceptionVector.PAGE_FAULT ? OptionalLong.of(cr2) : OptionalLong.empty());
  }

  private VcpuExit decodeMmio() {
    long address = run.get(ValueLayout.JAVA_LONG, MMIO_AT);
    int length = run.get(ValueLayout.JAVA_INT, MMIO_AT + 16);
    boolean write = run.get(ValueLayout.JAVA_BYTE, MMIO_AT + 20) != 0;
    if (length < 1 || length > 8) {
      return new VcpuExit.Unsupported(EXIT_MMIO);
    }
    long value = write ? readLittleEndian(run, MMIO_AT + 8, length) : 0;
    completionPending = true;
    return new VcpuExit.Mmio(GuestAddress.of(address), length, write, value);
  }

  private static long readLittleEndian(MemorySegment segment, long offset, int size) {
    long value = 0;
    for (int i = size - 1; i >= 0; i--) {
      value = (value << 8) | Byte.toUnsignedLong(segment.get(ValueLayout.JAVA_BYTE, offset + i));
    }
    return value;
  }

  /**
   * Supplies the value an {@link VcpuExit.IoIn} exit reads; the guest receives it on the next
   * {@link #run()}.
   *
   * @param value the value (truncated to the access size)
   * @throws IllegalStateException if the last exit was not {@link VcpuExit.IoIn}, or closed, or
   *     running on another thread
   */
  public void completeIoIn(long value) {
    lockForUse();
    try {
      if (pendingIoInOffset < 0) {
        throw new IllegalStateException("the last exit of vCPU " + id + " was not an IoIn");
      }
      for (int i = 0; i < pendingIoInSize; i++) {
        // In bounds: decodeIo checked offset + size <= runSize.
        run.set(ValueLayout.JAVA_BYTE, pendingIoInOffset + i, (byte) (value >>> (8 * i)));
      }
      pendingIoInOffset = -1;
    } finally {
      runLock.unlock();
    }
  }

  /**
   * The general-purpose registers.
   *
   * @return the registers as of the last exit (or as last set)
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if {@code KVM_GET_REGS} fails
   */
  public Registers registers() {
    return read(RegisterSet.GENERAL);
  }

  /**
   * Sets the general-purpose registers (through {@code kvm_run->s.regs} when available: applied on
   * the next run).
   *
   * @param registers the values
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if {@code KVM_SET_REGS} fails
   */
  public void setRegisters(Registers registers) {
    write(RegisterSet.GENERAL, registers);
  }

  /**
   * The special registers.
   *
   * @return the registers as of the last exit (or as last set)
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if {@code KVM_GET_SREGS} fails
   */
  public SpecialRegisters specialRegisters() {
    return read(RegisterSet.SPECIAL);
  }

  /**
   * Sets the special registers (through {@code kvm_run->s.regs} when available: applied, and
   * checked by KVM, on the next run). Clears a pending reset requirement.
   *
   * @param registers the values
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if {@code KVM_SET_SREGS} fails
   */
  public void setSpecialRegisters(SpecialRegisters registers) {
    write(RegisterSet.SPECIAL, registers);
  }

  /**
   * The x87/SSE state ({@code KVM_GET_FPU}; never passed through {@code kvm_run}).
   *
   * @return the state
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if the ioctl fails
   */
  public FpuState fpu() {
    return read(RegisterSet.FPU);
  }

  /**
   * Sets the x87/SSE state ({@code KVM_SET_FPU}).
   *
   * @param state the state
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if the ioctl fails
   */
  public void setFpu(FpuState state) {
    write(RegisterSet.FPU, state);
  }

  /**
   * The general, special and x87/SSE registers, read together (for a snapshot).
   *
   * @return the state as of the last exit (or as last set)
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if a get ioctl fails
   */
  public VcpuState captureState() {
    lockForUse();
    try {
      return new VcpuState(
          generalWritten || entered ? readLocked(RegisterSet.GENERAL) : resetValue(RegisterSet.GENERAL),
          readLocked(RegisterSet.SPECIAL),
          fpuWritten || entered ? readLocked(RegisterSet.FPU) : resetValue(RegisterSet.FPU));
    } finally {
      runLock.unlock();
    }
  }

  /**
   * Sets the general, special and x87/SSE registers to {@code state} (general and special through
   * {@code kvm_run->s.regs} when available: applied on the next run; FPU by ioctl). Clears a
   * pending reset requirement, like {@link #setSpecialRegisters(SpecialRegisters)}.
   *
   * <p>Measured on the PVM hypervisor: x87/SSE state set on a vCPU that has not yet entered the
   * guest is discarded by its first guest entry (an {@code immediate_exit} entry does not help);
   * once the vCPU has run guest code, the state set here is what the guest sees.
   *
   * @param state the state, e.g. from {@link #captureState()} of this or another vCPU
   * @throws IllegalStateException if closed or running on another thread
   * @throws KvmException if a set ioctl fails
   */
  public void restoreState(VcpuState state) {
    Objects.requireNonNull(state, "state");
    write(RegisterSet.FPU, state.fpu());
    write(RegisterSet.SPECIAL, state.special());
    write(RegisterSet.GENERAL, state.general());
  }

  private <T extends Object> T read(RegisterSet<T> set) {
    lockForUse();
    try {
      return readLocked(set);
    } finally {
      runLock.unlock();
    }
  }

  /** KVM's reset value of {@code set}, read from this fresh vCPU the first time. Holds runLock. */
  private <T extends Object> T resetValue(RegisterSet<T> set) {
    Object cached = RESET_VALUES.get(set);
    if (cached == null) {
      cached = readLocked(set);
      RESET_VALUES.putIfAbsent(set, cached);
    }
    @SuppressWarnings("unchecked") // keyed by the set whose codec produced the value
    T value = (T) cached;
    return value;
  }

  /** From {@code kvm_run->s.regs} when it holds this set, else by ioctl. */
  private <T extends Object> T readLocked(RegisterSet<T> set) {
    if (syncs(set) && (syncFilled || (dirty() & set.syncBit()) != 0)) {
      return set.codec().read(run, set.syncOffset());
    }
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment arg = scratch.allocate(set.layout());
      Sys.ioctl(fd, set.getIoctl(), arg.address(), set.getName());
      return set.codec().read(arg, 0);
    }
  }

  private <T extends Object> void write(RegisterSet<T> set, T value) {
    Objects.requireNonNull(value, "registers");
    lockForUse();
    try {
      finishPendingInstruction();
      if (syncs(set)) {
        set.codec().write(run, set.syncOffset(), value);
        markDirty(set.syncBit());
      } else {
        try (Arena scratch = Arena.ofConfined()) {
          MemorySegment arg = scratch.allocate(set.layout());
          set.codec().write(arg, 0, value);
          Sys.ioctl(fd, set.setIoctl(), arg.address(), set.setName());
        }
      }
      if (set == RegisterSet.SPECIAL) {
        resetRequiredBecause = null;
      } else if (set == RegisterSet.GENERAL) {
        generalWritten = true;
      } else if (set == RegisterSet.FPU) {
        fpuWritten = true;
      }
    } finally {
      runLock.unlock();
    }
  }

  /**
   * After an IoIn or Mmio exit KVM completes the instruction on the next entry, advancing RIP past
   * it. A host that abandons that instruction and sets new registers would see its new RIP
   * advanced too (at least when it equals the old one), so first let KVM finish the old
   * instruction in an entry that leaves at once ({@code immediate_exit}).
   */
  private void finishPendingInstruction() {
    if (!completionPending) {
      return;
    }
    completionPending = false;
    pendingIoInOffset = -1;
    enterAndLeave("KVM_RUN (completing the abandoned I/O instruction)");
  }

  /** One {@code KVM_RUN} with {@code immediate_exit} set: KVM does its entry work, runs nothing. */
  private void enterAndLeave(String operation) {
    IMMEDIATE_EXIT.setVolatile(run, KvmStructs.RUN_IMMEDIATE_EXIT, (byte) 1);
    run.set(ValueLayout.JAVA_LONG, KvmStructs.RUN_VALID_REGS, syncMask);
    entered = true;
    int rc = Sys.libc().ioctl(fd, Ioctls.KVM_RUN, 0);
    int errno = rc < 0 ? Sys.errno() : 0;
    // A kill that raced with this keeps killPending set, so the next run still stops.
    IMMEDIATE_EXIT.setVolatile(run, KvmStructs.RUN_IMMEDIATE_EXIT, (byte) 0);
    if (rc < 0 && errno != Errno.EINTR) {
      throw new KvmException(operation, errno);
    }
    syncFilled = syncMask != 0;
  }

  private boolean syncs(RegisterSet<?> set) {
    return (syncMask & set.syncBit()) != 0;
  }

  private long dirty() {
    return run.get(ValueLayout.JAVA_LONG, KvmStructs.RUN_DIRTY_REGS);
  }

  private void markDirty(long bits) {
    run.set(ValueLayout.JAVA_LONG, KvmStructs.RUN_DIRTY_REGS, dirty() | bits);
  }

  private void lockForUse() {
    if (!runLock.tryLock()) {
      throw new IllegalStateException("vCPU " + id + " is in use by another thread");
    }
    if (closed.get()) {
      runLock.unlock();
      throw new IllegalStateException("vCPU " + id + " is closed");
    }
  }

  /** See {@link InterruptHandle#kill()}. */
  void kill() {
    synchronized (killLock) {
      if (released) {
        return;
      }
      killPending.set(true);
      IMMEDIATE_EXIT.setVolatile(run, KvmStructs.RUN_IMMEDIATE_EXIT, (byte) 1);
      int tid = runningTid.get();
      if (tid == 0) {
        return; // not in KVM_RUN: immediate_exit stops the next entry at once
      }
      long epoch = runEpoch.get();
      long waitNanos = 50_000; // a kick takes ~45 us on PVM: re-kick only if it was lost
      while (runningTid.get() == tid && runEpoch.get() == epoch) {
        if (Sys.tgkill(tid, Sys.kickSignal()) == Errno.ESRCH) {
          return; // the thread is gone
        }
        LockSupport.parkNanos(waitNanos);
        waitNanos = Math.min(waitNanos * 2, 1_000_000);
      }
    }
  }

  /**
   * Whether {@link #close()} has been called.
   *
   * @return whether closed
   */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Stops a run in progress (as {@link InterruptHandle#kill()}), waits for it to return, then
   * unmaps {@code kvm_run} and closes the descriptor. Idempotent; callable from any thread.
   *
   * @throws KvmException if the mapping or descriptor cannot be released (closed anyway)
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    kill();
    runLock.lock();
    try {
      synchronized (killLock) {
        released = true;
      }
      RuntimeException failure =
          VirtualMachine.attempt(() -> Sys.munmap(runAddress, runSize, "kvm_run"), null);
      failure = VirtualMachine.attempt(() -> Sys.close(fd, "vCPU " + id), failure);
      if (failure != null) {
        throw failure;
      }
    } finally {
      runLock.unlock();
      vm.forget(this);
    }
  }
}
