package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.report.Summary;
import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs one JMH benchmark method in one forked JVM (the JDK running the harness, i.e. JDK 25) and
 * summarises its samples (JMH's SampleTime mode records each invocation's time).
 */
final class JmhRunner {
  private final HarnessOptions options;

  JmhRunner(HarnessOptions options) {
    this.options = options;
  }

  /** The java launcher of the running JDK: JMH forks must run on the same JDK 25. */
  static String currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs {@code benchmark} ({@code fully.qualified.Class.method}) with {@code warmupIterations}
   * warm-up iterations ({@link Operation#jmhWarmupIterations}).
   *
   * @throws BenchmarkFailedException if JMH fails or produces no samples
   */
  Summary run(String benchmark, int warmupIterations) {
    Options opts =
        new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark) + "$")
            .forks(1)
            .jvm(currentJava())
            // JMH 1.37 still calls sun.misc.Unsafe::objectFieldOffset; allow it without the warning.
            .jvmArgsAppend(
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
            .warmupIterations(warmupIterations)
            .warmupTime(TimeValue.milliseconds(options.jmhIterationMillis()))
            .measurementIterations(options.jmhMeasurementIterations())
            .measurementTime(TimeValue.milliseconds(options.jmhIterationMillis()))
            .shouldFailOnError(true)
            .verbosity(options.verbose() ? VerboseMode.NORMAL : VerboseMode.SILENT)
            .build();
    Collection<RunResult> results;
    try {
      results = new Runner(opts).run();
    } catch (RunnerException e) {
      throw new BenchmarkFailedException(
          "JMH benchmark " + benchmark + " failed (run with --verbose for JMH's output): "
              + e.getMessage(), e);
    }
    if (results.size() != 1) {
      throw new BenchmarkFailedException(
          "JMH ran " + results.size() + " benchmarks for " + benchmark + ", expected exactly 1");
    }
    Statistics stats = results.iterator().next().getPrimaryResult().getStatistics();
    if (stats.getN() < 1) {
      throw new BenchmarkFailedException("JMH benchmark " + benchmark + " produced no samples");
    }
    return new Summary(stats.getPercentile(50), stats.getMin(), stats.getMax(), stats.getN());
  }
}
