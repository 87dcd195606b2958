package dev.molt.states;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of a guest ELF executable (built against the Molt guest SDK, guest ABI v1) and where
 * they came from. Immutable. The ELF is validated when a sandbox is created from it, against that
 * sandbox's configuration (a rejected image throws {@link GuestImageException}).
 */
public final class GuestBinary {
  private final byte[] bytes;
  private final String source;

  private GuestBinary(byte[] bytes, String source) {
    this.bytes = bytes;
    this.source = source;
  }

  /**
   * A guest from bytes in memory.
   *
   * @param elf the ELF file's bytes (copied)
   * @return the binary
   */
  public static GuestBinary of(byte[] elf) {
    return new GuestBinary(Objects.requireNonNull(elf, "elf").clone(), "(" + elf.length + " bytes)");
  }

  /**
   * A guest read from a file.
   *
   * @param file the ELF file
   * @return the binary
   * @throws IOException if the file cannot be read
   */
  public static GuestBinary read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return new GuestBinary(Files.readAllBytes(file), file.toString());
  }

  /**
   * A guest read from a resource, resolved like {@link Class#getResourceAsStream(String)} on
   * {@code anchor} (so a module's own, encapsulated resources are found when {@code anchor} is
   * one of its classes).
   *
   * @param anchor a class whose module and package resolve the name
   * @param name the resource name (absolute with a leading {@code /}, else relative to the
   *     anchor's package)
   * @return the binary
   * @throws IllegalArgumentException if there is no such resource
   * @throws IOException if the resource cannot be read
   */
  public static GuestBinary fromResource(Class<?> anchor, String name) throws IOException {
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(name, "name");
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no resource \"" + name + "\" visible to " + anchor.getName()
                + " (resources in named modules are encapsulated: use a class of the module that"
                + " holds the guest as the anchor)");
      }
      return new GuestBinary(in.readAllBytes(), "resource " + name);
    }
  }

  /**
   * The ELF bytes.
   *
   * @return a copy
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Where the bytes came from, for messages.
   *
   * @return e.g. a file path or {@code "resource /guests/app.elf"}
   */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "GuestBinary[" + source + "]";
  }
}
