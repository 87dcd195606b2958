package dev.molt.guest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Command-line build step that extracts the guest SDK into a directory:
 *
 * <pre>{@code java -p molt-guest.jar -m dev.molt.guest/dev.molt.guest.ExtractSdk <directory>}</pre>
 *
 * <p>Exit status 0 on success, 1 when a file cannot be written, 2 on a usage error.
 */
public final class ExtractSdk {
  private ExtractSdk() {}

  /**
   * Extracts the SDK into the directory named by the only argument.
   *
   * @param args one directory
   */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || args[0].isBlank()) {
      err.println("usage: ExtractSdk <directory>   (writes " + String.join(", ", GuestArtifacts.sdkFiles()) + ")");
      return 2;
    }
    try {
      List<Path> written = GuestArtifacts.extractSdk(Path.of(args[0]));
      for (Path file : written) {
        out.println("wrote " + file);
      }
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("cannot extract the Molt guest SDK into " + args[0] + ": " + e.getMessage());
      return 1;
    }
  }
}
