package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.Snapshot;
import dev.molt.testkit.RequiresKvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sandboxes created from one snapshot share its memory image. */
@RequiresKvm
class SnapshotMemoryTest {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotMemoryTest.class);
  private static final int SANDBOXES = 200;

  /** This process's proportional set size in KiB ({@code /proc/self/smaps_rollup}). */
  private static long pssKib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
      if (line.startsWith("Pss:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError("no Pss line in /proc/self/smaps_rollup");
  }

  @Test
  void twoHundredSandboxesFromOne16MibSnapshotDoNotCost200Copies() throws Exception {
    Snapshot<MultiUseSandbox> snapshot;
    try (MultiUseSandbox original = Behaviours.ready(Behaviours.SMALL)) {
      original.memory().write(0x300000, new byte[8 << 20]); // 8 MiB of the heap now populated
      original.memory().write(0x300000, new byte[] {1});
      snapshot = original.snapshot();
    }
    long imageKib = Behaviours.SMALL.guestMemorySize() / 1024;
    List<MultiUseSandbox> sandboxes = new ArrayList<>();
    try {
      // One sandbox first, so the image's own pages are counted before the measurement starts.
      sandboxes.add(MultiUseSandbox.fromSnapshot(snapshot, Behaviours.hostFunctions()));
      sandboxes.get(0).call("Add", Integer.class, 1, 1);
      System.gc();
      long before = pssKib();
      for (int i = 1; i < SANDBOXES; i++) {
        MultiUseSandbox s = MultiUseSandbox.fromSnapshot(snapshot, Behaviours.hostFunctions());
        sandboxes.add(s);
        assertThat(s.call("Add", Integer.class, i, 1)).isEqualTo(i + 1);
        assertThat(s.memory().read(0x300000, 1)).containsExactly(1);
      }
      long grownKib = pssKib() - before;
      long perSandboxKib = grownKib / (SANDBOXES - 1);
      LOG.info(
          "{} sandboxes from one {} MiB snapshot (each after one call): PSS +{} KiB, {} KiB per sandbox",
          SANDBOXES, imageKib / 1024, grownKib, perSandboxKib);
      // A private copy each would be 16 MiB per sandbox; sharing costs the pages each one wrote
      // (its stack, buffers, the page-table entries its page walks marked) and its VM's host state.
      assertThat(perSandboxKib).isLessThan(imageKib / 8);
    } finally {
      for (MultiUseSandbox s : sandboxes) {
        s.close();
      }
    }
  }
}
