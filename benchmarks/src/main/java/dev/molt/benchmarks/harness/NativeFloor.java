package dev.molt.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the native floor binary ({@code benchmarks/target/floor}) for one scenario. */
final class NativeFloor {
  private static final long TIMEOUT_MINUTES = 10;

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
    return List.of(
        binary.toString(), scenario, "--ops", Integer.toString(ops), "--warmup",
        Integer.toString(warmup));
  }

  /**
   * Runs the floor and returns its verified figures.
   *
   * @throws BenchmarkFailedException if it fails, times out or prints something unexpected
   */
  FloorOutput run(String scenario, int ops, int warmup) {
    List<String> command = command(scenario, ops, warmup);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new BenchmarkFailedException("cannot start the native floor " + command, e);
    }
    try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new BenchmarkFailedException(
            "native floor " + command + " did not finish within " + TIMEOUT_MINUTES + " minutes");
      }
      String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
      String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new BenchmarkFailedException(
            "native floor " + command + " exited with " + process.exitValue() + ": " + stderr);
      }
      String[] lines = stdout.split("\n");
      return FloorOutput.parse(lines[lines.length - 1], scenario);
    } catch (IOException e) {
      throw new BenchmarkFailedException("cannot read the native floor's output " + command, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BenchmarkFailedException("interrupted while running the native floor", e);
    }
  }
}
