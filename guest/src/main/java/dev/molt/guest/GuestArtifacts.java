package dev.molt.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The guest runtime SDK and the test guests, as built by gcc into this module.
 *
 * <p>The SDK is what a guest author compiles and links against: {@value #HEADER} (the documented
 * C API), {@value #LIBRARY} (the runtime), {@value #LINKER_SCRIPT} (places the image at {@code
 * 0x200000}) and {@value #MAKEFILE_EXAMPLE} (the compiler and linker flags). {@link
 * #extractSdk(Path)} writes them into a directory; {@link ExtractSdk} does the same from the
 * command line.
 */
public final class GuestArtifacts {
  /** The guest ABI version the shipped runtime implements. */
  public static final int ABI_VERSION = 1;

  /** File name of the runtime's public C header. */
  public static final String HEADER = "molt_guest.h";

  /** File name of the runtime's static library. */
  public static final String LIBRARY = "libmoltguest.a";

  /** File name of the linker script. */
  public static final String LINKER_SCRIPT = "molt_guest.ld";

  /** File name of the example Makefile (compiler and linker flags for a guest). */
  public static final String MAKEFILE_EXAMPLE = "Makefile.example";

  private static final List<String> SDK_FILES =
      List.of(HEADER, LIBRARY, LINKER_SCRIPT, MAKEFILE_EXAMPLE);

  private GuestArtifacts() {}

  /**
   * The ELF file of a test guest, by name ({@code "behaviours"} or {@code "noop"}).
   *
   * @param name the guest's name, see {@link TestGuest#guestName()}
   * @return a fresh copy of the file's bytes
   * @throws IllegalArgumentException if no test guest has that name
   */
  public static byte[] testGuest(String name) {
    Objects.requireNonNull(name, "name");
    return TestGuest.named(name).elf();
  }

  /**
   * The names of the SDK files, in the order {@link #extractSdk(Path)} writes them.
   *
   * @return {@value #HEADER}, {@value #LIBRARY}, {@value #LINKER_SCRIPT}, {@value
   *     #MAKEFILE_EXAMPLE}
   */
  public static List<String> sdkFiles() {
    return SDK_FILES;
  }

  /**
   * One SDK file's contents.
   *
   * @param name one of {@link #sdkFiles()}
   * @return a fresh copy of the file's bytes
   * @throws IllegalArgumentException if {@code name} is not an SDK file
   */
  public static byte[] sdkFile(String name) {
    Objects.requireNonNull(name, "name");
    if (!SDK_FILES.contains(name)) {
      throw new IllegalArgumentException(
          "\"%s\" is not an SDK file; SDK files: %s".formatted(name, String.join(", ", SDK_FILES)));
    }
    return Resources.read("sdk/" + name);
  }

  /**
   * Writes the SDK files into {@code directory}, creating it (and its parents) if needed and
   * replacing SDK files already there. Other files in the directory are left alone.
   *
   * @param directory where to write
   * @return the files written, in {@link #sdkFiles()} order
   * @throws IllegalArgumentException if {@code directory} exists and is not a directory
   * @throws IOException if a directory or file cannot be written
   */
  public static List<Path> extractSdk(Path directory) throws IOException {
    Objects.requireNonNull(directory, "directory");
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new IllegalArgumentException(directory + " exists and is not a directory");
    }
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>();
    for (String name : SDK_FILES) {
      Path file = directory.resolve(name);
      Files.write(file, sdkFile(name));
      written.add(file);
    }
    return List.copyOf(written);
  }
}
