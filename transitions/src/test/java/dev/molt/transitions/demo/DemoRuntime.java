package dev.molt.transitions.demo;

import dev.molt.api.GuestAbortedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.Owning;

/** A sandbox with its runtime loaded: it can evaluate, and load a module. */
public final class DemoRuntime implements Demo {

  static final StateType<DemoRuntime, MemorySubstrate> TYPE =
      StateType.of(DemoRuntime.class, DemoRuntime::handle, DemoRuntime::new);

  // @start region=state
  private final @Owning StateHandle<MemorySubstrate> handle;

  private DemoRuntime(@Owning StateHandle<MemorySubstrate> handle) {
    this.handle = handle;
  }

  /**
   * Runs a command in the runtime. {@code "crash"} makes the guest abort, which poisons the
   * sandbox.
   *
   * @param command what to run
   * @return the runtime's answer
   * @throws GuestAbortedException if the guest aborted (the sandbox is then Poisoned)
   */
  public String eval(String command) throws GuestAbortedException {
    MemorySubstrate memory = handle.substrate(); // throws if this state was consumed
    if (command.equals("crash")) {
      memory.poison("guest aborted in eval");
      throw new GuestAbortedException(2, "crashed on request", memory.status());
    }
    memory.put("last", command);
    return memory.get("runtime") + ": " + command;
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
  // @end region=state

  private StateHandle<MemorySubstrate> handle() {
    return handle;
  }
}
