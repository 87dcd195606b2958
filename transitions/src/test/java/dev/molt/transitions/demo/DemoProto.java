package dev.molt.transitions.demo;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;

/** A bare sandbox: memory exists, nothing loaded. The family's entry state. */
public final class DemoProto implements Demo {

  // @start region=type
  static final StateType<DemoProto, MemorySubstrate> TYPE =
      StateType.entry(DemoProto.class, DemoProto::handle, DemoProto::new);
  // @end region=type

  private final @Owning StateHandle<MemorySubstrate> handle;

  private DemoProto(@Owning StateHandle<MemorySubstrate> handle) {
    this.handle = handle;
  }

  /**
   * Entry factory: a new bare sandbox.
   *
   * @param hostFunctions the host functions the guest may call
   * @return the sandbox, owned by the caller
   */
  public static DemoProto create(HostFunctions hostFunctions) {
    return FAMILY.open(MemorySubstrate.create(hostFunctions), DemoProto.class);
  }

  private StateHandle<MemorySubstrate> handle() {
    return handle;
  }

  /**
   * Writes boot data before the runtime is loaded.
   *
   * @param key where
   * @param value what
   */
  public void writeBootData(String key, String value) {
    handle.substrate().put("boot." + key, value);
  }

  /**
   * Method-style evolve: {@code proto.loadRuntime()} is {@code Demo.LOAD_RUNTIME.apply(proto)}.
   * On success this state is consumed (the checker learns it from the annotation); on failure it
   * stays the caller's, Ready (rolled back) or with the status the exception reports.
   *
   * @return the runtime state
   * @throws SandboxException if loading failed
   */
  // @start region=methodStyle
  @EnsuresCalledMethods(value = "this", methods = "close")
  public DemoRuntime loadRuntime() throws SandboxException {
    DemoRuntime runtime = LOAD_RUNTIME.apply(this);
    close(); // consumed by now: does nothing, and tells the checker
    return runtime;
  }
  // @end region=methodStyle

  @Override
  public SandboxStatus status() {
    return handle.status();
  }

  @Override
  @EnsuresCalledMethods(value = "this.handle", methods = "close")
  public void close() {
    handle.close();
  }
}
