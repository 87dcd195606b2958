package dev.molt.benchmarks.states;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the floor binary the build produced (Surefire passes its path) and keeps its output. */
record FloorRun(int exit, String stdout, String stderr) {

  static Path binary() {
    String path = System.getProperty("molt.floor.binary");
    if (path == null) {
      throw new IllegalStateException(
          "system property molt.floor.binary is not set: run the tests through Maven");
    }
    return Path.of(path);
  }

  static FloorRun run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("floor " + command + " did not finish in 120 s");
    }
    return new FloorRun(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  FloorRun requireExit(int expected) {
    assertThat(exit).as("floor exit status; stderr: " + stderr).isEqualTo(expected);
    return this;
  }
}
