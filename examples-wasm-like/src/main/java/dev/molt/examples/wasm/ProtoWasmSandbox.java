package dev.molt.examples.wasm;

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
 * The WebAssembly engine guest loaded into a fresh KVM micro-VM, not yet run. The entry state of
 * {@link WasmState}: {@link #loadRuntime()} initialises the engine and returns the {@link
 * WasmSandbox}, consuming this state. The host functions modules may import are fixed here.
 *
 * {@snippet :
 * try (ProtoWasmSandbox proto = ProtoWasmSandbox.create(imports);
 *     WasmSandbox runtime = proto.loadRuntime();
 *     LoadedWasmSandbox loaded = runtime.loadModule(wasm)) {
 *   int fib20 = loaded.call("fib", WasmValue.i32(20)).getFirst().asI32();
 * }
 * }
 *
 * <p>After a transition consumed it, every method but {@link #close()} throws {@link
 * dev.molt.api.SandboxConsumedException}.
 */
public final class ProtoWasmSandbox implements WasmState {

  static final StateType<ProtoWasmSandbox, GuestSubstrate> TYPE =
      StateType.entry(ProtoWasmSandbox.class, ProtoWasmSandbox::handle, ProtoWasmSandbox::new);

  /**
   * The configuration {@link #create(WasmImports)} uses: 64 MiB of guest memory, a 32 MiB heap
   * (the engine takes ≈ 1.2 MiB; the rest holds module memories of up to ≈ 480 pages), a 256 KiB
   * stack, a 4 MiB input buffer (the largest module is a little smaller) and a 1 MiB output
   * buffer. Restores cost what was written, not what is configured.
   */
  public static final SandboxConfiguration DEFAULT_CONFIGURATION =
      SandboxConfiguration.builder()
          .guestMemorySize(64L << 20)
          .heapSize(32L << 20)
          .stackSize(256L << 10)
          .inputBufferSize(4L << 20)
          .outputBufferSize(1L << 20)
          .build();

  private final @Owning StateHandle<GuestSubstrate> handle;

  private ProtoWasmSandbox(@Owning StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /**
   * Creates a sandbox with no host functions (modules may import from {@code spectest} only) and
   * {@link #DEFAULT_CONFIGURATION}.
   *
   * @return the sandbox, owned by the caller
   * @throws dev.molt.api.KvmUnavailableException if {@code /dev/kvm} cannot be used
   * @throws SandboxException if KVM refused to create the VM
   */
  public static ProtoWasmSandbox create() throws SandboxException {
    return create(DEFAULT_CONFIGURATION, WasmImports.none());
  }

  /**
   * Creates a sandbox whose modules may import {@code imports}, with {@link
   * #DEFAULT_CONFIGURATION}.
   *
   * @param imports the host functions
   * @return the sandbox, owned by the caller
   * @throws dev.molt.api.KvmUnavailableException if {@code /dev/kvm} cannot be used
   * @throws SandboxException if KVM refused to create the VM
   */
  public static ProtoWasmSandbox create(WasmImports imports) throws SandboxException {
    return create(DEFAULT_CONFIGURATION, imports);
  }

  /**
   * Creates a sandbox.
   *
   * @param configuration memory, heap, stack and buffer sizes, time limit (modules travel through
   *     the input buffer, results through the output buffer)
   * @param imports the host functions modules may import
   * @return the sandbox, owned by the caller
   * @throws IllegalArgumentException if the configuration does not fit the engine's image
   * @throws dev.molt.api.KvmUnavailableException if {@code /dev/kvm} cannot be used
   * @throws SandboxException if KVM refused to create the VM
   */
  public static ProtoWasmSandbox create(SandboxConfiguration configuration, WasmImports imports)
      throws SandboxException {
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(imports, "imports");
    GuestSubstrate substrate =
        GuestSubstrate.create(EngineGuest.image(), configuration, EngineGuest.hostFunctions(imports));
    SandboxImports.remember(substrate, imports);
    return WasmState.FAMILY.open(substrate, ProtoWasmSandbox.class);
  }

  /**
   * The host functions modules loaded in this sandbox may import.
   *
   * @return the imports
   */
  public WasmImports imports() {
    return SandboxImports.of(handle.substrate());
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
   * Initialises the engine on the same VM ({@link WasmState#LOAD_RUNTIME}). On success this state
   * is consumed (closing it does nothing). On failure it stays the caller's, as the exception
   * reports (rolled back to Ready when the guest failed).
   *
   * @return the runtime, owned by the caller
   * @throws dev.molt.api.TransitionFailedException wrapping the guest's or KVM's failure
   * @throws SandboxException if the transition failed otherwise
   * @throws IllegalStateException if the sandbox is not Ready
   */
  @EnsuresCalledMethods(value = "this", methods = "close")
  public WasmSandbox loadRuntime() throws SandboxException {
    WasmSandbox runtime = WasmState.LOAD_RUNTIME.apply(this);
    close(); // consumed by now: does nothing, and tells the checker
    return runtime;
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
    return "ProtoWasmSandbox[" + handle + "]";
  }
}
