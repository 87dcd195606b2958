package dev.molt.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the native floor binary ({@code benchmarks/target/floor}) for one scenario. */
final class NativeFloor {
  private final Path binary;

  NativeFloor(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalArgumentException(
          "native floor " + binary + " is missing or not executable: build it with"
              + " 'mvn -pl benchmarks -am compile' (gcc is required)");
    }
    this.binary = binary;
  }

  Path binary() {
    return binary;
  }

  /** The command line for one run, as recorded in the report. */
  List<String> command(String scenario, int ops, int warmup) {
    return command(scenario, ops, warmup, List.of());
  }

  /** The command line for one run with extra arguments (the states scenarios' inputs). */
  List<String> command(String scenario, int ops, int warmup, List<String> extra) {
    List<String> command = new ArrayList<>(List.of(
        binary.toString(), scenario, "--ops", Integer.toString(ops), "--warmup",
        Integer.toString(warmup)));
    command.addAll(extra);
    return List.copyOf(command);
  }

  /**
   * Runs the floor and returns its verified figures.
   *
   * @throws BenchmarkFailedException if it fails, times out or prints something unexpected
   */
  FloorOutput run(String scenario, int ops, int warmup) {
    return run(scenario, ops, warmup, List.of());
  }

  /**
   * Runs the floor with extra arguments and returns its verified figures.
   *
   * @throws BenchmarkFailedException if it fails, times out or prints something unexpected
   */
  FloorOutput run(String scenario, int ops, int warmup, List<String> extra) {
    return FloorOutput.parse(
        LastLineProcess.run(command(scenario, ops, warmup, extra), "native floor"), scenario);
  }
}
