package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.scenario.ReferenceVcpu;
import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.benchmarks.scenario.ScenarioDrivers;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The lifecycle shared by the repeated-operation scenario benchmarks: a vCPU opened through the
 * registered {@link dev.molt.benchmarks.scenario.ScenarioDriver} for one scenario (not measured),
 * closed after the trial.
 */
@InheritableMustCall("closeVcpu")
public abstract class OpenedVcpuState {
  private @Owning @Nullable ReferenceVcpu vcpu;
  /** Incremented by each operation: the argument the guest must echo. */
  protected long counter;

  /** Creates the state. */
  protected OpenedVcpuState() {}

  /**
   * The scenario this benchmark measures.
   *
   * @return the scenario
   */
  protected abstract Scenario scenario();

  /**
   * Opens the vCPU.
   *
   * @throws IllegalStateException if no driver is registered
   */
  @Setup
  @CreatesMustCallFor("this")
  public void openVcpu() {
    closeVcpu();
    vcpu = ScenarioDrivers.require().open(scenario());
  }

  /** Closes the vCPU. */
  @TearDown
  @EnsuresCalledMethods(value = "this.vcpu", methods = "close")
  public void closeVcpu() {
    if (this.vcpu != null) {
      this.vcpu.close();
    }
  }

  /**
   * The opened vCPU.
   *
   * @return the vCPU
   * @throws IllegalStateException before {@link #openVcpu()}
   */
  protected ReferenceVcpu vcpu() {
    ReferenceVcpu v = vcpu;
    if (v == null) {
      throw new IllegalStateException("the vCPU is not open: JMH calls openVcpu() first");
    }
    return v;
  }

  /**
   * Fails unless the operation produced the value its scenario requires.
   *
   * @param actual what the operation returned
   * @param expected what the scenario requires
   * @return {@code actual}
   * @throws IllegalStateException if they differ
   */
  protected final long verified(long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(
          scenario().operation() + " returned 0x" + Long.toHexString(actual) + ", expected 0x"
              + Long.toHexString(expected));
    }
    return actual;
  }
}
