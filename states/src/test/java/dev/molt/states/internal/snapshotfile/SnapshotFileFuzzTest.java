package dev.molt.states.internal.snapshotfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates a valid snapshot file thousands of times (bit flips, byte overwrites, truncation,
 * insertion, deletion, header fields set to extremes): every mutated file is refused with a
 * {@link SnapshotFormatException}; nothing else is thrown, nothing hangs.
 */
class SnapshotFileFuzzTest {
  private static final int MUTATIONS = 4000;

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyMutationOfAValidFileIsATypedRefusal() throws Exception {
    Path valid = dir.resolve("valid.molt");
    SnapshotFileWriter.write(TestSnapshots.file(), valid);
    byte[] original = Files.readAllBytes(valid);
    Random random = new Random(2026);
    Path path = dir.resolve("mutant.molt");
    Map<SnapshotFormatException.Problem, Integer> seen =
        new EnumMap<>(SnapshotFormatException.Problem.class);
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] mutant = mutate(original, random);
      if (Arrays.equals(mutant, original)) {
        continue;
      }
      Files.write(path, mutant);
      int round = i;
      assertThatThrownBy(
              () -> SnapshotFileReader.read(path, SnapshotLimits.defaults(), TestSnapshots.CPU))
          .as("mutation %d", round)
          .isInstanceOfSatisfying(
              SnapshotFormatException.class, e -> seen.merge(e.problem(), 1, Integer::sum));
    }
    assertThat(seen.keySet())
        .as("the mutations reach several checks: %s", seen)
        .contains(
            SnapshotFormatException.Problem.CHECKSUM,
            SnapshotFormatException.Problem.TRUNCATED,
            SnapshotFormatException.Problem.MAGIC);
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = original.clone();
    int kind = random.nextInt(7);
    switch (kind) {
      case 0 -> {
        int at = random.nextInt(bytes.length);
        bytes[at] ^= (byte) (1 << random.nextInt(8));
      }
      case 1 -> {
        for (int n = 1 + random.nextInt(8); n > 0; n--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      case 2 -> {
        return Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      case 3 -> {
        int at = random.nextInt(bytes.length);
        byte[] longer = new byte[bytes.length + 1 + random.nextInt(64)];
        System.arraycopy(bytes, 0, longer, 0, at);
        System.arraycopy(bytes, at, longer, longer.length - (bytes.length - at), bytes.length - at);
        return longer;
      }
      case 4 -> {
        int at = random.nextInt(bytes.length - 64);
        int cut = 1 + random.nextInt(64);
        byte[] shorter = new byte[bytes.length - cut];
        System.arraycopy(bytes, 0, shorter, 0, at);
        System.arraycopy(bytes, at + cut, shorter, at, bytes.length - at - cut);
        return shorter;
      }
      case 5 -> {
        // A header field (first 320 bytes) set to an extreme value, digest left stale or fixed.
        int at = random.nextInt(SnapshotFileFormat.headerSize(4) - 40) & ~3;
        long extreme = new long[] {0, -1, Long.MAX_VALUE, Integer.MAX_VALUE, 4096}[random.nextInt(5)];
        for (int b = 0; b < 8 && at + b < bytes.length; b++) {
          bytes[at + b] = (byte) (extreme >>> (8 * b));
        }
        if (random.nextBoolean()) {
          TestSnapshots.resealHeader(bytes);
        }
      }
      default -> {
        // A section byte changed with the header re-sealed: only the section digest can tell.
        int at = SnapshotFileFormat.headerSize(4) + random.nextInt(bytes.length - SnapshotFileFormat.headerSize(4));
        bytes[at] ^= (byte) (1 + random.nextInt(255));
        TestSnapshots.resealHeader(bytes);
      }
    }
    return bytes;
  }
}
