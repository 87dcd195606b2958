package dev.molt.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a measuring process (the floor, the Java loop) and returns the last line it printed. */
final class LastLineProcess {
  private static final long TIMEOUT_MINUTES = 10;

  private LastLineProcess() {}

  /**
   * Runs {@code command} with no input; its standard error is kept for the failure message.
   *
   * @param what what runs, for messages (e.g. "native floor")
   * @throws BenchmarkFailedException if it cannot start, times out or exits with non-zero status
   */
  static String run(List<String> command, String what) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new BenchmarkFailedException("cannot start the " + what + " " + command, e);
    }
    try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new BenchmarkFailedException(
            what + " " + command + " did not finish within " + TIMEOUT_MINUTES + " minutes");
      }
      String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
      String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new BenchmarkFailedException(
            what + " " + command + " exited with " + process.exitValue() + ": " + stderr);
      }
      String[] lines = stdout.split("\n");
      return lines[lines.length - 1];
    } catch (IOException e) {
      throw new BenchmarkFailedException("cannot read the output of the " + what + " " + command, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BenchmarkFailedException("interrupted while running the " + what, e);
    }
  }
}
