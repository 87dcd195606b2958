package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotOperationsTest {

  @Test
  void theSevenFloorRowsRunTheFloorScenarioOfTheirNameAgainstAJmhBenchmark() {
    List<Operation> floored =
        SnapshotOperations.all().stream().filter(op -> op.floorScenario() != null).toList();
    assertThat(floored)
        .extracting(Operation::name)
        .containsExactly(
            "snapshot", "restore-1", "restore-16", "restore-256", "create-from-snapshot", "save",
            "load");
    for (Operation op : floored) {
      assertThat(op.floorScenario()).isEqualTo(op.name());
      assertThat(op.group()).isEqualTo("kvm");
      assertThat(op.jmhBenchmark()).isNotNull();
      assertThat(op.referenceBenchmark()).isNull();
    }
  }

  @Test
  void theTwoPeerRowsCompareTwoJmhBenchmarksWithoutAFloor() {
    List<Operation> peers =
        SnapshotOperations.all().stream().filter(op -> op.group().equals("peer")).toList();
    assertThat(peers)
        .extracting(Operation::name)
        .containsExactly("from-snapshot-vs-evolve", "pool-round-trip");
    for (Operation op : peers) {
      assertThat(op.floorScenario()).isNull();
      assertThat(op.jmhBenchmark()).isNotNull().isNotEqualTo(op.referenceBenchmark());
      assertThat(op.referenceBenchmark()).isNotNull();
    }
  }

  @Test
  void theCatalogueContainsTheSnapshotRows() {
    assertThat(Operation.all()).containsAll(SnapshotOperations.all());
  }
}
