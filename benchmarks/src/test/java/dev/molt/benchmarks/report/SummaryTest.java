package dev.molt.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertThat(Summary.of(9, 1, 5).median()).isEqualTo(5);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertThat(Summary.of(4, 1, 10, 2).median()).isEqualTo(3);
  }

  @Test
  void minMaxAndSamplesCoverAllValues() {
    assertThat(Summary.of(7, 3, 11, 5)).isEqualTo(new Summary(6, 3, 11, 4));
  }

  @Test
  void summarisingDoesNotReorderTheCallersArray() {
    double[] values = {3, 1, 2};
    Summary.of(values);
    assertThat(values).containsExactly(3, 1, 2);
  }

  @Test
  void combinedRoundsUseTheMedianOfRoundMediansAndOverallExtremes() {
    Summary combined =
        Summary.ofRounds(
            List.of(new Summary(10, 9, 50, 100), new Summary(12, 8, 13, 100),
                new Summary(400, 300, 900, 100)));
    assertThat(combined).isEqualTo(new Summary(12, 8, 900, 300));
  }

  @Test
  void ratioIsJavaMedianOverFloorMedian() {
    assertThat(Summary.ratio(30, 24)).isEqualTo(1.25);
  }

  @Test
  void ratioRejectsAZeroFloorMedian() {
    assertThatThrownBy(() -> Summary.ratio(30, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive floor median");
  }

  @Test
  void ratioRejectsANonFiniteMedian() {
    assertThatThrownBy(() -> Summary.ratio(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }

  @Test
  void emptyValuesAreRejected() {
    assertThatThrownBy(Summary::of)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void nonFiniteValuesAreRejected() {
    assertThatThrownBy(() -> Summary.of(1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-finite");
  }

  @Test
  void zeroRoundsAreRejected() {
    assertThatThrownBy(() -> Summary.ofRounds(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero rounds");
  }

  @Test
  void aMedianOutsideTheExtremesIsRejected() {
    assertThatThrownBy(() -> new Summary(20, 1, 10, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min <= median <= max");
  }

  @Test
  void aSummaryWithoutSamplesIsRejected() {
    assertThatThrownBy(() -> new Summary(1, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one sample");
  }
}
