package dev.molt.benchmarks.report;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of one set of timings: the median, the extremes and the number of samples.
 *
 * <p>The median is the middle sample of the sorted values, or the mean of the two middle samples
 * when their number is even (the native floor uses the same definition).
 *
 * @param median the median value
 * @param min the smallest value
 * @param max the largest value
 * @param samples the number of values summarised, at least 1
 */
public record Summary(double median, double min, double max, long samples) {

  /**
   * Checks the invariants {@code min <= median <= max}, finite values and a positive count.
   *
   * @throws IllegalArgumentException if a value is not finite, the order is wrong or
   *     {@code samples < 1}
   */
  public Summary {
    if (!Double.isFinite(median) || !Double.isFinite(min) || !Double.isFinite(max)) {
      throw new IllegalArgumentException(
          "summary values must be finite numbers, got median=" + median + " min=" + min
              + " max=" + max);
    }
    if (min > median || median > max) {
      throw new IllegalArgumentException(
          "summary must satisfy min <= median <= max, got min=" + min + " median=" + median
              + " max=" + max);
    }
    if (samples < 1) {
      throw new IllegalArgumentException("a summary needs at least one sample, got " + samples);
    }
  }

  /**
   * Summarises raw values.
   *
   * @param values the values; not modified
   * @return their median, minimum, maximum and count
   * @throws IllegalArgumentException if {@code values} is empty or holds a NaN or infinity
   */
  public static Summary of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("cannot summarise an empty set of values");
    }
    double[] sorted = values.clone();
    for (double v : sorted) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("cannot summarise a non-finite value: " + v);
      }
    }
    Arrays.sort(sorted);
    return new Summary(median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
  }

  /**
   * Combines per-round summaries: the median of the round medians, the overall extremes and the
   * total sample count. A single slow round thus cannot move the median far.
   *
   * @param rounds the summaries of each round
   * @return the combined summary
   * @throws IllegalArgumentException if {@code rounds} is empty
   */
  public static Summary ofRounds(List<Summary> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("cannot combine zero rounds");
    }
    double[] medians = new double[rounds.size()];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long samples = 0;
    for (int i = 0; i < medians.length; i++) {
      Summary round = rounds.get(i);
      medians[i] = round.median();
      min = Math.min(min, round.min());
      max = Math.max(max, round.max());
      samples += round.samples();
    }
    Arrays.sort(medians);
    return new Summary(median(medians), min, max, samples);
  }

  /**
   * The ratio of a Java median to a floor median: how many times slower the Java path is.
   *
   * @param javaMedian the Java side's median
   * @param floorMedian the native floor's median
   * @return {@code javaMedian / floorMedian}
   * @throws IllegalArgumentException if the floor median is not positive or either value is not
   *     finite
   */
  public static double ratio(double javaMedian, double floorMedian) {
    if (!Double.isFinite(javaMedian) || !Double.isFinite(floorMedian)) {
      throw new IllegalArgumentException(
          "ratio needs finite medians, got java=" + javaMedian + " floor=" + floorMedian);
    }
    if (floorMedian <= 0) {
      throw new IllegalArgumentException(
          "ratio needs a positive floor median, got " + floorMedian);
    }
    return javaMedian / floorMedian;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
