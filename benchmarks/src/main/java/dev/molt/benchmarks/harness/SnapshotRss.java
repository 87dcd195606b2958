package dev.molt.benchmarks.harness;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.Snapshot;
import dev.molt.guest.TestGuest;
import dev.molt.states.GuestBinary;
import dev.molt.states.MultiUseSandbox;
import dev.molt.states.UninitializedSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Memory per sandbox created from one shared snapshot (issue #6): the growth of this process's
 * {@code Rss}, {@code Pss} and {@code Private_Dirty} ({@code /proc/self/smaps_rollup}) over N
 * sandboxes of the noop guest (16 MiB each) created with {@code MultiUseSandbox.fromSnapshot}, each
 * called once, against N created and evolved. Not part of the timed report: run it by hand
 * ({@code benchmarks/README.md}).
 */
public final class SnapshotRss {
  private SnapshotRss() {}

  /**
   * Prints the growth per sandbox.
   *
   * @param args optional: the number of sandboxes (default 200)
   * @throws SandboxException if KVM or the guest fails
   * @throws IOException if smaps_rollup cannot be read
   */
  public static void main(String[] args) throws SandboxException, IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    if (n < 1) {
      throw new IllegalArgumentException("the number of sandboxes must be positive, was " + n);
    }
    GuestBinary guest = GuestBinary.of(TestGuest.NOOP.elf());
    SandboxConfiguration configuration = SandboxConfiguration.defaults();
    HostFunctions functions = HostFunctions.empty();
    Snapshot<MultiUseSandbox> snapshot;
    try (UninitializedSandbox fresh = UninitializedSandbox.create(guest, configuration, functions);
        MultiUseSandbox ready = fresh.evolve()) {
      snapshot = ready.snapshot();
    }
    System.out.printf(
        Locale.ROOT, "noop guest, %d MiB guest memory per sandbox%n",
        configuration.guestMemorySize() >> 20);
    measure("fromSnapshot + 1 call", n, new Source(snapshot, guest, configuration, functions, true));
    measure("create + evolve + 1 call", n, new Source(snapshot, guest, configuration, functions, false));
  }

  /** Where the sandboxes come from: the snapshot, or create + evolve. */
  private record Source(
      Snapshot<MultiUseSandbox> snapshot,
      GuestBinary guest,
      SandboxConfiguration configuration,
      HostFunctions functions,
      boolean fromSnapshot) {

    MultiUseSandbox create() throws SandboxException {
      if (fromSnapshot) {
        return MultiUseSandbox.fromSnapshot(snapshot, functions);
      }
      try (UninitializedSandbox fresh = UninitializedSandbox.create(guest, configuration, functions)) {
        return fresh.evolve();
      }
    }
  }

  private static void measure(String name, int n, Source source)
      throws SandboxException, IOException {
    System.gc();
    long[] before = rollup();
    long[] after = holdAndMeasure(n, source);
    System.out.printf(
        Locale.ROOT,
        "%-26s %d sandboxes, per sandbox: process Rss %+.1f KiB, Pss %+.1f KiB, Private_Dirty"
            + " %+.1f KiB; 16 MiB guest mappings Rss %+.1f KiB, Pss %+.1f KiB, Private_Dirty"
            + " %+.1f KiB%n",
        name, n, (after[0] - before[0]) / (double) n, (after[1] - before[1]) / (double) n,
        (after[2] - before[2]) / (double) n, (after[3] - before[3]) / (double) n,
        (after[4] - before[4]) / (double) n, (after[5] - before[5]) / (double) n);
  }

  /** Creates {@code n} sandboxes, one per stack frame (each called once), then measures. */
  private static long[] holdAndMeasure(int n, Source source) throws SandboxException, IOException {
    if (n == 0) {
      System.gc();
      return rollup();
    }
    try (MultiUseSandbox s = source.create()) {
      s.call("Noop", Void.class, n);
      return holdAndMeasure(n - 1, source);
    }
  }

  /**
   * Rss, Pss and Private_Dirty in KiB of this process ({@code smaps_rollup}), then the same summed
   * over its 16 MiB mappings only ({@code smaps}: the guest memory of each sandbox and the
   * snapshot's image), which the Java heap's growth and shrinking does not blur.
   */
  private static long[] rollup() throws IOException {
    long[] values = new long[6];
    fields(Files.readAllLines(Path.of("/proc/self/smaps_rollup")), values, 0);
    boolean guest = false;
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 2 && parts[0].equals("Size:")) {
        guest = parts[1].equals(Long.toString(GUEST_MAPPING_KIB));
      } else if (guest) {
        fields(List.of(line), values, 3);
      }
    }
    return values;
  }

  private static final long GUEST_MAPPING_KIB = 16 * 1024;

  private static void fields(List<String> lines, long[] values, int at) {
    for (String line : lines) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 2) {
        continue;
      }
      switch (parts[0]) {
        case "Rss:" -> values[at] += Long.parseLong(parts[1]);
        case "Pss:" -> values[at + 1] += Long.parseLong(parts[1]);
        case "Private_Dirty:" -> values[at + 2] += Long.parseLong(parts[1]);
        default -> {
          // other fields are not reported
        }
      }
    }
  }
}
