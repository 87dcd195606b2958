package dev.molt.states.internal;

import dev.molt.api.CallKilledException;
import dev.molt.api.CallTimedOutException;
import dev.molt.api.GuestAbortedException;
import dev.molt.api.GuestErrorException;
import dev.molt.api.GuestFaultException;
import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionFailedException;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.HostPrint;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.api.ProtocolViolationException;
import dev.molt.api.SandboxBusyException;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.api.SubstrateException;
import dev.molt.api.ValueType;
import dev.molt.api.spi.SnapshotImage;
import dev.molt.guest.GuestAbi;
import dev.molt.states.GuestBinary;
import dev.molt.states.GuestFunctionDescriptor;
import dev.molt.states.GuestImageException;
import dev.molt.states.GuestMemoryAccess;
import dev.molt.states.SandboxInterruptHandle;
import dev.molt.states.internal.elf.ElfFormatException;
import dev.molt.states.internal.elf.ElfImage;
import dev.molt.states.internal.elf.LoadSegment;
import dev.molt.states.internal.snapshotfile.GuestState;
import dev.molt.states.internal.snapshotfile.VmSnapshotImage;
import dev.molt.states.spi.GuestSubstrate;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestFault;
import dev.molt.vmm.GuestMemory;
import dev.molt.vmm.InterruptHandle;
import dev.molt.vmm.KvmException;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.MemoryRestore;
import dev.molt.vmm.MemorySnapshot;
import dev.molt.vmm.Registers;
import dev.molt.vmm.SpecialRegisters;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuExit;
import dev.molt.vmm.VcpuState;
import dev.molt.vmm.VirtualMachine;
import dev.molt.vmm.longmode.LongModeImage;
import dev.molt.vmm.longmode.LongModeLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KVM implementation of {@link GuestSubstrate}: one VM with one memory region and one vCPU,
 * laid out by {@link GuestLayout}, speaking guest ABI v1. Every byte the guest writes is read
 * through {@link FrameReader}'s checks; every abnormal exit poisons this substrate and nothing
 * else.
 */
public final class KvmGuestSubstrate implements GuestSubstrate {
  private static final Logger LOG = LoggerFactory.getLogger(KvmGuestSubstrate.class);
  private static final Logger GUEST_LOG = LoggerFactory.getLogger("dev.molt.guest");
  private static final String INITIALISATION = "<initialisation>";
  private static final int MAX_MESSAGE = 4096;
  private static final AtomicLong IDS = new AtomicLong();
  private static final Map<LongModeLayout, LongModeImage> IMAGES = new ConcurrentHashMap<>();
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  /**
   * The special registers of a freshly created vCPU 0 (its reset state: APIC base, LDT), read
   * once: every new vCPU 0 has the same, and reading them costs an ioctl per sandbox.
   */
  private static volatile @Nullable SpecialRegisters resetState;

  private final long id = IDS.incrementAndGet();
  private final String guest;
  private final VirtualMachine vm;
  private final Vcpu vcpu;
  private final InterruptHandle vcpuInterrupt;
  private final GuestMemory memory;
  private final GuestLayout layout;
  /** Layout inputs and image shape; its function table is always null (see {@link #table}). */
  private final GuestState shape;
  private final SandboxConfiguration configuration;
  private final Lineage lineage;
  private final LayoutId layoutId;
  private final GuestMemoryView memoryView;
  private final ReentrantLock callLock = new ReentrantLock();
  private final AtomicReference<SandboxStatus> status = new AtomicReference<>(SandboxStatus.ready());
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object registryLock = new Object();
  private volatile HostFunctions hostFunctions;
  private volatile @Nullable FunctionTable table;
  /** Whether the vCPU has entered the guest (x87/SSE state set before that is lost on PVM). */
  private volatile boolean hasRun;
  /** What holds the call lock, for messages: a guest function, "snapshot" or "restore". */
  private volatile @Nullable String activity;
  /** The newest image captured or restored, to report reuse in events (weak: never kept alive). */
  private volatile java.lang.ref.WeakReference<@Nullable MemorySnapshot> lastImage =
      new java.lang.ref.WeakReference<>(null);

  // Call epochs: a kill or time limit names the call it was meant for, so a late one is ignored.
  private final AtomicLong epochs = new AtomicLong();
  private volatile long runningEpoch;
  private volatile long killedEpoch;
  private volatile long timedOutEpoch;

  /** The validated INIT table, as recorded in snapshots, with a name index. */
  private record FunctionTable(GuestState.FunctionTable recorded, Map<String, GuestFunctionDescriptor> byName) {
    static FunctionTable of(GuestState.FunctionTable recorded) {
      Map<String, GuestFunctionDescriptor> byName = new HashMap<>();
      for (GuestFunctionDescriptor f : recorded.functions()) {
        byName.put(f.name(), f);
      }
      return new FunctionTable(recorded, Map.copyOf(byName));
    }

    List<GuestFunctionDescriptor> functions() {
      return recorded.functions();
    }

    long dispatch() {
      return recorded.dispatch();
    }
  }

  /** Facts gathered during one call. */
  private static final class Call {
    final String function;
    final long epoch;
    final List<HostFunctionFailedException> hostFailures = new ArrayList<>();
    int hostCalls;

    Call(String function, long epoch) {
      this.function = function;
      this.epoch = epoch;
    }
  }

  private KvmGuestSubstrate(
      String guest,
      VirtualMachine vm,
      Vcpu vcpu,
      GuestLayout layout,
      GuestState shape,
      Lineage lineage,
      SandboxConfiguration configuration,
      HostFunctions hostFunctions) {
    this.guest = guest;
    this.vm = vm;
    this.vcpu = vcpu;
    this.vcpuInterrupt = vcpu.interruptHandle();
    this.memory = vm.memory();
    this.layout = layout;
    this.shape = shape.withFunctions(null);
    this.lineage = lineage;
    this.configuration = configuration;
    this.hostFunctions = hostFunctions;
    this.layoutId = layout.id();
    this.memoryView = new GuestMemoryView(memory, GuestAbi.LINK_ADDRESS, layout.memorySize());
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread t = new Thread(task, "molt-call-time-limit");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * See {@link GuestSubstrate#create}.
   *
   * @param binary the guest ELF
   * @param configuration sizes and limits
   * @param hostFunctions the host functions
   * @return the substrate
   * @throws SandboxException if KVM is unavailable or refuses
   */
  public static KvmGuestSubstrate create(
      GuestBinary binary, SandboxConfiguration configuration, HostFunctions hostFunctions)
      throws SandboxException {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(hostFunctions, "hostFunctions");
    Events.Create event = new Events.Create();
    event.begin();
    event.guest = binary.source();
    event.memorySize = configuration.guestMemorySize();
    try {
      KvmGuestSubstrate substrate = build(binary, configuration, withPrint(hostFunctions));
      event.outcome = "created";
      return substrate;
    } catch (SandboxException | RuntimeException e) {
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      event.commit();
    }
  }

  /**
   * Routes the guest's print to SLF4J: adds a HostPrint when there is none and replaces the
   * platform-logger default of {@code HostFunctions.defaults()}; a HostPrint the caller made stays.
   */
  private static HostFunctions withPrint(HostFunctions functions) {
    HostFunction slf4j = HostPrint.to(message -> GUEST_LOG.info("{}", message));
    return functions
        .lookup(HostPrint.NAME)
        .map(print -> HostPrint.isPlatformDefault(print) ? functions.replacing(slf4j) : functions)
        .orElseGet(() -> functions.with(slf4j));
  }

  private static KvmGuestSubstrate build(
      GuestBinary binary, SandboxConfiguration configuration, HostFunctions hostFunctions)
      throws SandboxException {
    ElfImage image;
    try {
      image = ElfImage.parse(binary.bytes(), GuestLayout.imageLimits(configuration));
    } catch (ElfFormatException e) {
      throw new GuestImageException(binary.source(), e.field(), String.valueOf(e.getMessage()));
    }
    GuestState shape = GuestState.of(configuration, image);
    GuestLayout layout = GuestLayout.of(shape);
    LongModeImage longMode = longModeImage(layout.longMode());
    VirtualMachine vm = newVirtualMachine();
    try {
      vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), layout.memorySize()));
      GuestMemory memory = vm.memory();
      longMode.writeTo(memory);
      for (LoadSegment segment : image.segments()) {
        memory.write(GuestAddress.of(segment.address()), segment.fileBytes());
      }
      memory.write(GuestAddress.of(GuestAbi.BOOT_BLOCK_ADDRESS), layout.bootBlock());
      Vcpu vcpu = vm.createVcpu(0);
      vcpu.reportFaultsOn(longMode.faultPorts());
      SpecialRegisters reset = resetState;
      if (reset == null) {
        reset = vcpu.specialRegisters();
        resetState = reset;
      }
      vcpu.setSpecialRegisters(longMode.specialRegisters(reset));
      return new KvmGuestSubstrate(
          binary.source(), vm, vcpu, layout, shape, Lineage.create(), configuration, hostFunctions);
    } catch (KvmException e) {
      vm.close();
      throw new SubstrateException(
          "KVM failed while setting up the sandbox: " + e.getMessage(),
          SandboxStatus.unrecoverable("no sandbox was created"),
          e);
    } catch (RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  private static VirtualMachine newVirtualMachine() throws SandboxException {
    try {
      return SharedKvm.get().createVirtualMachine(1);
    } catch (KvmException e) {
      throw new SubstrateException(
          "KVM refused to create a VM: " + e.getMessage(),
          SandboxStatus.unrecoverable("no sandbox was created"),
          e);
    }
  }

  private static LongModeImage longModeImage(LongModeLayout layout) {
    if (IMAGES.size() > 64) {
      IMAGES.clear(); // a few configurations are normal; many distinct ones are not worth keeping
    }
    return IMAGES.computeIfAbsent(layout, LongModeImage::of);
  }

  // ---- Substrate ------------------------------------------------------------------------------

  @Override
  public SandboxStatus status() {
    return status.get();
  }

  @Override
  public Lineage lineage() {
    return lineage;
  }

  @Override
  public LayoutId layout() {
    return layoutId;
  }

  @Override
  public HostFunctions hostFunctions() {
    return hostFunctions;
  }

  /**
   * Captures guest memory (the pages that may be non-zero; nothing when memory equals an image
   * this sandbox captured or restored last), the vCPU's registers and the guest state. Refused
   * while a call runs.
   */
  @Override
  public SnapshotImage capture() throws SandboxException {
    requireOpen();
    Events.Snapshot event = new Events.Snapshot();
    event.begin();
    lockExclusively("snapshot");
    try {
      status.get().require(SandboxStatus.Operation.SNAPSHOT, "this sandbox");
      MemorySnapshot memory;
      VcpuState registers;
      try {
        memory = vm.captureMemory();
        registers = vcpu.captureState();
      } catch (KvmException e) {
        // Nothing of the sandbox changed: the image could not be made (e.g. no memory for it).
        throw new SubstrateException("capturing a snapshot failed: " + e.getMessage(), status.get(), e);
      }
      FunctionTable t = table;
      event.populatedPages = memory.populatedPages();
      event.reused = lastImage.get() == memory;
      lastImage = new java.lang.ref.WeakReference<>(memory);
      event.outcome = "captured";
      return new VmSnapshotImage(
          memory, List.of(registers), shape.withFunctions(t == null ? null : t.recorded()));
    } catch (SandboxException | RuntimeException e) {
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      activity = null;
      callLock.unlock();
      event.commit();
    }
  }

  /**
   * Puts back guest memory (copying the pages written since the image was captured, restored or
   * mapped here), the vCPU's registers and the guest state, and makes the sandbox Ready. Refused
   * while a call runs. A failure after memory started to change leaves it Unrecoverable.
   */
  @Override
  public void restore(SnapshotImage snapshot) throws SandboxException {
    Objects.requireNonNull(snapshot, "snapshot");
    requireOpen();
    if (!(snapshot instanceof VmSnapshotImage image)) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.FORMAT,
          "a KVM sandbox restores only its own snapshot images, not a " + snapshot.getClass().getName(),
          status.get());
    }
    Events.Restore event = new Events.Restore();
    event.begin();
    lockExclusively("restore");
    try {
      SandboxStatus before = status.get();
      before.require(SandboxStatus.Operation.RESTORE, "this sandbox");
      requireFits(image, shape, layout, before);
      try {
        if (!hasRun) {
          enterOnce(image.vcpus().get(0));
        }
        MemoryRestore done = vm.restoreMemory(image.memory());
        vcpu.restoreState(image.vcpus().get(0));
        event.pagesCopied = done.pagesCopied();
        event.regionsRemapped = done.regionsRemapped();
      } catch (SubstrateException | RuntimeException e) {
        String reason = "restoring a snapshot failed midway: " + e.getMessage();
        status.set(SandboxStatus.unrecoverable(reason));
        throw new SubstrateException(reason, status.get(), e);
      }
      GuestState.FunctionTable recorded = image.guest().functions();
      FunctionTable current = table;
      // Captures hand on the table they found, so a restore of this sandbox's own snapshot keeps
      // the index it has instead of rebuilding it (a pool restores on every release).
      table =
          recorded == null
              ? null
              : current != null && current.recorded() == recorded ? current : FunctionTable.of(recorded);
      lastImage = new java.lang.ref.WeakReference<>(image.memory());
      status.set(SandboxStatus.ready());
      event.outcome = "restored";
    } catch (SandboxException | RuntimeException e) {
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      activity = null;
      callLock.unlock();
      event.commit();
    }
  }

  /** Throws unless {@code image} was taken of a sandbox with this layout and image shape. */
  private static void requireFits(
      VmSnapshotImage image, GuestState shape, GuestLayout layout, SandboxStatus current)
      throws SnapshotIncompatibleException {
    if (!image.guest().hasShapeOf(shape)) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.LAYOUT,
          "the snapshot's guest (" + describe(image.guest()) + ") differs from this sandbox's ("
              + describe(shape) + ")",
          current);
    }
    if (image.vcpus().size() != 1) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.FORMAT,
          "the snapshot has " + image.vcpus().size() + " vCPUs; Molt sandboxes have one",
          current);
    }
    List<MemoryRegionSpec> regions = image.memory().regions();
    if (regions.size() != 1
        || !regions.get(0).base().equals(GuestAddress.of(0))
        || regions.get(0).size() != layout.memorySize()
        || regions.get(0).readOnly()) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.LAYOUT,
          "the snapshot's memory regions " + regions + " are not this sandbox's one region of "
              + layout.memorySize() + " bytes at 0",
          current);
    }
  }

  private static String describe(GuestState g) {
    return "memory %d, stack %d, input %d, output %d, heap %d, log %s, entry 0x%x, %d segments"
        .formatted(
            g.memorySize(), g.stackSize(), g.inputBufferSize(), g.outputBufferSize(), g.heapSize(),
            g.logLevel(), g.entry(), g.segments().size());
  }

  /**
   * Enters the guest once before the first restore of a vCPU that never ran: on this hypervisor
   * the x87/SSE state set before a vCPU's first entry is discarded by that entry. The entry jumps
   * to the null page, whose #PF the ring-0 stub reports at once; the stub's stack writes are put
   * back by the memory restore that follows (they are in the dirty log).
   */
  private void enterOnce(VcpuState target) throws SubstrateException {
    vcpu.setSpecialRegisters(target.special());
    vcpu.setRegisters(
        Registers.builder().rip(0).rsp(layout.stackTop()).rflags(LongModeImage.RFLAGS).build());
    VcpuExit exit = vcpu.run();
    hasRun = true;
    if (!(exit instanceof VcpuExit.Fault)) {
      throw new SubstrateException(
          "the vCPU's first entry (a jump to the null page) ended with " + exit
              + " instead of a page fault",
          status.get(),
          null);
    }
  }

  /**
   * Takes the call lock without waiting, for an operation that needs the sandbox to itself.
   *
   * @throws SandboxBusyException if a call holds it (on this thread: from a host function)
   */
  private void lockExclusively(String operation) throws SandboxBusyException {
    if (callLock.isHeldByCurrentThread()) {
      throw new SandboxBusyException(
          operation, "called from a host function during " + activity + " of this sandbox", status.get());
    }
    if (!callLock.tryLock()) {
      throw new SandboxBusyException(
          operation, String.valueOf(activity) + " is running on another thread", status.get());
    }
    activity = operation;
  }

  /**
   * Creates a substrate whose memory maps {@code image}'s memory copy-on-write (shared with every
   * other sandbox created from it), for a state family's {@code fromSnapshot}, which then restores
   * the image's registers and guest state through {@link #restore}. Nothing is copied: the
   * sandbox's private memory grows with the pages it writes.
   *
   * @param source the name of the snapshot, for diagnostics
   * @param image the snapshot's image
   * @param lineage the snapshot's lineage (the new sandbox joins it)
   * @param expectedLayout the snapshot's layout id, checked against the one its guest state gives
   * @param configuration the configuration: its layout fields must equal the snapshot's
   * @param hostFunctions the host functions (a superset of the snapshot's is checked by the family)
   * @return the substrate, not yet restored
   * @throws IllegalArgumentException naming each configuration field that conflicts with the
   *     snapshot
   * @throws SnapshotIncompatibleException if the image is inconsistent with its layout id
   * @throws SandboxException if KVM refused
   */
  public static KvmGuestSubstrate fromSnapshot(
      String source,
      VmSnapshotImage image,
      Lineage lineage,
      LayoutId expectedLayout,
      SandboxConfiguration configuration,
      HostFunctions hostFunctions)
      throws SandboxException {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(hostFunctions, "hostFunctions");
    List<String> conflicts = image.guest().conflicts(configuration);
    if (!conflicts.isEmpty()) {
      throw new IllegalArgumentException(
          "the configuration conflicts with the snapshot's layout in: " + String.join(", ", conflicts)
              + " (leave these fields at the snapshot's values, or use the configuration the"
              + " snapshot implies)");
    }
    SandboxStatus none = SandboxStatus.unrecoverable("no sandbox was created");
    GuestLayout layout;
    try {
      layout = GuestLayout.of(image.guest());
    } catch (IllegalArgumentException e) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.LAYOUT,
          "the snapshot's guest state gives no valid layout: " + e.getMessage(),
          none);
    }
    if (!layout.id().equals(expectedLayout)) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.LAYOUT,
          "the snapshot records layout " + expectedLayout + " but its guest state gives " + layout.id(),
          none);
    }
    requireFits(image, image.guest(), layout, none);
    Events.Create event = new Events.Create();
    event.begin();
    event.guest = source;
    event.memorySize = layout.memorySize();
    VirtualMachine vm = newVirtualMachine();
    try {
      vm.addMemoryRegionsFrom(image.memory());
      Vcpu vcpu = vm.createVcpu(0);
      vcpu.reportFaultsOn(longModeImage(layout.longMode()).faultPorts());
      event.outcome = "created from snapshot";
      return new KvmGuestSubstrate(
          source, vm, vcpu, layout, image.guest(), lineage, configuration, withPrint(hostFunctions));
    } catch (KvmException e) {
      vm.close();
      event.outcome = e.getClass().getSimpleName();
      throw new SubstrateException("KVM failed while creating a sandbox from a snapshot: " + e.getMessage(), none, e);
    } catch (RuntimeException e) {
      vm.close();
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      event.commit();
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    status.set(SandboxStatus.unrecoverable("the sandbox was closed"));
    try {
      vm.close(); // stops a running call (its vCPU is closed first), then unmaps guest memory
    } catch (KvmException e) {
      LOG.warn("closing sandbox {} failed; its resources may leak", this, e);
    }
  }

  // ---- GuestSubstrate -------------------------------------------------------------------------

  @Override
  public SandboxConfiguration configuration() {
    return configuration;
  }

  @Override
  public boolean isInitialised() {
    return table != null;
  }

  @Override
  public GuestMemoryAccess memory() {
    requireOpen();
    return memoryView;
  }

  @Override
  public void registerHostFunction(HostFunction function) {
    Objects.requireNonNull(function, "function");
    requireOpen();
    synchronized (registryLock) {
      hostFunctions = hostFunctions.with(function);
    }
  }

  @Override
  public SandboxInterruptHandle interruptHandle() {
    return new CallInterrupter(this);
  }

  @Override
  public List<GuestFunctionDescriptor> functions() {
    return requireTable().functions();
  }

  @Override
  public GuestFunctionDescriptor function(String name) {
    Objects.requireNonNull(name, "name");
    FunctionTable t = requireTable();
    GuestFunctionDescriptor f = t.byName().get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "the guest has no function \"" + name + "\"; it has: "
              + t.functions().stream().map(GuestFunctionDescriptor::name).toList());
    }
    return f;
  }

  private FunctionTable requireTable() {
    requireOpen();
    FunctionTable t = table;
    if (t == null) {
      throw new IllegalStateException("the guest is not initialised yet: run initialise() first");
    }
    return t;
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the sandbox is closed");
    }
  }

  void killCurrentCall() {
    long epoch = runningEpoch;
    if (epoch != 0 && !closed.get()) {
      killedEpoch = epoch;
      vcpuInterrupt.kill();
    }
  }

  // ---- initialisation -------------------------------------------------------------------------

  @Override
  public void initialise() throws SandboxException {
    Events.Evolve event = new Events.Evolve();
    event.begin();
    event.transition = "initialise";
    Call call = begin(INITIALISATION);
    if (table != null) {
      end(call);
      event.outcome = "IllegalStateException";
      event.commit();
      throw new IllegalStateException("the guest is already initialised");
    }
    try {
      vcpu.setRegisters(
          Registers.builder()
              .rip(shape.entry())
              .rsp(layout.stackTop())
              .rdi(GuestAbi.BOOT_BLOCK_ADDRESS)
              .rflags(LongModeImage.RFLAGS)
              .build());
      FrameReader done = run(call);
      try {
        switch (done.kind()) {
          case GuestAbi.FRAME_INIT -> table = parseInit(done);
          case GuestAbi.FRAME_ERROR -> {
            poison("guest initialisation reported an error");
            throw reportedError(done, call);
          }
          default ->
              throw new WireException(
                  "initialisation ended with a %s frame, expected INIT or ERROR"
                      .formatted(FrameReader.kindName(done.kind())));
        }
      } catch (WireException e) {
        throw violation(call, e.getMessage());
      }
      event.functions = requireTable().functions().size();
      event.outcome = "initialised";
      LOG.debug("sandbox {} initialised: {} guest functions", id, event.functions);
    } catch (SandboxException | RuntimeException e) {
      poison("guest initialisation failed: " + e.getMessage());
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      end(call);
      event.commit();
    }
  }

  private FunctionTable parseInit(FrameReader f) throws WireException {
    long version = f.u32(0, "INIT runtime_version");
    if (version != GuestAbi.VERSION) {
      throw new WireException("INIT runtime_version is %d, expected %d".formatted(version, GuestAbi.VERSION));
    }
    long count = f.u32(4, "INIT function_count");
    if (count > GuestAbi.MAX_FUNCTIONS) {
      throw new WireException(
          "INIT function_count is %d, more than %d".formatted(count, GuestAbi.MAX_FUNCTIONS));
    }
    long dispatch = f.u64(8, "INIT dispatch_addr");
    if (!shape.isExecutable(dispatch)) {
      throw new WireException(
          "INIT dispatch_addr 0x%x is not inside an executable segment of the image".formatted(dispatch));
    }
    List<GuestFunctionDescriptor> functions = new ArrayList<>();
    Map<String, GuestFunctionDescriptor> byName = new HashMap<>();
    long at = 16;
    for (int i = 0; i < count; i++) {
      String entry = "INIT entry " + i;
      long nameLength = f.u32(at, entry + " name_length");
      if (nameLength < 1 || nameLength > GuestAbi.MAX_NAME) {
        throw new WireException(
            "%s name_length is %d, expected 1..%d".formatted(entry, nameLength, GuestAbi.MAX_NAME));
      }
      String name = f.utf8(at + 4, nameLength, entry + " name");
      long p = at + FrameReader.pad8(4 + nameLength);
      ValueType result = tag(f.u8(p, entry + " return tag"), entry + " return tag");
      int paramCount = f.u8(p + 1, entry + " param_count");
      if (paramCount > GuestAbi.MAX_PARAMS) {
        throw new WireException(
            "%s (%s) has %d parameters, more than %d".formatted(entry, name, paramCount, GuestAbi.MAX_PARAMS));
      }
      List<ValueType> params = new ArrayList<>();
      for (int j = 0; j < paramCount; j++) {
        ValueType type = tag(f.u8(p + 2 + j, entry + " parameter " + j), entry + " parameter " + j);
        if (type == ValueType.VOID) {
          throw new WireException("%s (%s) parameter %d is void".formatted(entry, name, j));
        }
        params.add(type);
      }
      GuestFunctionDescriptor d = new GuestFunctionDescriptor(i, name, params, result);
      if (byName.putIfAbsent(name, d) != null) {
        throw new WireException("INIT lists function \"%s\" twice".formatted(name));
      }
      functions.add(d);
      at = p + FrameReader.pad8(2L + paramCount);
    }
    f.requireEnd(at);
    return FunctionTable.of(new GuestState.FunctionTable(dispatch, functions));
  }

  private static ValueType tag(int tag, String field) throws WireException {
    ValueType type = Tags.typeOf(tag);
    if (type == null) {
      throw new WireException("%s is %d, not a known type tag".formatted(field, tag));
    }
    return type;
  }

  // ---- calls ----------------------------------------------------------------------------------

  @Override
  public @Nullable Object call(
      GuestFunctionDescriptor function, List<? extends @Nullable Object> arguments)
      throws SandboxException {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(arguments, "arguments");
    FunctionTable t = requireTable();
    if (function.id() >= t.functions().size() || !t.functions().get(function.id()).equals(function)) {
      throw new IllegalArgumentException(function + " is not a function of this guest");
    }
    checkArguments(function, arguments);
    return dispatch(t, function, callFrame(function, arguments), null);
  }

  /** The CALL frame of checked arguments; refused when it does not fit the input buffer. */
  private FrameWriter callFrame(
      GuestFunctionDescriptor function, List<? extends @Nullable Object> arguments) {
    FrameWriter frame = new FrameWriter(GuestAbi.FRAME_CALL).u32(function.id()).u32(arguments.size());
    for (int i = 0; i < arguments.size(); i++) {
      frame.value(function.parameters().get(i), arguments.get(i));
    }
    if (frame.size() > layout.inputSize()) {
      throw new IllegalArgumentException(
          "the arguments of %s need a %d-byte CALL frame, more than inputBufferSize (%d)"
              .formatted(function.name(), frame.size(), layout.inputSize()));
    }
    return frame;
  }

  @Override
  public byte[] callRaw(int functionId, byte[] payload) throws SandboxException {
    Object result = rawCall(functionId, payload, null);
    if (!(result instanceof byte[] bytes)) {
      throw new IllegalStateException("a bytes result decoded as " + result); // checked by call()
    }
    return bytes;
  }

  @Override
  public int callRaw(int functionId, byte[] payload, byte[] into) throws SandboxException {
    Objects.requireNonNull(into, "into");
    Object result = rawCall(functionId, payload, into);
    if (!(result instanceof Integer length)) {
      throw new IllegalStateException("a bytes result decoded as " + result); // checked by call()
    }
    return length;
  }

  /** A raw call whose result is a new array, or its length when copied into {@code into}. */
  private @Nullable Object rawCall(int functionId, byte[] payload, byte @Nullable [] into)
      throws SandboxException {
    Objects.requireNonNull(payload, "payload");
    FunctionTable t = requireTable();
    if (functionId < 0 || functionId >= t.functions().size()) {
      throw new IllegalArgumentException(
          "no guest function has id %d (the guest has %d functions)"
              .formatted(functionId, t.functions().size()));
    }
    GuestFunctionDescriptor f = t.functions().get(functionId);
    if (!f.parameters().equals(List.of(ValueType.BYTES)) || f.result() != ValueType.BYTES) {
      throw new IllegalArgumentException(
          "raw calls need a function of signature bytes(bytes); %s is %s".formatted(f.name(), f.signature()));
    }
    // The signature check above is the whole argument check: one non-null bytes payload.
    return dispatch(t, f, callFrame(f, List.of(payload)), into);
  }

  private static void checkArguments(
      GuestFunctionDescriptor function, List<? extends @Nullable Object> arguments) {
    List<ValueType> params = function.parameters();
    if (arguments.size() != params.size()) {
      throw new IllegalArgumentException(
          "%s takes %d arguments, got %d".formatted(function, params.size(), arguments.size()));
    }
    for (int i = 0; i < params.size(); i++) {
      Object a = arguments.get(i);
      if (!params.get(i).accepts(a)) {
        throw new IllegalArgumentException(
            "argument %d of %s must be %s (%s%s), got %s"
                .formatted(
                    i,
                    function.name(),
                    params.get(i),
                    params.get(i).javaType().getSimpleName(),
                    params.get(i) == ValueType.U32 ? " in 0..2^32-1" : "",
                    a == null ? "null" : a.getClass().getSimpleName() + " " + a));
      }
    }
  }

  private @Nullable Object dispatch(
      FunctionTable t, GuestFunctionDescriptor function, FrameWriter frame, byte @Nullable [] into)
      throws SandboxException {
    Events.Call event = new Events.Call();
    event.begin();
    event.function = function.name();
    Call call = begin(function.name());
    try {
      frame.writeTo(memory, layout.inputAddress());
      vcpu.setRegisters(
          Registers.builder()
              .rip(t.dispatch())
              .rsp(layout.stackTop())
              .rdi(layout.inputAddress())
              .rflags(LongModeImage.RFLAGS)
              .build());
      FrameReader done = run(call);
      @Nullable Object result;
      try {
        switch (done.kind()) {
          case GuestAbi.FRAME_RETURN -> {
            FrameReader.Value value = done.value(0, "RETURN value", into);
            if (value.type() != function.result()) {
              throw new WireException(
                  "RETURN value is %s, but %s returns %s"
                      .formatted(value.type(), function.name(), function.result()));
            }
            done.requireEnd(value.end());
            result = value.value();
            if (into != null && result instanceof Integer length && length > into.length) {
              throw new IllegalArgumentException(
                  "%s returned %d bytes, the buffer holds only %d: nothing was copied (the call ran"
                          .formatted(function.name(), length, into.length)
                      + " and the sandbox is Ready)");
            }
          }
          case GuestAbi.FRAME_ERROR -> throw reportedError(done, call);
          default ->
              throw new WireException(
                  "the call ended with a %s frame, expected RETURN or ERROR"
                      .formatted(FrameReader.kindName(done.kind())));
        }
      } catch (WireException e) {
        throw violation(call, e.getMessage());
      }
      for (HostFunctionFailedException failure : call.hostFailures) {
        LOG.warn("guest function {} handled a failed host call", function.name(), failure);
      }
      event.outcome = "returned";
      return result;
    } catch (SandboxException | RuntimeException e) {
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      event.hostCalls = call.hostCalls;
      end(call);
      event.commit();
    }
  }

  /** Takes the call lock and checks the status; the caller must call {@link #end}. */
  private Call begin(String function) {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException(
          "call " + function + " from a platform thread: a guest call occupies its OS thread, and"
              + " the kill signal of the interrupt handle and time limit targets that thread");
    }
    if (callLock.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          "a host function cannot call into the sandbox that is calling it (re-entrant call of "
              + function + ")");
    }
    callLock.lock();
    try {
      requireOpen();
      status.get().require(SandboxStatus.Operation.CALL, "this sandbox");
      Call call = new Call(function, epochs.incrementAndGet());
      runningEpoch = call.epoch;
      activity = function;
      return call;
    } catch (RuntimeException e) {
      callLock.unlock();
      throw e;
    }
  }

  private void end(Call call) {
    runningEpoch = 0;
    activity = null;
    callLock.unlock();
  }

  /**
   * Runs the vCPU until the guest reports DONE, answering host calls; returns the reader of the
   * frame DONE left. Every other outcome poisons (or breaks) the substrate and is thrown.
   */
  private FrameReader run(Call call) throws SandboxException {
    Optional<Duration> limit = configuration.callTimeLimit();
    ScheduledFuture<?> timer = null;
    if (limit.isPresent()) {
      long epoch = call.epoch;
      timer =
          TIMER.schedule(
              () -> {
                if (runningEpoch == epoch) {
                  timedOutEpoch = epoch;
                  vcpuInterrupt.kill();
                }
              },
              limit.get().toNanos(),
              TimeUnit.NANOSECONDS);
    }
    try {
      return runLoop(call, limit);
    } catch (SandboxException e) {
      attachHostFailures(e, call);
      throw e;
    } catch (RuntimeException | Error e) {
      // The guest stopped somewhere in the middle (e.g. an Error thrown by a host function): its
      // state is unknown, so the sandbox must not run another call on it.
      poison("the call to " + call.function + " was abandoned: " + e);
      throw e;
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  private FrameReader runLoop(Call call, Optional<Duration> limit) throws SandboxException {
    while (true) {
      VcpuExit exit;
      try {
        exit = vcpu.run();
        hasRun = true;
      } catch (KvmException e) {
        throw broken(call, "KVM_RUN failed: " + e.getMessage(), e);
      } catch (IllegalStateException e) {
        if (closed.get()) {
          throw new CallKilledException(call.function, status.get());
        }
        throw e;
      }
      switch (exit) {
        case VcpuExit.IoOut out -> {
          if (out.size() != 1) {
            throw violation(
                call,
                "a %d-byte out to port 0x%x; guest ABI v1 uses 1-byte outs".formatted(out.size(), out.port()));
          }
          switch (out.port()) {
            case GuestAbi.PORT_DONE -> {
              try {
                return FrameReader.open(memory, layout.outputAddress(), layout.outputSize());
              } catch (WireException e) {
                throw violation(call, "the frame after DONE: " + e.getMessage());
              }
            }
            case GuestAbi.PORT_HOSTCALL -> {
              call.hostCalls++;
              try {
                answerHostCall(call);
              } catch (WireException e) {
                throw violation(call, "HOSTCALL: " + e.getMessage());
              }
            }
            case GuestAbi.PORT_ABORT -> throw aborted(call);
            default ->
                throw violation(call, "an out to port 0x%x, which guest ABI v1 does not define".formatted(out.port()));
          }
        }
        case VcpuExit.Fault f -> throw fault(call, f.fault());
        case VcpuExit.Interrupted _ -> {
          if (closed.get()) {
            throw new CallKilledException(call.function, status.get());
          }
          if (timedOutEpoch == call.epoch) {
            throw new CallTimedOutException(
                call.function,
                limit.orElse(Duration.ZERO),
                poison("guest call '" + call.function + "' exceeded its time limit"));
          }
          if (killedEpoch == call.epoch) {
            throw new CallKilledException(
                call.function, poison("guest call '" + call.function + "' was killed"));
          }
          // A kill meant for an earlier call arrived late: the guest state is intact, resume.
          LOG.debug("sandbox {}: ignoring a kill meant for an earlier call", id);
        }
        case VcpuExit.IoIn in ->
            throw violation(call, "an `in` from port 0x%x; guests may only `out`".formatted(in.port()));
        case VcpuExit.Mmio m ->
            throw violation(
                call,
                "an access to unbacked guest-physical address %s (%s)"
                    .formatted(m.address(), m.write() ? "write" : "read"));
        case VcpuExit.Hlt _ -> throw violation(call, "a HLT exit (guest code must end calls with DONE)");
        case VcpuExit.Shutdown _ ->
            throw violation(call, "the vCPU shut down (triple fault: the guest broke its exception handling)");
        case VcpuExit.FailEntry e ->
            throw broken(call, "KVM could not enter the guest (hardware reason 0x%x)".formatted(e.hardwareReason()), null);
        case VcpuExit.InternalError e ->
            throw broken(call, "KVM internal error (suberror " + e.subError() + ")", null);
        case VcpuExit.Unsupported u ->
            throw violation(call, "an exit KVM reported with reason " + u.reason() + " (string I/O or unknown)");
      }
    }
  }

  private void answerHostCall(Call call) throws WireException {
    FrameReader f = FrameReader.open(memory, layout.outputAddress(), layout.outputSize());
    if (f.kind() != GuestAbi.FRAME_HOSTCALL) {
      throw new WireException("expected a HOSTCALL frame, found " + FrameReader.kindName(f.kind()));
    }
    long nameLength = f.u32(0, "name_length");
    if (nameLength < 1 || nameLength > GuestAbi.MAX_NAME) {
      throw new WireException("name_length is %d, expected 1..%d".formatted(nameLength, GuestAbi.MAX_NAME));
    }
    String name = f.utf8(4, nameLength, "host function name");
    long n = FrameReader.pad8(4 + nameLength);
    long count = f.u32(n, "arg_count");
    ValueType result = tag(f.u8(n + 4, "return_tag"), "return_tag");
    for (int i = 5; i < 8; i++) {
      if (f.u8(n + i, "reserved byte after return_tag") != 0) {
        throw new WireException("a reserved byte after return_tag is not 0");
      }
    }
    if (count > HostFunctionSignature.MAX_PARAMETERS) {
      // No host function takes that many: answer without decoding (bounds the host's work).
      replyError(
          GuestAbi.HOST_BAD_ARGS,
          "the guest passed %d arguments to %s; host functions take at most %d"
              .formatted(count, name, HostFunctionSignature.MAX_PARAMETERS));
      return;
    }
    long at = n + 8;
    List<ValueType> types = new ArrayList<>();
    List<@Nullable Object> arguments = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      FrameReader.Value v = f.value(at, "argument " + i);
      if (v.type() == ValueType.VOID) {
        throw new WireException("argument " + i + " is void");
      }
      types.add(v.type());
      arguments.add(v.value());
      at = v.end();
    }
    f.requireEnd(at);

    Optional<HostFunction> found = hostFunctions.lookup(name);
    if (found.isEmpty()) {
      replyError(GuestAbi.HOST_UNKNOWN, "no host function named \"" + name + "\" is registered");
      return;
    }
    HostFunction function = found.get();
    if (!function.signature().parameters().equals(types) || function.signature().result() != result) {
      replyError(
          GuestAbi.HOST_BAD_ARGS,
          "host function %s is %s; the guest called it with (%s) expecting %s"
              .formatted(
                  name,
                  function.signature(),
                  String.join(", ", types.stream().map(ValueType::wireName).toList()),
                  result.wireName()));
      return;
    }
    Object value;
    try {
      value = function.invoke(arguments);
    } catch (HostFunctionFailedException e) {
      call.hostFailures.add(e);
      Throwable cause = e.getCause();
      replyError(GuestAbi.HOST_FAILED, String.valueOf(cause == null ? e : cause));
      return;
    }
    FrameWriter reply = new FrameWriter(GuestAbi.FRAME_HOSTRESULT).u32(GuestAbi.HOST_OK).u32(0).value(result, value);
    if (reply.size() > layout.inputSize()) {
      String problem =
          "host function %s returned a %d-byte HOSTRESULT frame, more than inputBufferSize (%d)"
              .formatted(name, reply.size(), layout.inputSize());
      call.hostFailures.add(
          new HostFunctionFailedException(name, new IllegalStateException(problem), SandboxStatus.ready()));
      replyError(GuestAbi.HOST_FAILED, problem);
      return;
    }
    reply.writeTo(memory, layout.inputAddress());
  }

  private void replyError(int hostStatus, String message) {
    byte[] text = truncate(message, (int) Math.min(MAX_MESSAGE, layout.inputSize() - 40));
    new FrameWriter(GuestAbi.FRAME_HOSTRESULT)
        .u32(hostStatus)
        .u32(0)
        .u32(text.length)
        .padded(text)
        .writeTo(memory, layout.inputAddress());
  }

  private static byte[] truncate(String message, int max) {
    byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= max) {
      return bytes;
    }
    int end = max;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // do not cut a UTF-8 sequence
    }
    return java.util.Arrays.copyOf(bytes, end);
  }

  // ---- outcomes -------------------------------------------------------------------------------

  /** Poisons unless already worse; returns the status now. */
  private SandboxStatus poison(String reason) {
    status.updateAndGet(s -> s instanceof SandboxStatus.Ready ? SandboxStatus.poisoned(reason) : s);
    return status.get();
  }

  private ProtocolViolationException violation(Call call, @Nullable String detail) {
    String text = "in " + call.function + ": " + detail;
    return new ProtocolViolationException(text, poison("guest protocol violation " + text));
  }

  private SubstrateException broken(Call call, String what, @Nullable Throwable cause) {
    String reason = what + " during " + call.function;
    status.set(SandboxStatus.unrecoverable(reason));
    return new SubstrateException(reason, status.get(), cause);
  }

  private GuestFaultException fault(Call call, GuestFault fault) {
    OptionalLong address = fault.faultAddress();
    SandboxStatus left = poison("guest fault " + fault + " in " + call.function);
    return new GuestFaultException(fault.vector().number(), fault.rip(), address, left);
  }

  private GuestAbortedException aborted(Call call) {
    long rax = vcpu.registers().rax();
    int code = (int) rax;
    String message;
    try {
      FrameReader f = FrameReader.open(memory, layout.outputAddress(), layout.outputSize());
      if (f.kind() != GuestAbi.FRAME_ABORT) {
        throw new WireException("found a " + FrameReader.kindName(f.kind()) + " frame");
      }
      code = f.i32(0, "ABORT code");
      long length = f.u32(4, "ABORT message length");
      f.require(8, length, "ABORT message");
      message = f.message(8, Math.min(length, MAX_MESSAGE), "ABORT message");
    } catch (WireException e) {
      message = "(no valid ABORT frame: " + e.getMessage() + ")";
    }
    return new GuestAbortedException(
        code, message, poison("guest aborted with code " + code + " in " + call.function));
  }

  private GuestErrorException reportedError(FrameReader f, Call call) throws WireException {
    int code = f.i32(0, "ERROR code");
    long length = f.u32(4, "ERROR message length");
    f.require(8, length, "ERROR message");
    String message = f.message(8, Math.min(length, MAX_MESSAGE), "ERROR message");
    HostFunctionFailedException cause = call.hostFailures.isEmpty() ? null : call.hostFailures.get(0);
    GuestErrorException e = new GuestErrorException(call.function, code, message, status.get(), cause);
    for (int i = 1; i < call.hostFailures.size(); i++) {
      e.addSuppressed(call.hostFailures.get(i));
    }
    return e;
  }

  private static void attachHostFailures(SandboxException e, Call call) {
    if (e instanceof GuestErrorException) {
      return; // already the cause
    }
    for (HostFunctionFailedException failure : call.hostFailures) {
      e.addSuppressed(failure);
    }
  }

  /** The guest-physical layout, for tests and diagnostics. */
  GuestLayout guestLayout() {
    return layout;
  }

  @Override
  public String toString() {
    return "KvmGuestSubstrate#" + id + "[" + guest + ", " + status.get() + "]";
  }
}
