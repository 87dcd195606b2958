package dev.molt.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

  private static final BenchmarkReport REPORT =
      Reports.report(
          List.of(
              Reports.twoSided("io-exit-round-trip", 27_500, 25_000),
              Reports.javaOnly("summary|1001")));

  @Test
  void rendersOneTableRowPerOperation() {
    List<String> rows =
        MarkdownTable.render(REPORT).lines().filter(l -> l.startsWith("| ")).toList();
    assertThat(rows).hasSize(3); // header + 2 operations
  }

  @Test
  void showsMediansInReadableUnitsAndTheRatio() {
    assertThat(MarkdownTable.render(REPORT))
        .contains("| io-exit-round-trip | 27.5 µs | 25.0 µs | 1.10× | 27.5 µs – 27.5 µs |");
  }

  @Test
  void showsADashForAMissingSide() {
    assertThat(MarkdownTable.render(REPORT)).contains("| 4.5 µs | — | — |");
  }

  @Test
  void escapesPipesInCells() {
    assertThat(MarkdownTable.render(REPORT)).contains("| summary\\|1001 |");
  }

  @Test
  void namesTheMachineAndTheCommand() {
    assertThat(MarkdownTable.render(REPORT))
        .contains("- command: `benchmarks/run --quick`")
        .contains("AMD EPYC, 2 cores, 23.5 GiB, kernel 6.18.44-fc-v657, KVM: pvm");
  }
}
