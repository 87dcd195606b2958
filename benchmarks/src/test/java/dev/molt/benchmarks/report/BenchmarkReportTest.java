package dev.molt.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

  private static final BenchmarkReport REPORT =
      Reports.report(
          List.of(
              Reports.twoSided("io-exit-round-trip", 27_500, 25_000),
              Reports.javaOnly("summary-1001"),
              Reports.floorOnly("kill-to-eintr")));

  @Test
  void jsonReadsBackToAnEqualReport() {
    assertThat(BenchmarkReport.fromJson(REPORT.toJson())).isEqualTo(REPORT);
  }

  @Test
  void jsonCarriesTheRatioOfTwoSidedRows() {
    Json.Obj row = row(0);
    assertThat(row.number("ratio")).isEqualTo(1.1);
    assertThat(row.number("javaMedian")).isEqualTo(27_500);
    assertThat(row.number("floorMedian")).isEqualTo(25_000);
  }

  @Test
  void rowsWithoutAFloorHaveNullFloorFieldsAndNoRatio() {
    Json.Obj row = row(1);
    assertThat(row.get("floorMedian")).isEqualTo(new Json.Null());
    assertThat(row.get("floorMin")).isEqualTo(new Json.Null());
    assertThat(row.get("floorMax")).isEqualTo(new Json.Null());
    assertThat(row.get("floorSource")).isEqualTo(new Json.Null());
    assertThat(row.get("ratio")).isEqualTo(new Json.Null());
    assertThat(row.number("javaMedian")).isEqualTo(4500);
  }

  @Test
  void jsonDescribesTheMachine() {
    Json.Obj root = (Json.Obj) Json.parse(REPORT.toJson());
    Json.Obj machine = (Json.Obj) root.get("machine");
    assertThat(machine.string("kvm")).isEqualTo("pvm");
    assertThat(machine.number("cores")).isEqualTo(2);
    assertThat(root.string("schema")).isEqualTo(BenchmarkReport.SCHEMA);
    assertThat(root.string("date")).isEqualTo("2026-11-22T05:00:00Z");
  }

  @Test
  void anotherSchemaIsRejected() {
    String other = REPORT.toJson().replace(BenchmarkReport.SCHEMA, "molt-benchmarks/0");
    assertThatThrownBy(() -> BenchmarkReport.fromJson(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported report schema 'molt-benchmarks/0'");
  }

  @Test
  void aHalfPresentSideIsRejected() {
    String broken = REPORT.toJson().replaceFirst("\"floorMin\": 24999", "\"floorMin\": null");
    assertThatThrownBy(() -> BenchmarkReport.fromJson(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("floor figures must be all present or all null");
  }

  @Test
  void aMissingFieldIsNamed() {
    String broken = REPORT.toJson().replace("\"rounds\": 1,\n  \"machine\"", "\"machine\"");
    assertThatThrownBy(() -> BenchmarkReport.fromJson(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no member 'rounds'");
  }

  @Test
  void aBadDateIsRejected() {
    String broken = REPORT.toJson().replace("2026-11-22T05:00:00Z", "yesterday");
    assertThatThrownBy(() -> BenchmarkReport.fromJson(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void duplicateOperationsAreRejected() {
    assertThatThrownBy(() -> Reports.report(
            List.of(Reports.javaOnly("x"), Reports.floorOnly("x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("operation 'x' appears twice");
  }

  @Test
  void aRowWithNeitherSideIsRejected() {
    assertThatThrownBy(() -> ResultRow.fromRounds(
            "x", "d", "kvm", "ns", List.of(), null, List.of(), null, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither Java nor floor figures");
  }

  private static Json.Obj row(int index) {
    Json.Obj root = (Json.Obj) Json.parse(REPORT.toJson());
    return (Json.Obj) ((Json.Arr) root.get("rows")).items().get(index);
  }
}
