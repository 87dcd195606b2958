package dev.molt.benchmarks.report;

import java.util.Locale;

/** Formats values for people: nanoseconds as ns/µs/ms, bytes as B/KiB/MiB/GiB. */
final class Units {
  private Units() {}

  static String human(double value, String unit) {
    return switch (unit) {
      case "ns" -> time(value);
      case "bytes" -> bytes(value);
      default -> String.format(Locale.ROOT, "%.3g %s", value, unit);
    };
  }

  private static String time(double ns) {
    if (Math.abs(ns) < 1_000) {
      return String.format(Locale.ROOT, "%.0f ns", ns);
    }
    if (Math.abs(ns) < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", ns / 1_000);
    }
    if (Math.abs(ns) < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.2f ms", ns / 1_000_000);
    }
    return String.format(Locale.ROOT, "%.2f s", ns / 1_000_000_000);
  }

  private static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    double v = b;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i == 0
        ? String.format(Locale.ROOT, "%.0f B", v)
        : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f×", r);
  }
}
