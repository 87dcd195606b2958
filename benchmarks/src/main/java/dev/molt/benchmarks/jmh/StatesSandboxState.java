package dev.molt.benchmarks.jmh;

import dev.molt.api.SandboxException;
import dev.molt.benchmarks.states.StatesOperation;
import dev.molt.states.GuestBinary;
import dev.molt.states.MultiUseSandbox;
import dev.molt.states.UninitializedSandbox;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The lifecycle shared by the call benchmarks over states: a MultiUseSandbox of the operation's
 * guest, created and evolved before the trial (not measured) and closed after it.
 */
@InheritableMustCall("closeSandbox")
public abstract class StatesSandboxState {
  private @Owning @Nullable MultiUseSandbox sandbox;

  /** Incremented by each operation: a fresh argument every call. */
  protected int counter;

  /** Creates the state. */
  protected StatesSandboxState() {}

  /**
   * The operation this benchmark measures.
   *
   * @return the operation
   */
  protected abstract StatesOperation operation();

  /**
   * Resolves what the operation calls, once the sandbox is ready.
   *
   * @param ready the sandbox
   */
  protected abstract void prepare(MultiUseSandbox ready);

  /**
   * Creates and evolves the sandbox, then calls {@link #prepare}.
   *
   * @throws SandboxException if KVM or the guest fails
   */
  @Setup
  @CreatesMustCallFor("this")
  public void openSandbox() throws SandboxException {
    StatesOperation op = operation();
    MultiUseSandbox ready;
    try (UninitializedSandbox fresh =
        UninitializedSandbox.create(
            GuestBinary.of(op.guest().elf()), op.configuration(), op.hostFunctions())) {
      ready = fresh.evolve();
    }
    try {
      prepare(ready);
    } catch (RuntimeException e) {
      ready.close();
      throw e;
    }
    closeSandbox();
    sandbox = ready;
  }

  /** Closes the sandbox. */
  @TearDown
  @EnsuresCalledMethods(value = "this.sandbox", methods = "close")
  public void closeSandbox() {
    if (this.sandbox != null) {
      this.sandbox.close();
    }
  }

  /**
   * The sandbox.
   *
   * @return the sandbox
   * @throws IllegalStateException before {@link #openSandbox()}
   */
  protected @NotOwning MultiUseSandbox sandbox() {
    MultiUseSandbox s = sandbox;
    if (s == null) {
      throw new IllegalStateException("the sandbox is not open: JMH calls openSandbox() first");
    }
    return s;
  }
}
