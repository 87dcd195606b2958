package dev.molt.vmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this process's memory use from {@code /proc/self/smaps_rollup}. */
final class ProcessMemory {
  private ProcessMemory() {}

  /** Proportional set size (shared pages divided among their mappers), in KiB. */
  static long proportionalSetKib() throws IOException {
    return field("Pss:");
  }

  /** Resident set size, in KiB. */
  static long residentSetKib() throws IOException {
    return field("Rss:");
  }

  private static long field(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(name + " missing in /proc/self/smaps_rollup");
  }
}
