package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.scenario.KickableVcpu;
import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.benchmarks.scenario.ScenarioDrivers;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Java side of scenario {@link Scenario#KILL_TO_EINTR}; needs a registered driver. Before
 * each invocation (not measured) the vCPU thread enters KVM_RUN and settles; the measured call
 * kicks it and waits for EINTR.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@InheritableMustCall("closeVcpu")
public class KillToEintrScenarioBenchmark {
  private static final int EINTR = 4;
  private @Owning @Nullable KickableVcpu vcpu;

  /** Creates the state; JMH instantiates it. */
  public KillToEintrScenarioBenchmark() {}

  /**
   * Opens the kickable vCPU.
   *
   * @throws IllegalStateException if no driver is registered
   */
  @Setup(Level.Trial)
  @CreatesMustCallFor("this")
  public void openVcpu() {
    closeVcpu();
    vcpu = ScenarioDrivers.require().openKickable();
  }

  /** Lets the vCPU enter KVM_RUN and settle before each measured kick. */
  @Setup(Level.Invocation)
  public void arm() {
    vcpu().arm();
  }

  /**
   * The measured kick.
   *
   * @return EINTR
   * @throws IllegalStateException if KVM_RUN returned anything else
   */
  @Benchmark
  public int kick() {
    int errno = vcpu().kickAndAwaitEintr();
    if (errno != EINTR) {
      throw new IllegalStateException("KVM_RUN returned errno " + errno + ", expected EINTR");
    }
    return errno;
  }

  /** Closes the vCPU. */
  @TearDown(Level.Trial)
  @EnsuresCalledMethods(value = "this.vcpu", methods = "close")
  public void closeVcpu() {
    if (this.vcpu != null) {
      this.vcpu.close();
    }
  }

  private KickableVcpu vcpu() {
    KickableVcpu v = vcpu;
    if (v == null) {
      throw new IllegalStateException("the vCPU is not open: JMH calls openVcpu() first");
    }
    return v;
  }
}
