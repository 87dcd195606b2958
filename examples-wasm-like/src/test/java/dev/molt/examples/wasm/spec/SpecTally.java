package dev.molt.examples.wasm.spec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts of passed, failed and skipped commands per {@link CommandKind}, and every command that did
 * not pass with its reason. Mutable while a script runs; {@link #add(SpecTally)} sums scripts.
 */
final class SpecTally {

  /** What happened to one command. */
  enum Verdict {
    PASSED,
    FAILED,
    SKIPPED
  }

  /** A command that failed or was skipped, with the reason. */
  record Note(String script, int line, CommandKind kind, Verdict verdict, String reason) {
    Note {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return script + ":" + line + " " + kind.jsonName() + " " + verdict + ": " + reason;
    }
  }

  private final Map<CommandKind, int[]> counts = new EnumMap<>(CommandKind.class);
  private final List<Note> notes = new ArrayList<>();

  SpecTally() {
    for (CommandKind k : CommandKind.values()) {
      counts.put(k, new int[Verdict.values().length]);
    }
  }

  void passed(CommandKind kind) {
    counts.get(kind)[Verdict.PASSED.ordinal()]++;
  }

  void failed(String script, int line, CommandKind kind, String reason) {
    counts.get(kind)[Verdict.FAILED.ordinal()]++;
    notes.add(new Note(script, line, kind, Verdict.FAILED, reason));
  }

  void skipped(String script, int line, CommandKind kind, String reason) {
    counts.get(kind)[Verdict.SKIPPED.ordinal()]++;
    notes.add(new Note(script, line, kind, Verdict.SKIPPED, reason));
  }

  void add(SpecTally other) {
    for (CommandKind k : CommandKind.values()) {
      for (Verdict v : Verdict.values()) {
        counts.get(k)[v.ordinal()] += other.count(k, v);
      }
    }
    notes.addAll(other.notes);
  }

  int count(CommandKind kind, Verdict verdict) {
    return counts.get(kind)[verdict.ordinal()];
  }

  int total(Verdict verdict) {
    int sum = 0;
    for (CommandKind k : CommandKind.values()) {
      sum += count(k, verdict);
    }
    return sum;
  }

  /** The failed and skipped commands, in the order they ran. */
  List<Note> notes() {
    return List.copyOf(notes);
  }

  List<Note> notes(Verdict verdict) {
    return notes.stream().filter(n -> n.verdict() == verdict).toList();
  }
}
