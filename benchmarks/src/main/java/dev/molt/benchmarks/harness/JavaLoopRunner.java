package dev.molt.benchmarks.harness;

import java.util.List;

/** Runs {@link JavaLoop} in a fresh JVM (the harness's JDK 25 and class path), like a JMH fork. */
final class JavaLoopRunner {
  /** The command line for one run, as recorded in the report (without the JVM part). */
  static List<String> describe(String scenario, int ops, int warmup) {
    return List.of(
        "JavaLoop", scenario, "--ops", Integer.toString(ops), "--warmup",
        Integer.toString(warmup));
  }

  /**
   * Runs the loop and returns its verified figures.
   *
   * @throws BenchmarkFailedException if it fails, times out or prints something unexpected
   */
  FloorOutput run(String scenario, int ops, int warmup) {
    List<String> command =
        List.of(
            JmhRunner.currentJava(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            JavaLoop.class.getName(),
            scenario,
            "--ops",
            Integer.toString(ops),
            "--warmup",
            Integer.toString(warmup));
    return FloorOutput.parse(LastLineProcess.run(command, "Java loop"), scenario);
  }
}
