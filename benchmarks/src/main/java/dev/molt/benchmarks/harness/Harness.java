package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.report.BenchmarkReport;
import dev.molt.benchmarks.report.MarkdownTable;
import dev.molt.benchmarks.report.RatioChart;
import dev.molt.benchmarks.report.ResultRow;
import dev.molt.benchmarks.report.Summary;
import dev.molt.benchmarks.scenario.ScenarioDriver;
import dev.molt.benchmarks.scenario.ScenarioDrivers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark harness's entry point ({@code benchmarks/run}): runs every operation's native
 * floor and Java benchmark interleaved (A B A B ...) for several rounds, then writes
 * {@code latest.json}, {@code latest.md} and {@code latest.svg} into the output directory.
 */
public final class Harness {
  private static final Logger LOG = LoggerFactory.getLogger(Harness.class);

  private Harness() {}

  /**
   * Runs the harness; see {@code benchmarks/README.md} for the options.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    HarnessOptions options;
    try {
      if (List.of(args).contains("--help")) {
        System.out.print(HarnessOptions.USAGE);
        return;
      }
      options = HarnessOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("benchmarks: " + e.getMessage());
      System.err.print(HarnessOptions.USAGE);
      System.exit(64);
      return;
    }
    try {
      Path render = options.render();
      if (render != null) {
        BenchmarkReport report =
            BenchmarkReport.fromJson(Files.readString(render, StandardCharsets.UTF_8));
        Path dir = render.toAbsolutePath().getParent();
        writeRenderings(report, dir == null ? Path.of(".") : dir);
        return;
      }
      BenchmarkReport report = run(options);
      Path json = write(report, options.outDir());
      System.out.println(MarkdownTable.render(report));
      System.out.println("wrote " + json + " (+ latest.md, latest.svg)");
    } catch (BenchmarkFailedException | IllegalArgumentException e) {
      System.err.println("benchmarks: " + e.getMessage());
      System.exit(1);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("benchmarks: cannot read or write results: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs all selected operations, interleaved round by round. */
  static BenchmarkReport run(HarnessOptions options) {
    NativeFloor floor = new NativeFloor(options.floorBinary());
    JmhRunner jmh = new JmhRunner(options);
    JavaLoopRunner loop = new JavaLoopRunner();
    Optional<ScenarioDriver> driver = ScenarioDrivers.find();
    List<Operation> selected = select(options);
    Map<String, List<Summary>> javaRounds = new LinkedHashMap<>();
    Map<String, List<Summary>> floorRounds = new LinkedHashMap<>();
    Map<String, String> checks = new LinkedHashMap<>();
    Map<String, List<String>> floorInputs = new LinkedHashMap<>();
    for (Operation op : selected) {
      javaRounds.put(op.name(), new ArrayList<>());
      floorRounds.put(op.name(), new ArrayList<>());
      floorInputs.put(op.name(), StatesFloorInputs.write(op, options.floorBinary()));
    }
    for (int round = 1; round <= options.rounds(); round++) {
      for (Operation op : selected) {
        String scenario = op.floorScenario();
        if (scenario != null) {
          FloorOutput out =
              floor.run(scenario, options.floorOps(), options.floorWarmup(), inputs(floorInputs, op));
          rounds(floorRounds, op).add(out.summary());
          checks.put(op.name(), out.check());
          LOG.info("round {}/{} floor {}: median {} ns", round, options.rounds(), op.name(),
              out.summary().median());
        }
        String reference = op.referenceBenchmark();
        if (reference != null) {
          Summary s = jmh.run(reference, op.jmhWarmupIterations(options));
          rounds(floorRounds, op).add(s);
          LOG.info("round {}/{} ref   {}: median {} ns", round, options.rounds(), op.name(),
              s.median());
        }
        String benchmark = javaBenchmark(op, driver);
        String loopScenario = op.javaLoop();
        if (benchmark != null) {
          Summary s = jmh.run(benchmark, op.jmhWarmupIterations(options));
          rounds(javaRounds, op).add(s);
          LOG.info("round {}/{} java  {}: median {} ns", round, options.rounds(), op.name(),
              s.median());
        } else if (loopScenario != null && (!op.needsDriver() || driver.isPresent())) {
          Summary s =
              loop.run(loopScenario, options.floorOps(), options.floorWarmup()).summary();
          rounds(javaRounds, op).add(s);
          LOG.info("round {}/{} java  {}: median {} ns", round, options.rounds(), op.name(),
              s.median());
        }
      }
    }
    List<ResultRow> rows = new ArrayList<>();
    for (Operation op : selected) {
      String benchmark = javaBenchmark(op, driver);
      String scenario = op.floorScenario();
      String loopScenario = op.javaLoop();
      String javaSource = null;
      if (benchmark != null) {
        javaSource = "JMH " + benchmark + driverName(op, driver);
      } else if (loopScenario != null && (!op.needsDriver() || driver.isPresent())) {
        javaSource =
            String.join(" ", JavaLoopRunner.describe(loopScenario, options.floorOps(),
                options.floorWarmup())) + driverName(op, driver);
      }
      rows.add(
          ResultRow.fromRounds(
              op.name(),
              op.description(),
              op.group(),
              op.unit(),
              rounds(javaRounds, op),
              javaSource,
              rounds(floorRounds, op),
              scenario == null
                  ? referenceSource(op)
                  : floorSource(floor, scenario, options, inputs(floorInputs, op)),
              note(op, javaSource, checks.get(op.name()))));
    }
    return new BenchmarkReport(
        Instant.now(), options.command(), options.quick(), options.rounds(),
        new MachineProbe().probe(), rows);
  }

  private static List<Operation> select(HarnessOptions options) {
    List<Operation> all = Operation.all();
    if (options.only().isEmpty()) {
      return all;
    }
    List<String> names = all.stream().map(Operation::name).toList();
    for (String wanted : options.only()) {
      if (!names.contains(wanted)) {
        throw new IllegalArgumentException(
            "--only names unknown operation '" + wanted + "'; known: " + names);
      }
    }
    return all.stream().filter(op -> options.only().contains(op.name())).toList();
  }

  /** The floor's command line as the report shows it: {@code floor ...}, inputs under target/. */
  private static String floorSource(
      NativeFloor floor, String scenario, HarnessOptions options, List<String> inputs) {
    String command =
        String.join(" ", floor.command(scenario, options.floorOps(), options.floorWarmup(), inputs))
            .replace(floor.binary().toString(), "floor");
    Path dir = floor.binary().toAbsolutePath().getParent();
    return dir == null ? command : command.replace(dir + "/", "target/");
  }

  private static List<String> inputs(Map<String, List<String>> byOperation, Operation op) {
    List<String> list = byOperation.get(op.name());
    return list == null ? List.of() : list;
  }

  private static List<Summary> rounds(Map<String, List<Summary>> byOperation, Operation op) {
    List<Summary> list = byOperation.get(op.name());
    if (list == null) {
      throw new IllegalStateException("no round list for " + op.name());
    }
    return list;
  }

  /** The JMH benchmark to run for {@code op}, or null when its Java side cannot run yet. */
  private static @Nullable String javaBenchmark(Operation op, Optional<ScenarioDriver> driver) {
    if (op.needsDriver() && driver.isEmpty()) {
      return null;
    }
    return op.jmhBenchmark();
  }

  /** A Java-against-Java row's reference side, in the floor's columns. */
  private static @Nullable String referenceSource(Operation op) {
    String reference = op.referenceBenchmark();
    return reference == null ? null : "JMH " + reference + " (Java reference, not a C floor)";
  }

  private static String driverName(Operation op, Optional<ScenarioDriver> driver) {
    return op.needsDriver() && driver.isPresent() ? " (driver " + driver.get().name() + ")" : "";
  }

  private static String note(Operation op, @Nullable String javaSource, @Nullable String check) {
    List<String> parts = new ArrayList<>();
    if (check != null) {
      parts.add("floor verifies: " + check);
    }
    if (javaSource == null && (op.jmhBenchmark() != null || op.javaLoop() != null)) {
      parts.add("Java side not measured yet: it needs a ScenarioDriver over Molt's vmm");
    }
    return String.join("; ", parts);
  }

  /** Writes {@code latest.json}, then renders Markdown and SVG from the file just written. */
  static Path write(BenchmarkReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve("latest.json");
    Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
    BenchmarkReport reread = BenchmarkReport.fromJson(Files.readString(json));
    writeRenderings(reread, dir);
    return json;
  }

  private static void writeRenderings(BenchmarkReport report, Path dir) throws IOException {
    Files.writeString(dir.resolve("latest.md"), MarkdownTable.render(report),
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("latest.svg"), RatioChart.render(report),
        StandardCharsets.UTF_8);
  }
}
