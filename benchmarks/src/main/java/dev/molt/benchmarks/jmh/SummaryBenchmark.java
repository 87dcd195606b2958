package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.report.Summary;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The harness's own statistics: {@link Summary#of(double...)} over 1,001 timings. A Java-only row
 * (no floor): it shows that summarising a round costs nothing next to the operations measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SummaryBenchmark {
  private final double[] timings = new SplittableRandom(42).doubles(1_001, 20_000, 60_000).toArray();

  /** Creates the state; JMH instantiates it. */
  public SummaryBenchmark() {}

  /**
   * The measured call.
   *
   * @return the summary
   */
  @Benchmark
  public Summary summarise() {
    return Summary.of(timings);
  }
}
