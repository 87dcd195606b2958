package dev.molt.benchmarks.report;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A complete benchmark run: when, how, on what, and one {@link ResultRow} per operation. This is
 * the content of {@code benchmarks/results/latest.json}; {@link #toJson()} and
 * {@link #fromJson(String)} define that file's schema ({@value #SCHEMA}).
 *
 * @param date when the run finished
 * @param command the command line that produced the run
 * @param quick whether the run used {@code --quick} settings
 * @param rounds how many interleaved Java/floor rounds were run
 * @param machine the machine the figures come from
 * @param rows one row per operation, in report order
 */
public record BenchmarkReport(
    Instant date, String command, boolean quick, int rounds, Machine machine, List<ResultRow> rows) {

  /** The schema identifier written into every report. */
  public static final String SCHEMA = "molt-benchmarks/1";

  /**
   * Checks the report.
   *
   * @throws NullPointerException if a component or row is null
   * @throws IllegalArgumentException if {@code rounds < 1} or two rows share an operation name
   */
  public BenchmarkReport {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(machine, "machine");
    rows = List.copyOf(rows);
    if (rounds < 1) {
      throw new IllegalArgumentException("a report needs at least one round, got " + rounds);
    }
    List<String> seen = new ArrayList<>();
    for (ResultRow row : rows) {
      if (seen.contains(row.operation())) {
        throw new IllegalArgumentException("operation '" + row.operation() + "' appears twice");
      }
      seen.add(row.operation());
    }
  }

  /**
   * The report as pretty-printed JSON.
   *
   * @return the JSON text, ending with a newline
   */
  public String toJson() {
    List<Json> rowValues = new ArrayList<>();
    for (ResultRow row : rows) {
      rowValues.add(rowJson(row));
    }
    Json.Obj root =
        Json.object()
            .put("schema", SCHEMA)
            .put("date", date.toString())
            .put("command", command)
            .put("quick", quick)
            .put("rounds", rounds)
            .put("machine", machineJson(machine))
            .put("rows", new Json.Arr(rowValues))
            .build();
    return root.write(true) + "\n";
  }

  /**
   * Reads a report written by {@link #toJson()}.
   *
   * @param text the JSON text
   * @return the report
   * @throws IllegalArgumentException if the text is not JSON, has another schema, or misses or
   *     mistypes a field
   */
  public static BenchmarkReport fromJson(String text) {
    if (!(Json.parse(text) instanceof Json.Obj root)) {
      throw new IllegalArgumentException("a benchmark report must be a JSON object");
    }
    String schema = root.string("schema");
    if (!schema.equals(SCHEMA)) {
      throw new IllegalArgumentException(
          "unsupported report schema '" + schema + "', expected '" + SCHEMA + "'");
    }
    Instant date;
    try {
      date = Instant.parse(root.string("date"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("report date is not an ISO-8601 instant", e);
    }
    List<ResultRow> rows = new ArrayList<>();
    if (!(root.get("rows") instanceof Json.Arr(List<Json> items))) {
      throw new IllegalArgumentException("report member 'rows' is not an array");
    }
    for (Json item : items) {
      if (!(item instanceof Json.Obj row)) {
        throw new IllegalArgumentException("every report row must be a JSON object");
      }
      rows.add(readRow(row));
    }
    if (!(root.get("machine") instanceof Json.Obj machine)) {
      throw new IllegalArgumentException("report member 'machine' is not an object");
    }
    return new BenchmarkReport(
        date,
        root.string("command"),
        root.bool("quick"),
        integer(root, "rounds"),
        readMachine(machine),
        rows);
  }

  private static Json machineJson(Machine m) {
    return Json.object()
        .put("cpuModel", m.cpuModel())
        .put("cores", m.cores())
        .put("memoryBytes", (double) m.memoryBytes())
        .put("kernel", m.kernel())
        .put("kvm", m.kvm())
        .put("kvmEvidence", m.kvmEvidence())
        .put("java", m.java())
        .build();
  }

  private static Machine readMachine(Json.Obj m) {
    return new Machine(
        m.string("cpuModel"),
        integer(m, "cores"),
        (long) m.number("memoryBytes"),
        m.string("kernel"),
        m.string("kvm"),
        m.string("kvmEvidence"),
        m.string("java"));
  }

  private static Json rowJson(ResultRow row) {
    Json.ObjBuilder b =
        Json.object()
            .put("operation", row.operation())
            .put("description", row.description())
            .put("group", row.group())
            .put("unit", row.unit())
            .put("rounds", row.rounds());
    side(b, "java", row.java(), row.javaRoundMedians(), row.javaSource());
    side(b, "floor", row.floor(), row.floorRoundMedians(), row.floorSource());
    return b.put("ratio", Json.ofNullable(row.ratio())).put("note", row.note()).build();
  }

  private static void side(
      Json.ObjBuilder b,
      String prefix,
      @Nullable Summary s,
      List<Double> roundMedians,
      @Nullable String source) {
    b.put(prefix + "Median", Json.ofNullable(s == null ? null : s.median()))
        .put(prefix + "Min", Json.ofNullable(s == null ? null : s.min()))
        .put(prefix + "Max", Json.ofNullable(s == null ? null : s.max()))
        .put(prefix + "Samples", Json.ofNullable(s == null ? null : (double) s.samples()))
        .putNumbers(prefix + "RoundMedians", roundMedians)
        .put(prefix + "Source", Json.ofNullable(source));
  }

  private static ResultRow readRow(Json.Obj row) {
    return new ResultRow(
        row.string("operation"),
        row.string("description"),
        row.string("group"),
        row.string("unit"),
        integer(row, "rounds"),
        readSide(row, "java"),
        numbers(row, "javaRoundMedians"),
        stringOrNull(row, "javaSource"),
        readSide(row, "floor"),
        numbers(row, "floorRoundMedians"),
        stringOrNull(row, "floorSource"),
        row.string("note"));
  }

  private static @Nullable Summary readSide(Json.Obj row, String prefix) {
    Double median = row.numberOrNull(prefix + "Median");
    Double min = row.numberOrNull(prefix + "Min");
    Double max = row.numberOrNull(prefix + "Max");
    Double samples = row.numberOrNull(prefix + "Samples");
    if (median == null && min == null && max == null && samples == null) {
      return null;
    }
    if (median == null || min == null || max == null || samples == null) {
      throw new IllegalArgumentException(
          "row '" + row.string("operation") + "': the " + prefix
              + " figures must be all present or all null");
    }
    return new Summary(median, min, max, samples.longValue());
  }

  private static List<Double> numbers(Json.Obj obj, String name) {
    if (!(obj.get(name) instanceof Json.Arr(List<Json> items))) {
      throw new IllegalArgumentException("JSON member '" + name + "' is not an array");
    }
    List<Double> out = new ArrayList<>(items.size());
    for (Json item : items) {
      if (!(item instanceof Json.Num(double d))) {
        throw new IllegalArgumentException("JSON member '" + name + "' holds a non-number");
      }
      out.add(d);
    }
    return out;
  }

  private static @Nullable String stringOrNull(Json.Obj obj, String name) {
    return obj.get(name) instanceof Json.Null ? null : obj.string(name);
  }

  private static int integer(Json.Obj obj, String name) {
    double d = obj.number(name);
    if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("JSON member '" + name + "' is not an integer: " + d);
    }
    return (int) d;
  }
}
