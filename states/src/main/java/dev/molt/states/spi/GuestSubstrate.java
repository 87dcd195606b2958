package dev.molt.states.spi;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.states.internal.snapshotfile.VmSnapshotImage;
import java.util.Objects;
import dev.molt.api.SandboxException;
import dev.molt.api.spi.Substrate;
import dev.molt.states.GuestBinary;
import dev.molt.states.GuestFunctionDescriptor;
import dev.molt.states.GuestMemoryAccess;
import dev.molt.states.SandboxInterruptHandle;
import dev.molt.states.internal.KvmGuestSubstrate;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One KVM micro-VM running a Molt guest (guest ABI v1): guest memory, one vCPU, the host
 * functions, and the guest call protocol. This is what every state of a sandbox shares; a state
 * family (Molt's own {@code MoltSandbox} or a library's) declares {@code StateFamily<MyFamily,
 * GuestSubstrate>}, opens its entry state on {@link #create}, and reaches the guest through
 * {@code handle.substrate()}. Transitions hand it on; no vmm type is visible.
 *
 * <p>Lifecycle: {@link #create} loads the image (not yet run); {@link #initialise()} runs the
 * guest's initialisation once; then {@link #call} and {@link #callRaw} run guest functions. One
 * call runs at a time (other threads wait; a host function calling back into its own sandbox gets
 * {@link IllegalStateException}). Calls must run on platform threads (the kill signal targets an
 * OS thread).
 *
 * <p>Status: an abnormal guest exit (fault, abort, protocol violation, kill, time limit) poisons
 * the substrate; an error the guest reports ({@link dev.molt.api.GuestErrorException}) leaves it
 * Ready; a failure of KVM itself makes it Unrecoverable. While Poisoned or Unrecoverable, calls
 * throw {@link IllegalStateException}.
 *
 * <p>Snapshots: {@link #capture()} records guest memory (only the pages that may be non-zero;
 * nothing new when memory equals the image captured or restored last), the vCPU's registers
 * (general, special, x87/SSE) and the guest state (layout, image shape, function table); {@link
 * #restore} copies back the pages written since and clears Poisoned. Both are refused with {@link
 * dev.molt.api.SandboxBusyException} while a call runs. A family snapshots and restores through
 * {@code StateFamily.snapshot/restore/restoreInPlace}, records rollback points with its evolves,
 * and creates states from snapshots with {@link #fromSnapshot} + {@code StateFamily.fromSnapshot}.
 */
public sealed interface GuestSubstrate extends Substrate permits KvmGuestSubstrate {

  /**
   * Creates a micro-VM for a guest: validates the ELF and the configuration, maps guest memory,
   * writes the supervisor structures, the image and the boot block, and creates the vCPU. The
   * guest has not run yet.
   *
   * @param binary the guest ELF
   * @param configuration sizes and limits
   * @param hostFunctions the host functions the guest may call (a {@code HostPrint} that logs to
   *     SLF4J logger {@code dev.molt.guest} is added when the registry has none)
   * @return the substrate, owned by the caller
   * @throws dev.molt.states.GuestImageException if the ELF is rejected (naming the field)
   * @throws IllegalArgumentException if the configuration does not fit the image (naming the
   *     configuration fields)
   * @throws dev.molt.api.KvmUnavailableException if {@code /dev/kvm} cannot be used
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM refused to create
   *     the VM
   */
  static GuestSubstrate create(
      GuestBinary binary, SandboxConfiguration configuration, HostFunctions hostFunctions)
      throws SandboxException {
    return KvmGuestSubstrate.create(binary, configuration, hostFunctions);
  }

  /**
   * Creates a micro-VM for a state family's {@code StateFamily.fromSnapshot(substrate,
   * snapshot)}: its memory maps the snapshot's memory image copy-on-write (shared by every sandbox
   * created from that snapshot; each one's private memory grows only with the pages it writes),
   * its layout comes from the snapshot, it joins the snapshot's lineage. {@code
   * StateFamily.fromSnapshot} then checks the host functions and restores registers and guest
   * state.
   *
   * @param snapshot a snapshot of a KVM sandbox (taken in this process or loaded from a file)
   * @param configuration the configuration; its layout fields (memory, stack, buffer and heap
   *     sizes, guest log level) must equal the snapshot's, its other settings (the call time limit)
   *     apply to the new sandbox
   * @param hostFunctions the host functions: a superset of those the snapshot recorded, with equal
   *     signatures (an SLF4J {@code HostPrint} is added when the registry has none)
   * @return the substrate, owned by the caller
   * @throws IllegalArgumentException naming each configuration field that conflicts with the
   *     snapshot's layout
   * @throws dev.molt.api.SnapshotIncompatibleException if the snapshot is not a KVM sandbox's, or
   *     its recorded layout is inconsistent
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM refused
   */
  static GuestSubstrate fromSnapshot(
      Snapshot<?> snapshot, SandboxConfiguration configuration, HostFunctions hostFunctions)
      throws SandboxException {
    Objects.requireNonNull(snapshot, "snapshot");
    if (!(snapshot.image() instanceof VmSnapshotImage image)) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.FORMAT,
          "not a snapshot of a KVM sandbox: its image is a " + snapshot.image().getClass().getName(),
          SandboxStatus.unrecoverable("no sandbox was created"));
    }
    return KvmGuestSubstrate.fromSnapshot(
        snapshot.toString(), image, snapshot.lineage(), snapshot.layout(), configuration, hostFunctions);
  }

  /**
   * The configuration a snapshot implies: its layout fields, no call time limit.
   *
   * @param snapshot a snapshot of a KVM sandbox
   * @return the configuration
   * @throws IllegalArgumentException if the snapshot is not a KVM sandbox's
   */
  static SandboxConfiguration configurationOf(Snapshot<?> snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (!(snapshot.image() instanceof VmSnapshotImage image)) {
      throw new IllegalArgumentException(
          "not a snapshot of a KVM sandbox: its image is a " + snapshot.image().getClass().getName());
    }
    return image.guest().configuration(SandboxConfiguration.defaults());
  }

  /**
   * The configuration this substrate was created with.
   *
   * @return the configuration
   */
  SandboxConfiguration configuration();

  /**
   * Whether {@link #initialise()} has completed successfully.
   *
   * @return true once the guest's function table is known
   */
  boolean isInitialised();

  /**
   * Runs the guest's initialisation (its entry point, constructors and {@code molt_init}, which
   * may call host functions) and reads its function table. Subject to the configured time limit.
   * Any failure leaves the substrate Poisoned: guest memory holds a partly initialised runtime.
   *
   * @throws dev.molt.api.GuestErrorException if initialisation reported an error ({@code
   *     molt_fail} in {@code molt_init})
   * @throws dev.molt.api.GuestException if the guest faulted, aborted, broke the protocol (for
   *     example an invalid function table), was killed or timed out
   * @throws IllegalStateException if already initialised, not Ready, or closed
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM failed
   *     (Unrecoverable)
   */
  void initialise() throws SandboxException;

  /**
   * The guest's functions, in id order.
   *
   * @return the validated INIT table
   * @throws IllegalStateException if not initialised
   */
  List<GuestFunctionDescriptor> functions();

  /**
   * The guest function of that name.
   *
   * @param name the name the guest registered
   * @return its descriptor
   * @throws IllegalArgumentException if the guest has no such function (the message lists the
   *     names)
   * @throws IllegalStateException if not initialised
   */
  GuestFunctionDescriptor function(String name);

  /**
   * Calls a guest function with arguments of its parameter types (see {@link
   * dev.molt.api.ValueType} for the Java types). The arguments are checked before any guest work.
   *
   * @param function a descriptor from {@link #functions()}
   * @param arguments one per parameter
   * @return the result, of the function's result type ({@code null} for void)
   * @throws IllegalArgumentException if the descriptor is not this guest's, or the arguments do
   *     not match the parameters (count, types, u32 range), or they do not fit the input buffer
   * @throws IllegalStateException if not initialised, not Ready, closed, or called from a host
   *     function of this sandbox
   * @throws dev.molt.api.GuestErrorException if the guest reported an error (Ready); a host
   *     function failure during the call is its cause
   * @throws dev.molt.api.GuestException on an abnormal exit (Poisoned); host function failures
   *     during the call are attached as suppressed exceptions
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM failed
   *     (Unrecoverable)
   */
  @Nullable Object call(GuestFunctionDescriptor function, List<? extends @Nullable Object> arguments)
      throws SandboxException;

  /**
   * Calls a guest function of signature {@code bytes(bytes)} by numeric id: bytes in, bytes out.
   *
   * @param functionId the function's id
   * @param payload the argument
   * @return the result
   * @throws IllegalArgumentException if no function has that id or its signature is not {@code
   *     bytes(bytes)}, or the payload does not fit the input buffer
   * @throws IllegalStateException as {@link #call}
   * @throws SandboxException as {@link #call}
   */
  byte[] callRaw(int functionId, byte[] payload) throws SandboxException;

  /**
   * Like {@link #callRaw(int, byte[])}, but copies the result into {@code into} instead of a new
   * array: no allocation per call, for callers that reuse one buffer (large payloads).
   *
   * @param functionId the function's id
   * @param payload the argument
   * @param into where the result goes, from index 0
   * @return the result's length
   * @throws IllegalArgumentException as {@link #callRaw(int, byte[])}, or if the result is longer
   *     than {@code into} (the call ran, the sandbox stays Ready, nothing is copied)
   * @throws IllegalStateException as {@link #call}
   * @throws SandboxException as {@link #call}
   */
  int callRaw(int functionId, byte[] payload, byte[] into) throws SandboxException;

  /**
   * Bounds-checked access to guest memory by guest-physical address.
   *
   * @return the accessor (valid until the substrate is closed)
   */
  GuestMemoryAccess memory();

  /**
   * Adds a host function; the guest can call it from the next host call on.
   *
   * @param function the function
   * @throws IllegalArgumentException if a function of that name is registered
   * @throws IllegalStateException if closed
   */
  void registerHostFunction(HostFunction function);

  /**
   * The handle that stops the running call from any thread.
   *
   * @return the handle
   */
  SandboxInterruptHandle interruptHandle();
}
