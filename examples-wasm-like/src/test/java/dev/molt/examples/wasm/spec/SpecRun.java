package dev.molt.examples.wasm.spec;

import com.dylibso.chicory.wabt.Wast2Json;
import dev.molt.api.SandboxException;
import dev.molt.examples.wasm.spec.SpecScriptRunner.ScriptResult;
import dev.molt.examples.wasm.spec.SpecScriptRunner.Transitions;
import dev.molt.examples.wasm.spec.SpecTally.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A run of every {@code .wast} script of a directory through Molt: converted by chicory's
 * pure-Java wast2json, then each run by {@link SpecScriptRunner} in its own sandbox. Renders the
 * per-script and per-kind tables (Markdown) and the list of every failure and skip.
 */
record SpecRun(List<ScriptResult> scripts, SpecTally total, Transitions transitions, long nanos) {

  static SpecRun of(Path wastDir, Path workDir) throws IOException, SandboxException {
    long start = System.nanoTime();
    List<ScriptResult> results = new ArrayList<>();
    SpecTally total = new SpecTally();
    Transitions transitions = new Transitions(0, 0, 0);
    for (Path json : convert(wastDir, workDir)) {
      ScriptResult r = SpecScriptRunner.run(json);
      results.add(r);
      total.add(r.tally());
      transitions = transitions.plus(r.transitions());
    }
    return new SpecRun(List.copyOf(results), total, transitions, System.nanoTime() - start);
  }

  /** Converts every .wast in {@code dir} into {@code out/<name>/<name>.json} (+ its .wasm files). */
  static List<Path> convert(Path dir, Path out) throws IOException {
    List<Path> jsons = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path wast : files.filter(f -> f.toString().endsWith(".wast")).sorted().toList()) {
        String name = wast.getFileName().toString().replace(".wast", "");
        Path json = Files.createDirectories(out.resolve(name)).resolve(name + ".json");
        Wast2Json.builder().withFile(wast.toFile()).withOutput(json.toFile()).build().process();
        jsons.add(json);
      }
    }
    if (jsons.isEmpty()) {
      throw new IllegalArgumentException("no .wast script in " + dir);
    }
    return jsons;
  }

  /** Passed / (passed + failed): the assertions the harness executed. */
  double executedPassRate() {
    int passed = total.total(Verdict.PASSED);
    return (double) passed / (passed + total.total(Verdict.FAILED));
  }

  /** Passed / all commands, skips counted as not passed. */
  double overallPassRate() {
    int passed = total.total(Verdict.PASSED);
    return (double) passed / (passed + total.total(Verdict.FAILED) + total.total(Verdict.SKIPPED));
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append("| script | passed | failed | skipped | evolves | rejected loads | devolves | ms |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    for (ScriptResult r : scripts) {
      row(out, r.script(), r.tally(), r.transitions(), r.nanos());
    }
    row(out, "**total**", total, transitions, nanos);
    out.append("\n| command | passed | failed | skipped |\n|---|---|---|---|\n");
    for (CommandKind k : CommandKind.values()) {
      out.append("| ").append(k.jsonName()).append(" | ").append(total.count(k, Verdict.PASSED)).append(" | ")
          .append(total.count(k, Verdict.FAILED)).append(" | ").append(total.count(k, Verdict.SKIPPED)).append(" |\n");
    }
    int checked = scripts.stream().mapToInt(ScriptResult::messagesChecked).sum();
    int matching = scripts.stream().mapToInt(ScriptResult::messagesMatching).sum();
    out.append(String.format(Locale.ROOT,
        "%nexecuted: %.2f %% passed; all commands (skips as not passed): %.2f %%; trap/rejection messages"
            + " containing the script's text: %d of %d%n",
        100 * executedPassRate(), 100 * overallPassRate(), matching, checked));
    for (SpecTally.Note n : total.notes()) {
      out.append(n).append('\n');
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String name, SpecTally t, Transitions tr, long nanos) {
    out.append("| ").append(name).append(" | ").append(t.total(Verdict.PASSED)).append(" | ")
        .append(t.total(Verdict.FAILED)).append(" | ").append(t.total(Verdict.SKIPPED)).append(" | ")
        .append(tr.evolves()).append(" | ").append(tr.rejectedEvolves()).append(" | ").append(tr.devolves())
        .append(" | ").append(nanos / 1_000_000).append(" |\n");
  }
}
