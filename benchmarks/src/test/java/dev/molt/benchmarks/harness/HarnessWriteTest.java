package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.benchmarks.report.BenchmarkReport;
import dev.molt.benchmarks.report.Machine;
import dev.molt.benchmarks.report.ResultRow;
import dev.molt.benchmarks.report.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessWriteTest {

  private static final BenchmarkReport REPORT =
      new BenchmarkReport(
          Instant.parse("2026-11-22T05:00:00Z"),
          "benchmarks/run --quick",
          true,
          1,
          new Machine("CPU", 2, 1024, "6.1", "pvm", "test", "25"),
          List.of(
              ResultRow.fromRounds(
                  "api-version", "d", "kvm", "ns", List.of(new Summary(300, 280, 400, 10)), "JMH x",
                  List.of(new Summary(160, 150, 170, 10)), "floor api-version", "")));

  @Test
  void writesJsonMarkdownAndSvgIntoANewDirectory(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("results");
    Path json = Harness.write(REPORT, dir);
    assertThat(json).isEqualTo(dir.resolve("latest.json"));
    assertThat(BenchmarkReport.fromJson(Files.readString(json))).isEqualTo(REPORT);
    assertThat(Files.readString(dir.resolve("latest.md"))).contains("| api-version | 300 ns |");
    assertThat(Files.readString(dir.resolve("latest.svg")))
        .contains("<rect class=\"bar\" data-operation=\"api-version\"");
  }
}
