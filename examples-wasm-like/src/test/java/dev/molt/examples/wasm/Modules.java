package dev.molt.examples.wasm;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Test modules: .wat resources converted by chicory's pure-Java wat2wasm, and hand-made binaries. */
final class Modules {
  private Modules() {}

  /** The binary of {@code modules/<name>.wat}. */
  static byte[] wat(String name) {
    try (InputStream in = Objects.requireNonNull(
        Modules.class.getResourceAsStream("/modules/" + name + ".wat"), "no module " + name)) {
      return Wat2Wasm.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A module that decodes but fails validation: a function of result i32 whose body is i64.const 0. */
  static byte[] invalid() {
    return new byte[] {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x00, 0x0b
    };
  }
}
