package dev.molt.transitions.demo;

import dev.molt.api.SandboxStatus;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;

/** A sandbox with a module loaded: it can call the module. */
public final class DemoLoaded implements Demo {

  static final StateType<DemoLoaded, MemorySubstrate> TYPE =
      StateType.of(DemoLoaded.class, DemoLoaded::handle, DemoLoaded::new);

  private final @Owning StateHandle<MemorySubstrate> handle;

  private DemoLoaded(@Owning StateHandle<MemorySubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<MemorySubstrate> handle() {
    return handle;
  }

  /**
   * Calls a function of the loaded module.
   *
   * @param function the function
   * @return what it returned
   */
  public String call(String function) {
    MemorySubstrate memory = handle.substrate();
    memory.put("called." + function, "yes");
    return memory.get("module") + "." + function + "()";
  }

  /**
   * The loaded module's name.
   *
   * @return the name
   */
  public String module() {
    return handle.substrate().get("module");
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
}
