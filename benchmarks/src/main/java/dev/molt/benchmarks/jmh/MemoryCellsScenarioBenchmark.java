package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.scenario.Scenario;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The Java side of scenario {@link Scenario#MEMORY_CELLS}; needs a registered driver. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemoryCellsScenarioBenchmark extends OpenedVcpuState {
  /** Creates the state; JMH instantiates it. */
  public MemoryCellsScenarioBenchmark() {}

  @Override
  protected Scenario scenario() {
    return Scenario.MEMORY_CELLS;
  }

  /**
   * One operation of the scenario.
   *
   * @return the guest's cell 0x110008 (argument + 1)
   * @throws IllegalStateException if the result is wrong
   */
  @Benchmark
  public long op() {
    long arg = 0x5afe_0000_0000_0000L + counter++;
    return verified(vcpu().op(arg), arg + 1);
  }
}
