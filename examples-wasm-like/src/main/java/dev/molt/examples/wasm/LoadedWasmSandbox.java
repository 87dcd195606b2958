package dev.molt.examples.wasm;

import dev.molt.api.GuestErrorException;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import dev.molt.states.spi.GuestSubstrate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A module instantiated in the engine: call its exported functions with typed values ({@link
 * #call}, or a handle resolved once with {@link #function}), read its exported globals, snapshot
 * it, and {@link #unloadModule()} to return to the module-less {@link WasmSandbox}. Modules that
 * import each other share the sandbox: {@link #register} this one, then {@link
 * #loadModuleOnTop(byte[])} the importer; {@link #unloadTopModule()} returns to this one.
 *
 * <p>Outcomes of a call: the results; a {@link WasmTrapException} when the module traps (the
 * sandbox stays Ready, the module's memory and globals as the trapping code left them); a {@link
 * SandboxException} when the guest exits abnormally (Poisoned: {@link #unloadModule()} or {@link
 * WasmState#restore} recover). Arguments are checked against the export's type before any guest
 * work ({@link IllegalArgumentException}). One call runs at a time; calls must come from platform
 * threads.
 *
 * <p>After a transition consumed it, every method but {@link #close()} throws {@link
 * dev.molt.api.SandboxConsumedException}.
 */
public final class LoadedWasmSandbox implements WasmState {

  static final StateType<LoadedWasmSandbox, GuestSubstrate> TYPE =
      StateType.of(LoadedWasmSandbox.class, LoadedWasmSandbox::handle, LoadedWasmSandbox::new);

  private final @Owning StateHandle<GuestSubstrate> handle;

  /** The module's exports, read from the engine on first use. */
  private volatile @Nullable List<WasmExport> exports;

  private LoadedWasmSandbox(@Owning StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /**
   * The module's exports, in the module's order.
   *
   * @return an immutable list
   * @throws SandboxException if the guest failed to list them
   */
  public List<WasmExport> exports() throws SandboxException {
    GuestSubstrate guest = handle.substrate(); // throws once this state is consumed or closed
    List<WasmExport> e = exports;
    if (e == null) {
      e = EngineGuest.exports(guest);
      exports = e;
    }
    return e;
  }

  /**
   * Resolves an exported function once, for repeated calls.
   *
   * @param name the export name
   * @return a handle that calls it through this sandbox (and fails once this state is consumed)
   * @throws IllegalArgumentException if the module exports no function of that name (the message
   *     lists the functions it does export)
   * @throws SandboxException if the guest failed to list the exports
   */
  public WasmFunction function(String name) throws SandboxException {
    Objects.requireNonNull(name, "name");
    List<WasmExport> all = exports();
    for (WasmExport e : all) {
      if (e instanceof WasmExport.Function f && f.name().equals(name)) {
        return new WasmFunction(this, f);
      }
    }
    throw new IllegalArgumentException(
        "the module exports no function \"" + name + "\"; functions: "
            + all.stream().filter(WasmExport.Function.class::isInstance).map(WasmExport::name).toList());
  }

  /**
   * Calls an exported function.
   *
   * {@snippet :
   * List<WasmValue> results = loaded.call("add", WasmValue.i32(40), WasmValue.i32(2));
   * }
   *
   * @param name the export name
   * @param arguments one per parameter, of the parameter's type
   * @return the results (several for a multi-value function, none for no results)
   * @throws IllegalArgumentException if there is no such function or the arguments do not match
   *     its parameters (count, types)
   * @throws WasmTrapException if the call trapped (the sandbox stays Ready)
   * @throws SandboxException if the guest exited abnormally (Poisoned) or KVM failed
   */
  public List<WasmValue> call(String name, WasmValue... arguments) throws WasmTrapException, SandboxException {
    return function(name).call(arguments);
  }

  List<WasmValue> invoke(WasmExport.Function export, List<WasmValue> arguments)
      throws WasmTrapException, SandboxException {
    return EngineGuest.invoke(handle.substrate(), export.name(), export.type(), arguments);
  }

  /**
   * The current value of an exported global.
   *
   * @param name the export name
   * @return its value
   * @throws IllegalArgumentException if the module exports no global of that name
   * @throws SandboxException if the guest failed
   */
  public WasmValue global(String name) throws SandboxException {
    Objects.requireNonNull(name, "name");
    List<WasmExport> all = exports();
    for (WasmExport e : all) {
      if (e instanceof WasmExport.Global g && g.name().equals(name)) {
        return EngineGuest.global(handle.substrate(), name, g.type());
      }
    }
    throw new IllegalArgumentException(
        "the module exports no global \"" + name + "\"; globals: "
            + all.stream().filter(WasmExport.Global.class::isInstance).map(WasmExport::name).toList());
  }

  /**
   * The host functions the module could import.
   *
   * @return the imports given at creation
   */
  public WasmImports imports() {
    return SandboxImports.of(handle.substrate());
  }

  /**
   * Unloads the module ({@link WasmState#UNLOAD_MODULE}): restores the sandbox to the rollback
   * point the load recorded, so nothing of this module — memory, globals, tables, engine heap —
   * stays in guest memory; modules loaded {@link #loadModuleOnTop(byte[]) on top} of it go too.
   * Allowed on a Poisoned sandbox. On success this state is consumed.
   *
   * @return the module-less runtime, owned by the caller
   * @throws IllegalStateException if no rollback point is recorded (a state created from a
   *     snapshot of another sandbox) or the sandbox is Unrecoverable
   * @throws SandboxException if the restore failed (the exception says the status)
   */
  @EnsuresCalledMethods(value = "this", methods = "close")
  public WasmSandbox unloadModule() throws SandboxException {
    WasmSandbox runtime = WasmState.UNLOAD_MODULE.apply(this);
    close(); // consumed by now: does nothing, and tells the checker
    return runtime;
  }

  /**
   * Registers the current module under {@code name}: modules loaded later ({@link
   * #loadModuleOnTop(byte[])}) may import its exports as {@code name.<export>}. A later
   * registration of the same name wins. Registrations end with the module ({@link #unloadModule()},
   * or {@link #unloadTopModule()} past the point where they were made).
   *
   * @param name the module name importers use (1 to 128 UTF-8 bytes)
   * @throws IllegalArgumentException if the name is empty or longer than 128 UTF-8 bytes
   * @throws IllegalStateException if the engine already holds 16 registrations
   * @throws SandboxException if the guest failed
   */
  public void register(String name) throws SandboxException {
    Objects.requireNonNull(name, "name");
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > EngineGuest.MAX_REGISTERED_NAME) {
      throw new IllegalArgumentException(
          "a registered module name must have 1.." + EngineGuest.MAX_REGISTERED_NAME + " UTF-8 bytes, \""
              + name + "\" has " + bytes);
    }
    EngineGuest.register(handle.substrate(), name);
  }

  /**
   * Loads another module on top of this one ({@link WasmState#loadModuleOnTop(byte[])}): this
   * module stays instantiated (and importable under the names it was {@link #register registered}
   * with); the new one becomes the module {@link #call} and {@link #exports} address. On success
   * this state is consumed; on failure it stays the caller's, Ready, this module still current.
   *
   * @param module a WebAssembly binary module
   * @return the sandbox with the new module current, owned by the caller
   * @throws WasmModuleException if the engine rejected the module (as for {@link
   *     WasmSandbox#loadModule(byte[])})
   * @throws IllegalArgumentException if the module does not fit the input buffer
   * @throws IllegalStateException if the sandbox is not Ready
   * @throws SandboxException if the guest exited abnormally (then rolled back) or KVM failed
   */
  @EnsuresCalledMethods(value = "this", methods = "close")
  public LoadedWasmSandbox loadModuleOnTop(byte[] module) throws WasmModuleException, SandboxException {
    LoadedWasmSandbox loaded;
    try {
      loaded = WasmState.loadModuleOnTop(module).apply(this);
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
   * Unloads the module the newest {@link #loadModuleOnTop(byte[])} loaded ({@link
   * WasmState#UNLOAD_TOP_MODULE}): restores the rollback point it recorded, so the sandbox is
   * exactly as it was with the module below current. Allowed on a Poisoned sandbox. On success
   * this state is consumed.
   *
   * @return the sandbox with the module below current, owned by the caller
   * @throws IllegalStateException if no module was loaded on top ({@link #unloadModule()} is the
   *     way back to the runtime) or the sandbox is Unrecoverable
   * @throws SandboxException if the restore failed (the exception says the status)
   */
  @EnsuresCalledMethods(value = "this", methods = "close")
  public LoadedWasmSandbox unloadTopModule() throws SandboxException {
    LoadedWasmSandbox below = WasmState.UNLOAD_TOP_MODULE.apply(this);
    close(); // consumed by now: does nothing, and tells the checker
    return below;
  }

  /**
   * Captures a snapshot of the loaded module (memory, globals, tables as they are now); {@link
   * WasmState#restore} returns to it.
   *
   * @return the snapshot
   * @throws SandboxException if the substrate failed to capture
   * @throws IllegalStateException if this state is consumed or not Ready
   */
  public Snapshot<LoadedWasmSandbox> snapshot() throws SandboxException {
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
    return "LoadedWasmSandbox[" + handle + "]";
  }
}
