package dev.molt.examples.wasm;

import dev.molt.api.GuestErrorException;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import dev.molt.states.spi.GuestSubstrate;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * The WebAssembly engine initialised, no module loaded: {@link #loadModule(byte[])} instantiates
 * one and returns the {@link LoadedWasmSandbox}; {@link LoadedWasmSandbox#unloadModule()} brings
 * the sandbox back to exactly this state. A rejected module leaves this state the caller's and
 * Ready, so it can try another.
 *
 * <p>After a transition consumed it, every method but {@link #close()} throws {@link
 * dev.molt.api.SandboxConsumedException}.
 */
public final class WasmSandbox implements WasmState {

  static final StateType<WasmSandbox, GuestSubstrate> TYPE =
      StateType.of(WasmSandbox.class, WasmSandbox::handle, WasmSandbox::new);

  private final @Owning StateHandle<GuestSubstrate> handle;

  private WasmSandbox(@Owning StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /**
   * Loads a module ({@link WasmState#loadModule(byte[])}): decodes, validates and instantiates it
   * and runs its start function. On success this state is consumed. On failure it stays the
   * caller's, Ready, with no module.
   *
   * @param module a WebAssembly binary module (at most the configuration's input buffer, less a
   *     few bytes)
   * @return the sandbox with the module loaded, owned by the caller
   * @throws WasmModuleException if the engine rejected the module; {@link
   *     WasmModuleException#reason()} says why (malformed, invalid, unlinkable, trapped while
   *     instantiating, too large for the engine)
   * @throws IllegalArgumentException if the module does not fit the input buffer
   * @throws IllegalStateException if the sandbox is not Ready
   * @throws SandboxException if the guest exited abnormally (then rolled back: the exception
   *     says the status) or KVM failed
   */
  @EnsuresCalledMethods(value = "this", methods = "close")
  public LoadedWasmSandbox loadModule(byte[] module) throws WasmModuleException, SandboxException {
    LoadedWasmSandbox loaded;
    try {
      loaded = WasmState.loadModule(module).apply(this);
    } catch (TransitionFailedException e) {
      if (e.failure() instanceof GuestErrorException rejected) {
        throw EngineGuest.moduleRejected(rejected);
      }
      throw e;
    }
    close(); // consumed by now: does nothing, and tells the checker
    return loaded;
  }

  /**
   * The host functions modules may import.
   *
   * @return the imports given at creation
   */
  public WasmImports imports() {
    return SandboxImports.of(handle.substrate());
  }

  /**
   * Captures a snapshot of the initialised runtime; {@link WasmState#restore} returns to it.
   *
   * @return the snapshot
   * @throws SandboxException if the substrate failed to capture
   * @throws IllegalStateException if this state is consumed or not Ready
   */
  public Snapshot<WasmSandbox> snapshot() throws SandboxException {
    return WasmState.FAMILY.snapshot(this);
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
    return "WasmSandbox[" + handle + "]";
  }
}
