package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.scenario.Scenario;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The Java side of scenario {@link Scenario#IO_EXIT_ROUND_TRIP}; needs a registered driver. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IoExitRoundTripScenarioBenchmark extends OpenedVcpuState {
  /** Creates the state; JMH instantiates it. */
  public IoExitRoundTripScenarioBenchmark() {}

  @Override
  protected Scenario scenario() {
    return Scenario.IO_EXIT_ROUND_TRIP;
  }

  /**
   * One operation of the scenario.
   *
   * @return the exit's port (0x10)
   * @throws IllegalStateException if the result is wrong
   */
  @Benchmark
  public long op() {
    return verified(vcpu().op(0), 0x10);
  }
}
