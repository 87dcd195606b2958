package dev.molt.benchmarks.report;

import java.time.Instant;
import java.util.List;

/** Report fixtures shared by the report tests. */
final class Reports {
  private Reports() {}

  static final Machine MACHINE =
      new Machine("AMD EPYC", 2, 25_276_510_208L, "6.18.44-fc-v657", "pvm",
          "/sys/module/kvm_pvm present", "25.0.3+9-LTS");

  /** Both sides: ratio 1.1. */
  static ResultRow twoSided(String operation, double javaMedian, double floorMedian) {
    return ResultRow.fromRounds(
        operation, "a test operation", "kvm", "ns",
        List.of(new Summary(javaMedian, javaMedian - 1, javaMedian + 5, 100)),
        "JMH test.Bench.op",
        List.of(new Summary(floorMedian, floorMedian - 1, floorMedian + 3, 200)),
        "floor " + operation + " --ops 200 --warmup 20",
        "");
  }

  static ResultRow javaOnly(String operation) {
    return ResultRow.fromRounds(
        operation, "Java only", "java-only", "ns",
        List.of(new Summary(4400, 4200, 9000, 1000), new Summary(4600, 4300, 8000, 1000)),
        "JMH test.Summary.op", List.of(), null, "no floor");
  }

  static ResultRow floorOnly(String operation) {
    return ResultRow.fromRounds(
        operation, "floor only", "kvm", "ns", List.of(), null,
        List.of(new Summary(26_000, 25_000, 40_000, 300)), "floor x --ops 300 --warmup 30",
        "Java side not measured yet");
  }

  static BenchmarkReport report(List<ResultRow> rows) {
    return new BenchmarkReport(
        Instant.parse("2026-11-22T05:00:00Z"), "benchmarks/run --quick", true, 1, MACHINE, rows);
  }
}
