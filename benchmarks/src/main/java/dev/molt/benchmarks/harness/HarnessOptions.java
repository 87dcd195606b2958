package dev.molt.benchmarks.harness;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The harness's settings, from its command line.
 *
 * @param quick whether {@code --quick} was given (fewer rounds, shorter runs; under 5 minutes)
 * @param rounds interleaved rounds (each round runs every floor and every Java benchmark once)
 * @param floorOps measured floor operations per round
 * @param floorWarmup unmeasured floor operations before them
 * @param jmhWarmupIterations JMH warm-up iterations per round
 * @param jmhMeasurementIterations JMH measurement iterations per round
 * @param jmhIterationMillis duration of one JMH iteration
 * @param outDir where {@code latest.json}, {@code latest.md} and {@code latest.svg} go
 * @param floorBinary the native floor executable
 * @param only operations to run (empty: all)
 * @param verbose whether to show JMH's own output
 * @param command the command line to record in the report
 * @param render a report to re-render (Markdown + SVG) instead of running, or null
 */
record HarnessOptions(
    boolean quick,
    int rounds,
    int floorOps,
    int floorWarmup,
    int jmhWarmupIterations,
    int jmhMeasurementIterations,
    int jmhIterationMillis,
    Path outDir,
    Path floorBinary,
    Set<String> only,
    boolean verbose,
    String command,
    @Nullable Path render) {

  static final String USAGE =
      """
      usage: benchmarks/run [--quick] [--rounds N] [--floor-ops N] [--only OP,OP...]
                            [--out DIR] [--floor PATH] [--verbose] [--render REPORT.json]
        --quick        3 rounds, short JMH iterations (finishes in well under 5 minutes)
        --rounds N     interleaved Java/floor rounds (default 5, quick 3)
        --floor-ops N  measured floor operations per round (default 2000, quick 300)
        --only OPS     comma-separated operation names (see benchmarks/README.md)
        --out DIR      output directory (default benchmarks/results)
        --floor PATH   native floor binary (default benchmarks/target/floor)
        --verbose      show JMH's own output
        --render FILE  only re-render FILE (a latest.json) as Markdown and SVG next to it
      """;

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException with a message naming the bad argument
   */
  static HarnessOptions parse(List<String> args) {
    boolean quick = args.contains("--quick");
    Integer rounds = null;
    Integer floorOps = null;
    Path out = Path.of("benchmarks", "results");
    Path floor = Path.of("benchmarks", "target", "floor");
    Set<String> only = new LinkedHashSet<>();
    boolean verbose = false;
    String command = ("benchmarks/run " + String.join(" ", args)).strip();
    Path render = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--quick" -> {}
        case "--verbose" -> verbose = true;
        case "--rounds" -> rounds = positive(arg, value(args, ++i, arg), 1000);
        case "--floor-ops" -> floorOps = positive(arg, value(args, ++i, arg), 10_000_000);
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--floor" -> floor = Path.of(value(args, ++i, arg));
        case "--render" -> render = Path.of(value(args, ++i, arg));
        case "--command" -> command = value(args, ++i, arg);
        case "--only" -> {
          for (String op : value(args, ++i, arg).split(",")) {
            if (op.isBlank()) {
              throw new IllegalArgumentException("--only has an empty operation name");
            }
            only.add(op.strip());
          }
        }
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    int r = rounds != null ? rounds : quick ? 3 : 5;
    int ops = floorOps != null ? floorOps : quick ? 300 : 2000;
    return new HarnessOptions(
        quick, r, ops, Math.max(10, ops / 10), quick ? 2 : 3, quick ? 3 : 5, quick ? 500 : 1000,
        out, floor, Set.copyOf(only), verbose, command, render);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException("option " + option + " needs a value");
    }
    return args.get(i);
  }

  private static int positive(String option, String text, int max) {
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs an integer, got '" + text + "'", e);
    }
    if (v < 1 || v > max) {
      throw new IllegalArgumentException(option + " must be from 1 to " + max + ", got " + v);
    }
    return v;
  }
}
