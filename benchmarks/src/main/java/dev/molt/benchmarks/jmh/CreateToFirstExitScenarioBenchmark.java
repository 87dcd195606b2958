package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.benchmarks.scenario.ScenarioDriver;
import dev.molt.benchmarks.scenario.ScenarioDrivers;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.MonotonicNonNull;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The Java side of scenario {@link Scenario#CREATE_TO_FIRST_EXIT}; needs a registered driver. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CreateToFirstExitScenarioBenchmark {
  private @MonotonicNonNull ScenarioDriver driver;

  /** Creates the state; JMH instantiates it. */
  public CreateToFirstExitScenarioBenchmark() {}

  /**
   * Finds the driver.
   *
   * @throws IllegalStateException if none is registered
   */
  @Setup
  public void findDriver() {
    driver = ScenarioDrivers.require();
  }

  /**
   * One whole create → first exit → teardown iteration.
   *
   * @return RAX at the first exit (42)
   * @throws IllegalStateException if the guest did not report 42
   */
  @Benchmark
  public long createToFirstExit() {
    ScenarioDriver d = driver;
    if (d == null) {
      throw new IllegalStateException("no driver: JMH calls findDriver() first");
    }
    long rax = d.createToFirstExit();
    if (rax != 42) {
      throw new IllegalStateException("first exit RAX=" + rax + ", expected 42");
    }
    return rax;
  }
}
