package dev.molt.benchmarks.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the floor binary the build produced (Surefire passes its path). */
final class Floor {
  private Floor() {}

  static void run(String... args) throws Exception {
    String binary = System.getProperty("molt.floor.binary");
    if (binary == null) {
      throw new IllegalStateException(
          "system property molt.floor.binary is not set: run the tests through Maven");
    }
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }
}
