package dev.molt.benchmarks.report;

import java.util.Locale;

/**
 * Renders the ratios of a {@link BenchmarkReport} as a self-contained SVG bar chart: one
 * horizontal bar per row that has a ratio (Java median / floor median), labelled with the
 * operation and the ratio, with reference lines at 1.0 (the floor) and at the 1.2 target. Rows
 * without a ratio are listed with the side they lack.
 */
public final class RatioChart {
  /** The target ratio drawn as a reference line. */
  public static final double TARGET = 1.2;

  private static final int WIDTH = 860;
  private static final int LABEL_WIDTH = 230;
  private static final int VALUE_WIDTH = 70;
  private static final int ROW_HEIGHT = 26;
  private static final int TOP = 64;
  private static final int BAR_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;

  private RatioChart() {}

  /**
   * The chart as SVG text.
   *
   * @param report the report
   * @return a complete SVG document
   */
  public static String render(BenchmarkReport report) {
    double scale = TARGET * 1.25;
    for (ResultRow row : report.rows()) {
      Double r = row.ratio();
      if (r != null) {
        scale = Math.max(scale, r * 1.1);
      }
    }
    int height = TOP + ROW_HEIGHT * Math.max(1, report.rows().size()) + 40;
    StringBuilder svg = new StringBuilder();
    svg.append(
        fmt(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n",
            WIDTH, height, WIDTH, height));
    svg.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    svg.append(fmt(
        "<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
        escape("Molt / native floor (median ratio, lower is better)")));
    svg.append(fmt("<text x=\"10\" y=\"42\" font-size=\"11\" fill=\"#555\">%s</text>%n",
        escape(report.date() + " · " + report.rounds() + " rounds · "
            + report.machine().oneLine())));
    double chartBottom = TOP + ROW_HEIGHT * Math.max(1, report.rows().size());
    referenceLine(svg, 1.0, scale, chartBottom, "#333", "floor 1.0", "end");
    referenceLine(svg, TARGET, scale, chartBottom, "#c60", "target " + TARGET, "start");
    int i = 0;
    for (ResultRow row : report.rows()) {
      double y = TOP + ROW_HEIGHT * i;
      svg.append(fmt(
          "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          LABEL_WIDTH - 8, y + ROW_HEIGHT * 0.65, escape(row.operation())));
      Double ratio = row.ratio();
      if (ratio != null) {
        double w = Math.max(1, BAR_WIDTH * ratio / scale);
        String colour = ratio <= TARGET ? "#2a8a3e" : "#c0392b";
        svg.append(fmt(
            "<rect class=\"bar\" data-operation=\"%s\" x=\"%d\" y=\"%.1f\" width=\"%.1f\""
                + " height=\"%d\" fill=\"%s\"/>%n",
            escape(row.operation()), LABEL_WIDTH, y + 4, w, ROW_HEIGHT - 8, colour));
        svg.append(fmt(
            "<text class=\"value\" x=\"%.1f\" y=\"%.1f\">%s</text>%n",
            LABEL_WIDTH + w + 6, y + ROW_HEIGHT * 0.65, escape(Units.ratio(ratio))));
      } else {
        String missing = row.floor() == null ? "no floor (Java only)" : "Java side not measured";
        svg.append(fmt(
            "<text class=\"missing\" x=\"%d\" y=\"%.1f\" fill=\"#777\" font-style=\"italic\">"
                + "%s</text>%n",
            LABEL_WIDTH + 6, y + ROW_HEIGHT * 0.65, escape(missing)));
      }
      i++;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void referenceLine(
      StringBuilder svg, double at, double scale, double bottom, String colour, String label,
      String anchor) {
    double x = LABEL_WIDTH + BAR_WIDTH * at / scale;
    svg.append(fmt(
        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
            + " stroke-dasharray=\"4 3\"/>%n",
        x, TOP - 8, x, bottom, colour));
    svg.append(fmt(
        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\" text-anchor=\"%s\">%s</text>%n",
        x, bottom + 16, colour, anchor, escape(label)));
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Escapes text for XML content and attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
