package dev.molt.states;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import dev.molt.states.spi.GuestSubstrate;
import java.util.Objects;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A guest ELF loaded into a fresh KVM micro-VM that has not run yet: the place to register host
 * functions and write boot data into guest memory. {@link #evolve()} runs the guest's
 * initialisation and returns the {@link MultiUseSandbox}, consuming this state.
 *
 * <p>After a transition consumed it, every method but {@link #close()} throws {@link
 * dev.molt.api.SandboxConsumedException}.
 */
public final class UninitializedSandbox implements MoltSandbox {

  static final StateType<UninitializedSandbox, GuestSubstrate> TYPE =
      StateType.entry(UninitializedSandbox.class, UninitializedSandbox::handle, UninitializedSandbox::new);

  private final @Owning StateHandle<GuestSubstrate> handle;

  private UninitializedSandbox(@Owning StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /**
   * Creates a sandbox for a guest with no host functions but {@code HostPrint} (which logs each
   * line the guest prints at INFO on the SLF4J logger {@code dev.molt.guest}).
   *
   * @param guest the guest ELF
   * @param configuration memory, heap, stack and buffer sizes, time limit
   * @return the sandbox, owned by the caller
   * @throws GuestImageException if the ELF is rejected; the message names the field
   * @throws IllegalArgumentException if the configuration does not fit the image
   * @throws dev.molt.api.KvmUnavailableException if {@code /dev/kvm} cannot be used
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM refused
   */
  public static UninitializedSandbox create(GuestBinary guest, SandboxConfiguration configuration)
      throws SandboxException {
    return create(guest, configuration, HostFunctions.empty());
  }

  /**
   * Creates a sandbox for a guest with the given host functions (plus an SLF4J {@code HostPrint}
   * when the registry has none).
   *
   * @param guest the guest ELF
   * @param configuration memory, heap, stack and buffer sizes, time limit
   * @param hostFunctions the host functions the guest may call
   * @return the sandbox, owned by the caller
   * @throws GuestImageException if the ELF is rejected; the message names the field
   * @throws IllegalArgumentException if the configuration does not fit the image
   * @throws dev.molt.api.KvmUnavailableException if {@code /dev/kvm} cannot be used
   * @throws SandboxException ({@link dev.molt.api.SubstrateException}) if KVM refused
   */
  public static UninitializedSandbox create(
      GuestBinary guest, SandboxConfiguration configuration, HostFunctions hostFunctions)
      throws SandboxException {
    return MoltSandbox.FAMILY.open(
        GuestSubstrate.create(guest, configuration, hostFunctions), UninitializedSandbox.class);
  }

  /**
   * Adds a host function the guest may call (during initialisation and after).
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
   * Bounds-checked access to guest memory, e.g. to write boot data the guest reads during
   * initialisation. The accessor (and cells from it) stay valid after {@link #evolve()}.
   *
   * @return the accessor
   */
  public GuestMemoryAccess memory() {
    return handle.substrate().memory();
  }

  /**
   * The handle that stops the guest from any thread, e.g. an initialisation that does not finish
   * during {@link #evolve()}. The same handle keeps working for the {@link MultiUseSandbox}.
   *
   * @return the handle, valid for the sandbox's life
   */
  public SandboxInterruptHandle interruptHandle() {
    return handle.substrate().interruptHandle();
  }

  /**
   * The configuration the sandbox was created with.
   *
   * @return the configuration
   */
  public SandboxConfiguration configuration() {
    return handle.substrate().configuration();
  }

  /**
   * Runs the guest's initialisation on the same VM ({@link MoltSandbox#INITIALISE}), after
   * recording this state as a rollback point. On success this state is consumed (closing it does
   * nothing) and {@link MultiUseSandbox#devolve()} can return to it. On failure it stays the
   * caller's and Ready: the rollback point was restored (the exception's {@code rolledBack()}
   * says so), so memory is as it was before the call, boot data included; should even that restore
   * fail, the exception reports the status left.
   *
   * @return the initialised sandbox, owned by the caller
   * @throws dev.molt.api.TransitionFailedException wrapping the guest's failure ({@link
   *     dev.molt.api.GuestErrorException}, {@link dev.molt.api.GuestException}) or KVM's
   * @throws SandboxException if the transition failed otherwise
   * @throws IllegalStateException if the sandbox is not Ready
   */
  @EnsuresCalledMethods(value = "this", methods = "close")
  public MultiUseSandbox evolve() throws SandboxException {
    MultiUseSandbox ready = MoltSandbox.INITIALISE.apply(this);
    close(); // consumed by now: does nothing, and tells the checker
    return ready;
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
    return "UninitializedSandbox[" + (handle.isLive() ? handle.substrate() : handle) + "]";
  }
}
