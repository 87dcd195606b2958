package dev.molt.benchmarks.report;

import org.checkerframework.checker.nullness.qual.Nullable;

/** Renders a {@link BenchmarkReport} as a Markdown document with one table row per operation. */
public final class MarkdownTable {
  private MarkdownTable() {}

  /**
   * The report as Markdown: a header naming date, command, rounds and machine, then the table.
   * Missing sides show as an em dash.
   *
   * @param report the report
   * @return the Markdown text, ending with a newline
   */
  public static String render(BenchmarkReport report) {
    StringBuilder out = new StringBuilder();
    out.append("# Molt benchmark results\n\n");
    out.append("- date: ").append(report.date()).append('\n');
    out.append("- command: `").append(report.command()).append("`\n");
    out.append("- rounds: ").append(report.rounds()).append(report.quick() ? " (quick)" : "")
        .append('\n');
    out.append("- machine: ").append(cell(report.machine().oneLine())).append('\n');
    out.append("- KVM evidence: ").append(cell(report.machine().kvmEvidence())).append("\n\n");
    out.append("ratio = Java median / floor median (1.00 = as fast as the C floor; target ≤ 1.20).")
        .append("\n\n");
    out.append("| operation | Java median | floor median | ratio | Java min–max | floor min–max "
        + "| rounds | unit | note |\n");
    out.append("|---|---:|---:|---:|---|---|---:|---|---|\n");
    for (ResultRow row : report.rows()) {
      Summary java = row.java();
      Summary floor = row.floor();
      Double ratio = row.ratio();
      out.append("| ").append(cell(row.operation()))
          .append(" | ").append(median(java, row.unit()))
          .append(" | ").append(median(floor, row.unit()))
          .append(" | ").append(ratio == null ? "—" : Units.ratio(ratio))
          .append(" | ").append(range(java, row.unit()))
          .append(" | ").append(range(floor, row.unit()))
          .append(" | ").append(row.rounds())
          .append(" | ").append(cell(row.unit()))
          .append(" | ").append(cell(row.note()))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String median(@Nullable Summary s, String unit) {
    return s == null ? "—" : Units.human(s.median(), unit);
  }

  private static String range(@Nullable Summary s, String unit) {
    return s == null ? "—" : Units.human(s.min(), unit) + " – " + Units.human(s.max(), unit);
  }

  /** Table cells must not break the row: escape pipes, flatten line breaks. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
  }
}
