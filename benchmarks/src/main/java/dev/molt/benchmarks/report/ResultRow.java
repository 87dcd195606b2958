package dev.molt.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One operation's result: the Java side and the native floor, each summarised over all rounds.
 *
 * <p>Rows that have only one side (Java-only comparisons, peer comparisons, memory figures, or a
 * floor whose Java counterpart does not exist yet) have the other side {@code null}, and then no
 * ratio.
 *
 * @param operation the operation's name, e.g. {@code io-exit-round-trip}
 * @param description what one operation does, in a sentence
 * @param group the kind of row: {@code kvm} (a scenario with a floor), {@code java-only},
 *     {@code peer} or {@code memory}
 * @param unit the unit of all values, e.g. {@code ns}
 * @param rounds how many interleaved rounds were run
 * @param java the Java side summarised over all rounds, or null
 * @param javaRoundMedians the Java median of each round (empty without a Java side)
 * @param javaSource what produced the Java figures (a JMH benchmark), or null
 * @param floor the native floor summarised over all rounds, or null
 * @param floorRoundMedians the floor median of each round (empty without a floor)
 * @param floorSource what produced the floor figures (the floor command), or null
 * @param note a remark for the reader, possibly empty
 */
public record ResultRow(
    String operation,
    String description,
    String group,
    String unit,
    int rounds,
    @Nullable Summary java,
    List<Double> javaRoundMedians,
    @Nullable String javaSource,
    @Nullable Summary floor,
    List<Double> floorRoundMedians,
    @Nullable String floorSource,
    String note) {

  /**
   * Checks the row.
   *
   * @throws IllegalArgumentException if the operation or unit is blank, {@code rounds < 1}, a
   *     side has round medians but no summary (or the reverse), or a side has no figures at all
   * @throws NullPointerException if a non-nullable component is null
   */
  public ResultRow {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(note, "note");
    javaRoundMedians = List.copyOf(javaRoundMedians);
    floorRoundMedians = List.copyOf(floorRoundMedians);
    if (operation.isBlank() || unit.isBlank()) {
      throw new IllegalArgumentException("a result row needs an operation name and a unit");
    }
    if (java == null && floor == null) {
      throw new IllegalArgumentException(
          "row '" + operation + "' has neither Java nor floor figures");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("a result row needs at least one round, got " + rounds);
    }
    if ((java == null) != javaRoundMedians.isEmpty()) {
      throw new IllegalArgumentException(
          "row '" + operation + "': Java round medians must be given exactly when a Java summary is");
    }
    if ((floor == null) != floorRoundMedians.isEmpty()) {
      throw new IllegalArgumentException(
          "row '" + operation + "': floor round medians must be given exactly when a floor summary is");
    }
  }

  /**
   * Builds a row from per-round summaries of either side.
   *
   * @param operation the operation's name
   * @param description what one operation does
   * @param group the kind of row
   * @param unit the unit
   * @param javaRounds the Java side's summary per round (empty if none)
   * @param javaSource what produced the Java figures, or null
   * @param floorRounds the floor's summary per round (empty if none)
   * @param floorSource what produced the floor figures, or null
   * @param note a remark, possibly empty
   * @return the row; {@code rounds} is the larger number of rounds of the two sides
   */
  public static ResultRow fromRounds(
      String operation,
      String description,
      String group,
      String unit,
      List<Summary> javaRounds,
      @Nullable String javaSource,
      List<Summary> floorRounds,
      @Nullable String floorSource,
      String note) {
    return new ResultRow(
        operation,
        description,
        group,
        unit,
        Math.max(javaRounds.size(), floorRounds.size()),
        javaRounds.isEmpty() ? null : Summary.ofRounds(javaRounds),
        medians(javaRounds),
        javaSource,
        floorRounds.isEmpty() ? null : Summary.ofRounds(floorRounds),
        medians(floorRounds),
        floorSource,
        note);
  }

  /**
   * Java median divided by floor median, when both sides exist.
   *
   * @return the ratio, or null for a one-sided row
   */
  public @Nullable Double ratio() {
    Summary j = java;
    Summary f = floor;
    if (j == null || f == null) {
      return null;
    }
    return Summary.ratio(j.median(), f.median());
  }

  private static List<Double> medians(List<Summary> rounds) {
    List<Double> medians = new ArrayList<>(rounds.size());
    for (Summary s : rounds) {
      medians.add(s.median());
    }
    return medians;
  }
}
