package dev.molt.benchmarks.report;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes {@link Json} trees as text. */
final class JsonWriter {
  private JsonWriter() {}

  static void write(Json value, StringBuilder out, boolean pretty, int depth) {
    switch (value) {
      case Json.Null n -> out.append("null");
      case Json.Bool(boolean b) -> out.append(b);
      case Json.Num(double d) -> out.append(number(d));
      case Json.Str(String s) -> string(s, out);
      case Json.Arr(List<Json> items) -> array(items, out, pretty, depth);
      case Json.Obj(Map<String, Json> members) -> object(members, out, pretty, depth);
    }
  }

  /** Integers print without a fraction; other values in the shortest exact form. */
  static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static void array(List<Json> items, StringBuilder out, boolean pretty, int depth) {
    if (items.isEmpty()) {
      out.append("[]");
      return;
    }
    // Arrays of scalars stay on one line: they are short (round medians) and easier to read.
    boolean scalars = items.stream().noneMatch(i -> i instanceof Json.Arr || i instanceof Json.Obj);
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(pretty && scalars ? ", " : ",");
      }
      if (pretty && !scalars) {
        newline(out, depth + 1);
      }
      write(items.get(i), out, pretty, depth + 1);
    }
    if (pretty && !scalars) {
      newline(out, depth);
    }
    out.append(']');
  }

  private static void object(
      Map<String, Json> members, StringBuilder out, boolean pretty, int depth) {
    if (members.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    Iterator<Map.Entry<String, Json>> it = members.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Json> e = it.next();
      if (pretty) {
        newline(out, depth + 1);
      }
      string(e.getKey(), out);
      out.append(pretty ? ": " : ":");
      write(e.getValue(), out, pretty, depth + 1);
      if (it.hasNext()) {
        out.append(',');
      }
    }
    if (pretty) {
      newline(out, depth);
    }
    out.append('}');
  }

  private static void newline(StringBuilder out, int depth) {
    out.append('\n');
    out.append("  ".repeat(depth));
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
