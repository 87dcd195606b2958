package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.scenario.Scenario;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The Java side of scenario {@link Scenario#DISPATCH_SYNC_REGS}; needs a registered driver. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchSyncRegsScenarioBenchmark extends OpenedVcpuState {
  /** Creates the state; JMH instantiates it. */
  public DispatchSyncRegsScenarioBenchmark() {}

  @Override
  protected Scenario scenario() {
    return Scenario.DISPATCH_SYNC_REGS;
  }

  /**
   * One operation of the scenario.
   *
   * @return RAX, equal to the RDI passed
   * @throws IllegalStateException if the result is wrong
   */
  @Benchmark
  public long op() {
    long arg = 0x5afe_0000_0000_0000L + counter++;
    return verified(vcpu().op(arg), arg);
  }
}
