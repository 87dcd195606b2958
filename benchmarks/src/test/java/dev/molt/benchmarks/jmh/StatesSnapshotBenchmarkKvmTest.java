package dev.molt.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Each states snapshot benchmark runs on KVM and returns what it checks. */
@RequiresKvm
class StatesSnapshotBenchmarkKvmTest {
  private final StatesSnapshotBenchmark benchmark = new StatesSnapshotBenchmark();

  @Test
  void createAndEvolveAndFromSnapshotBothGiveTheNoopFunction() throws Exception {
    assertThat(benchmark.createAndEvolve()).isEqualTo(1);
    StatesSnapshotBenchmark.Evolved state = new StatesSnapshotBenchmark.Evolved();
    state.takeSnapshot();
    assertThat(benchmark.fromSnapshot(state)).isEqualTo(1);
  }

  @Test
  void poolRoundTripAndCallAndRestoreRunRepeatedly() throws Exception {
    StatesSnapshotBenchmark.Pool pool = new StatesSnapshotBenchmark.Pool();
    StatesSnapshotBenchmark.Live live = new StatesSnapshotBenchmark.Live();
    try {
      pool.open();
      live.open();
      for (int i = 0; i < 3; i++) {
        benchmark.poolRoundTrip(pool);
        benchmark.callAndRestore(live);
      }
      assertThat(pool.pool().idleCount()).isEqualTo(1);
    } finally {
      pool.close();
      live.close();
    }
  }

  @Test
  void saveRewritesTheFileAndLoadReadsItBack() throws Exception {
    StatesSnapshotBenchmark.SavedFile file = new StatesSnapshotBenchmark.SavedFile();
    file.saveOnce();
    try {
      long size = Files.size(file.file());
      benchmark.save(file);
      assertThat(Files.size(file.file())).isEqualTo(size).isGreaterThan(16L << 20);
      assertThat(benchmark.load(file)).isEqualTo(file.snapshot().generation());
    } finally {
      file.delete();
    }
  }
}
