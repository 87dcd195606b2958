package dev.molt.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RatioChartTest {

  private static final BenchmarkReport REPORT =
      Reports.report(
          List.of(
              Reports.twoSided("io-exit-round-trip", 27_500, 25_000),
              Reports.twoSided("fault-round-trip", 70_000, 35_000),
              Reports.javaOnly("summary-1001"),
              Reports.floorOnly("kill-to-eintr")));

  @Test
  void drawsOneBarPerRowWithARatio() {
    assertThat(bars(RatioChart.render(REPORT)))
        .containsExactly("io-exit-round-trip", "fault-round-trip");
  }

  @Test
  void labelsEveryRowWithItsOperation() {
    assertThat(texts(RatioChart.render(REPORT), "label"))
        .containsExactly(
            "io-exit-round-trip", "fault-round-trip", "summary-1001", "kill-to-eintr");
  }

  @Test
  void writesEachRatioNextToItsBar() {
    assertThat(texts(RatioChart.render(REPORT), "value")).containsExactly("1.10×", "2.00×");
  }

  @Test
  void saysWhichSideAOneSidedRowLacks() {
    assertThat(texts(RatioChart.render(REPORT), "missing"))
        .containsExactly("no floor (Java only)", "Java side not measured");
  }

  @Test
  void barsWithinTheTargetAreGreenAndOthersRed() {
    String svg = RatioChart.render(REPORT);
    assertThat(svg).containsPattern("data-operation=\"io-exit-round-trip\"[^>]*fill=\"#2a8a3e\"");
    assertThat(svg).containsPattern("data-operation=\"fault-round-trip\"[^>]*fill=\"#c0392b\"");
  }

  @Test
  void aLongerBarMeansALargerRatio() {
    String svg = RatioChart.render(REPORT);
    assertThat(width(svg, "fault-round-trip")).isGreaterThan(width(svg, "io-exit-round-trip"));
  }

  @Test
  void operationNamesAreXmlEscaped() {
    String svg = RatioChart.render(Reports.report(List.of(Reports.twoSided("a<b&c", 2, 1))));
    assertThat(svg).contains(">a&lt;b&amp;c</text>").doesNotContain("a<b&c");
  }

  @Test
  void isACompleteSvgDocument() {
    String svg = RatioChart.render(REPORT);
    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
  }

  private static List<String> bars(String svg) {
    return all(svg, "<rect class=\"bar\" data-operation=\"([^\"]*)\"");
  }

  private static List<String> texts(String svg, String cssClass) {
    return all(svg, "<text class=\"" + cssClass + "\"[^>]*>([^<]*)</text>");
  }

  private static double width(String svg, String operation) {
    Matcher m =
        Pattern.compile("data-operation=\"" + operation + "\"[^>]*width=\"([0-9.]+)\"")
            .matcher(svg);
    assertThat(m.find()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static List<String> all(String text, String regex) {
    return Pattern.compile(regex).matcher(text).results().map(r -> r.group(1)).toList();
  }
}
