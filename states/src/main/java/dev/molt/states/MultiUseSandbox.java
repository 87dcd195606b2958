package dev.molt.states;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.ValueType;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import dev.molt.states.spi.GuestSubstrate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An initialised guest, ready for any number of calls: typed calls by name ({@link #call}), typed
 * handles resolved once ({@link #function}), raw calls by numeric id ({@link #callRaw}), host
 * functions registered late, an interrupt handle usable from any thread.
 *
 * <p>Outcomes of a call: a value; a {@link dev.molt.api.GuestErrorException} when the guest
 * reports an error (the sandbox stays Ready); a {@link dev.molt.api.GuestException} on an abnormal
 * exit — {@link dev.molt.api.GuestFaultException}, {@link dev.molt.api.GuestAbortedException},
 * {@link dev.molt.api.ProtocolViolationException}, {@link dev.molt.api.CallKilledException},
 * {@link dev.molt.api.CallTimedOutException} — which leaves it Poisoned: {@link #restore} a
 * snapshot to make it Ready again, or {@link #close()} it. A host function that throws gives the guest an error result it
 * can handle; the Java exception is attached to the failure the caller finally sees (as the cause
 * of a {@code GuestErrorException}, suppressed on the others).
 *
 * <p>Calls are checked before any guest work: wrong argument count or types are {@link
 * IllegalArgumentException}s. One call runs at a time (other threads wait); calls must be made
 * from platform threads.
 */
public final class MultiUseSandbox implements MoltSandbox {

  static final StateType<MultiUseSandbox, GuestSubstrate> TYPE =
      StateType.of(MultiUseSandbox.class, MultiUseSandbox::handle, MultiUseSandbox::new);

  private final @Owning StateHandle<GuestSubstrate> handle;

  private MultiUseSandbox(@Owning StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /**
   * Calls the guest function {@code function} and returns its result as {@code resultType}.
   *
   * <p>{@code resultType} is the Java type of the function's result type ({@code Integer} for
   * i32; {@code Long} for u32, i64 and u64; {@code Float}, {@code Double}, {@code Boolean}, {@code
   * String}, {@code byte[]}; {@code Void} for void, returning {@code null}) or {@code Object}.
   * Arguments are of the Java types of the parameters ({@link ValueType}).
   *
   * {@snippet :
   * int sum = sandbox.call("Add", Integer.class, 40, 2);
   * }
   *
   * @param function the name the guest registered
   * @param resultType the Java type of the result
   * @param arguments one per parameter
   * @param <R> the result type
   * @return the result ({@code null} for void)
   * @throws IllegalArgumentException if there is no such function, {@code resultType} does not
   *     match its result, or the arguments do not match its parameters
   * @throws IllegalStateException if the sandbox is not Ready
   * @throws SandboxException if the guest reported an error or exited abnormally (see the class
   *     documentation)
   */
  public <R> @Nullable R call(String function, Class<R> resultType, @Nullable Object... arguments)
      throws SandboxException {
    return function(function, resultType).call(arguments);
  }

  /**
   * Resolves a guest function once, checking its result type, for repeated calls.
   *
   * @param function the name the guest registered
   * @param resultType the Java type of its result (see {@link #call})
   * @param <R> the result type
   * @return a handle that calls it through this sandbox
   * @throws IllegalArgumentException if there is no such function or {@code resultType} does not
   *     match its result
   */
  public <R> GuestFunction<R> function(String function, Class<R> resultType) {
    Objects.requireNonNull(resultType, "resultType");
    GuestFunctionDescriptor descriptor = handle.substrate().function(Objects.requireNonNull(function, "function"));
    Class<?> expected = descriptor.result().javaType();
    if (resultType != Object.class && resultType != expected) {
      throw new IllegalArgumentException(
          "%s returns %s, carried as %s, not %s"
              .formatted(descriptor, descriptor.result(), expected.getSimpleName(), resultType.getSimpleName()));
    }
    return new GuestFunction<>(this, descriptor, resultType);
  }

  @Nullable Object invoke(GuestFunctionDescriptor descriptor, @Nullable Object[] arguments)
      throws SandboxException {
    return handle.substrate().call(descriptor, Arrays.asList(arguments));
  }

  /**
   * Calls a guest function of signature {@code bytes(bytes)} by numeric id.
   *
   * @param functionId the function's id ({@link GuestFunctionDescriptor#id()})
   * @param payload the argument bytes
   * @return the result bytes
   * @throws IllegalArgumentException if no function has that id, its signature is not {@code
   *     bytes(bytes)}, or the payload does not fit the input buffer
   * @throws IllegalStateException if the sandbox is not Ready
   * @throws SandboxException as {@link #call}
   */
  public byte[] callRaw(int functionId, byte[] payload) throws SandboxException {
    return handle.substrate().callRaw(functionId, Objects.requireNonNull(payload, "payload"));
  }

  /**
   * Calls a guest function of signature {@code bytes(bytes)} by numeric id and copies the result
   * into {@code into} (from index 0) instead of a new array: a caller that reuses one buffer pays
   * no allocation per call. Size the buffer for the largest result the function can return
   * (at most the configuration's output buffer size): a longer result is refused after the call
   * ran.
   *
   * @param functionId the function's id ({@link GuestFunctionDescriptor#id()})
   * @param payload the argument bytes
   * @param into the buffer the result is copied into
   * @return the result's length
   * @throws IllegalArgumentException as {@link #callRaw(int, byte[])}, or if the result is longer
   *     than {@code into} (the call ran, the sandbox stays Ready, nothing is copied)
   * @throws IllegalStateException if the sandbox is not Ready
   * @throws SandboxException as {@link #call}
   */
  public int callRaw(int functionId, byte[] payload, byte[] into) throws SandboxException {
    return handle
        .substrate()
        .callRaw(
            functionId,
            Objects.requireNonNull(payload, "payload"),
            Objects.requireNonNull(into, "into"));
  }

  /**
   * The guest's functions, in id order.
   *
   * @return the function table the guest reported at initialisation
   */
  public List<GuestFunctionDescriptor> functions() {
    return handle.substrate().functions();
  }

  /**
   * Adds a host function after initialisation; the guest can call it from the next host call on.
   *
   * @param function the function
   * @throws IllegalArgumentException if a function of that name is registered
   */
  public void registerHostFunction(HostFunction function) {
    handle.substrate().registerHostFunction(Objects.requireNonNull(function, "function"));
  }

  /**
   * The host functions registered now.
   *
   * @return the registry
   */
  public HostFunctions hostFunctions() {
    return handle.substrate().hostFunctions();
  }

  /**
   * The handle that stops a running call from any thread (the call then throws {@link
   * dev.molt.api.CallKilledException} and the sandbox is Poisoned).
   *
   * @return the handle, valid for the sandbox's life
   */
  public SandboxInterruptHandle interruptHandle() {
    return handle.substrate().interruptHandle();
  }

  /**
   * Bounds-checked access to guest memory by guest-physical address.
   *
   * @return the accessor
   */
  public GuestMemoryAccess memory() {
    return handle.substrate().memory();
  }

  /**
   * Captures guest memory, registers and guest state as an immutable snapshot that can be
   * restored into this sandbox any number of times ({@link #restore}), saved to a file ({@link
   * SandboxSnapshots#save}) and used to create new sandboxes ({@link #fromSnapshot}, {@link
   * SandboxPool}). Costs a copy of the pages that may be non-zero — or nothing new when memory has
   * not changed since the last snapshot or restore.
   *
   * @return the snapshot
   * @throws dev.molt.api.SandboxBusyException if a call is in progress (also from a host function
   *     of this sandbox); nothing changed
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if the image could not be
   *     made (the sandbox is unchanged)
   * @throws IllegalStateException if the sandbox is not Ready, or closed
   */
  public Snapshot<MultiUseSandbox> snapshot() throws SandboxException {
    return MoltSandbox.FAMILY.snapshot(this);
  }

  /**
   * Brings this sandbox back to {@code snapshot} exactly (every byte of guest memory, every
   * register, the guest function table) and makes it Ready, also when it was Poisoned. Costs a
   * copy of the pages written since the snapshot was taken or last restored here, not of all
   * memory. This object stays the sandbox's state.
   *
   * @param snapshot a snapshot of this sandbox (or of the sandbox it was created from, or loaded
   *     from a file it was saved to)
   * @throws dev.molt.api.SnapshotIncompatibleException if it belongs to another lineage or layout
   *     (nothing changed)
   * @throws dev.molt.api.SandboxBusyException if a call is in progress (nothing changed)
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if restoring failed midway
   *     (Unrecoverable: close it)
   * @throws IllegalStateException if the sandbox is Unrecoverable or closed
   */
  public void restore(Snapshot<MultiUseSandbox> snapshot) throws SandboxException {
    MoltSandbox.FAMILY.restoreInPlace(this, snapshot);
  }

  /**
   * Returns to the {@link UninitializedSandbox} this sandbox was before {@link
   * UninitializedSandbox#evolve()} ({@link MoltSandbox#RESET}): the rollback point initialise
   * recorded is restored. Consumes this state on success.
   *
   * @return the uninitialized sandbox, owned by the caller
   * @throws IllegalStateException if the sandbox has no such rollback point (it was created from a
   *     snapshot or restored to one), or is Unrecoverable
   * @throws SandboxException if restoring failed (see its status)
   */
  @EnsuresCalledMethods(value = "this", methods = "close")
  public UninitializedSandbox devolve() throws SandboxException {
    UninitializedSandbox before = MoltSandbox.RESET.apply(this);
    close(); // consumed by now: does nothing, and tells the checker
    return before;
  }

  /**
   * Creates a ready sandbox directly from a snapshot, without an ELF and without running the
   * guest's initialisation: its memory maps the snapshot's image copy-on-write (many sandboxes
   * created from one snapshot share its pages), its layout and configuration come from the
   * snapshot (no call time limit).
   *
   * @param snapshot a snapshot of a {@code MultiUseSandbox} (from {@link #snapshot()} or {@link
   *     SandboxSnapshots#load})
   * @param hostFunctions a superset of the host functions the snapshot recorded, with equal
   *     signatures
   * @return the sandbox, owned by the caller
   * @throws dev.molt.api.HostFunctionMismatchException listing every missing or mismatched host
   *     function
   * @throws dev.molt.api.SnapshotIncompatibleException if the snapshot is not a KVM sandbox's or
   *     is inconsistent
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM refused
   */
  public static MultiUseSandbox fromSnapshot(Snapshot<MultiUseSandbox> snapshot, HostFunctions hostFunctions)
      throws SandboxException {
    return fromSnapshot(snapshot, hostFunctions, GuestSubstrate.configurationOf(snapshot));
  }

  /**
   * Like {@link #fromSnapshot(Snapshot, HostFunctions)} with a configuration: its layout fields
   * (memory, stack, buffer and heap sizes, guest log level) must equal the snapshot's; its call
   * time limit applies.
   *
   * @param snapshot a snapshot of a {@code MultiUseSandbox}
   * @param hostFunctions a superset of the host functions the snapshot recorded
   * @param configuration the configuration
   * @return the sandbox, owned by the caller
   * @throws IllegalArgumentException naming each configuration field that conflicts with the
   *     snapshot
   * @throws dev.molt.api.HostFunctionMismatchException listing every missing or mismatched host
   *     function
   * @throws dev.molt.api.SnapshotIncompatibleException if the snapshot is not a KVM sandbox's or
   *     is inconsistent
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM refused
   */
  // StateFamily.fromSnapshot takes the substrate @Owning and closes it itself when it fails; the
  // Resource Leak Checker does not credit that transfer on the call's exceptional exits.
  @SuppressWarnings("required.method.not.called")
  public static MultiUseSandbox fromSnapshot(
      Snapshot<MultiUseSandbox> snapshot, HostFunctions hostFunctions, SandboxConfiguration configuration)
      throws SandboxException {
    return MoltSandbox.FAMILY.fromSnapshot(
        GuestSubstrate.fromSnapshot(snapshot, configuration, hostFunctions), snapshot);
  }

  /**
   * The configuration the sandbox was created with (for one created from a snapshot: the
   * snapshot's layout fields).
   *
   * @return the configuration
   */
  public SandboxConfiguration configuration() {
    return handle.substrate().configuration();
  }

  /** Whether this object is still the sandbox's live state (not closed, not consumed). */
  boolean isLive() {
    return handle.isLive();
  }

  @Override
  public SandboxStatus status() {
    return handle.status();
  }

  @Override
  @EnsuresCalledMethods(value = "this.handle", methods = "close")
  public void close() {
    handle.close();
  }

  @Override
  public String toString() {
    return "MultiUseSandbox[" + (handle.isLive() ? handle.substrate() : handle) + "]";
  }
}
