package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks module's peer rows ({@code wasm-*}) run {@code bench.wasm}, kept there as a
 * binary (Chicory's runtime 1.5.1 there cannot share a class path with the wabt 1.0.0 used here);
 * this test keeps it equal to its source.
 */
class BenchmarkModuleTest {

  private static final Path DIR = Path.of("../benchmarks/src/main/resources/dev/molt/benchmarks/wasm");

  @Test
  void theBenchmarkBinaryIsItsWatSourceConverted() throws Exception {
    byte[] converted = Wat2Wasm.parse(Files.readString(DIR.resolve("bench.wat")));
    assertThat(Files.readAllBytes(DIR.resolve("bench.wasm")))
        .as("regenerate bench.wasm from bench.wat with chicory's Wat2Wasm (see the README)")
        .isEqualTo(converted);
  }
}
