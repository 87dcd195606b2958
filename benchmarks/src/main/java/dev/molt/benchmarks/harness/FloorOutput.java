package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.report.Json;
import dev.molt.benchmarks.report.Summary;

/**
 * One run of the native floor as it reports itself: a single JSON line such as
 * {@code {"scenario":"io-exit-round-trip","unit":"ns","ops":200,"warmup":20,"median":26504.5,
 * "min":25779,"max":344424,"mean":28651.6,"verified":true,"check":"...","memoryBytes":16777216}}.
 *
 * @param scenario the scenario that ran
 * @param unit the unit of the timings ({@code ns})
 * @param summary median, min, max and number of measured operations
 * @param check what each operation verified
 */
record FloorOutput(String scenario, String unit, Summary summary, String check) {

  /**
   * Parses the floor's output line and checks it belongs to {@code expectedScenario} and that
   * the floor verified every operation.
   *
   * @throws BenchmarkFailedException if the line is not the floor's JSON, names another scenario
   *     or reports {@code verified: false}
   */
  static FloorOutput parse(String line, String expectedScenario) {
    Json.Obj obj;
    try {
      if (!(Json.parse(line.strip()) instanceof Json.Obj o)) {
        throw new BenchmarkFailedException("floor output is not a JSON object: " + line);
      }
      obj = o;
      String scenario = obj.string("scenario");
      if (!scenario.equals(expectedScenario)) {
        throw new BenchmarkFailedException(
            "floor reported scenario '" + scenario + "', expected '" + expectedScenario + "'");
      }
      if (!obj.bool("verified")) {
        throw new BenchmarkFailedException(
            "floor did not verify scenario '" + scenario + "': its figures are not usable");
      }
      Summary summary =
          new Summary(
              obj.number("median"), obj.number("min"), obj.number("max"), (long) obj.number("ops"));
      return new FloorOutput(scenario, obj.string("unit"), summary, obj.string("check"));
    } catch (IllegalArgumentException e) {
      throw new BenchmarkFailedException(
          "cannot read the floor's output line '" + line + "': " + e.getMessage(), e);
    }
  }
}
