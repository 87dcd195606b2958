package dev.molt.benchmarks.harness;

import java.nio.file.Path;

/** The floor binary the build produced (Surefire passes its path). */
final class FloorBinary {
  private FloorBinary() {}

  static Path path() {
    String path = System.getProperty("molt.floor.binary");
    if (path == null) {
      throw new IllegalStateException(
          "system property molt.floor.binary is not set: run the tests through Maven");
    }
    return Path.of(path);
  }
}
