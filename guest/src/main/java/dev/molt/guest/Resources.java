package dev.molt.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the artifacts gcc built into this module (they are encapsulated: only this module can). */
final class Resources {
  private Resources() {}

  static byte[] read(String relativePath) {
    String path = "/dev/molt/guest/" + relativePath;
    try (InputStream in = Resources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource " + path + " is missing from the molt-guest jar: the gcc build step did not run");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + path, e);
    }
  }
}
