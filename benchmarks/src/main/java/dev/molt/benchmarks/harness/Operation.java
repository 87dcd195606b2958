package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.jmh.CreateToFirstExitScenarioBenchmark;
import dev.molt.benchmarks.jmh.DispatchSyncRegsScenarioBenchmark;
import dev.molt.benchmarks.jmh.FaultRoundTripScenarioBenchmark;
import dev.molt.benchmarks.jmh.IoExitRoundTripScenarioBenchmark;
import dev.molt.benchmarks.jmh.KvmApiVersionBenchmark;
import dev.molt.benchmarks.jmh.MemoryCellsScenarioBenchmark;
import dev.molt.benchmarks.jmh.StatesCallNoopI32Benchmark;
import dev.molt.benchmarks.jmh.StatesCallOneHostCallBenchmark;
import dev.molt.benchmarks.jmh.StatesCreateAndEvolveBenchmark;
import dev.molt.benchmarks.jmh.StatesEcho1MibBenchmark;
import dev.molt.benchmarks.jmh.SummaryBenchmark;
import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.benchmarks.states.StatesOperation;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row of the report and how to measure each side of it.
 *
 * @param name the operation name (also the floor's scenario name when there is a floor)
 * @param description what one operation does
 * @param group {@code kvm}, {@code java-only}, {@code peer} or {@code memory}
 * @param unit the unit ({@code ns})
 * @param floorScenario the floor's scenario argument, or null for a row without a floor
 * @param jmhBenchmark the JMH benchmark ({@code Class.method}), or null when JMH does not
 *     measure the Java side
 * @param javaLoop the {@link JavaLoop} scenario measuring the Java side instead of JMH (for an
 *     operation spanning two threads, which JMH cannot time), or null
 * @param needsDriver whether the Java side needs a registered ScenarioDriver
 * @param states the states operation whose guest ELF and plan the floor needs ({@code --guest},
 *     {@code --plan}), or null
 * @param referenceBenchmark for a Java-against-Java row (group {@code peer}): the JMH benchmark
 *     measured in the floor's place (interleaved the same way), or null
 */
record Operation(
    String name,
    String description,
    String group,
    String unit,
    @Nullable String floorScenario,
    @Nullable String jmhBenchmark,
    @Nullable String javaLoop,
    boolean needsDriver,
    @Nullable StatesOperation states,
    @Nullable String referenceBenchmark) {

  /** Every operation the harness knows, in report order. */
  static List<Operation> all() {
    List<Operation> ops = new ArrayList<>();
    for (Scenario s : Scenario.values()) {
      ops.add(
          new Operation(
              s.operation(), s.description(), "kvm", "ns", s.operation(), scenarioBenchmark(s),
              s == Scenario.KILL_TO_EINTR ? s.operation() : null, true, null, null));
    }
    for (StatesOperation s : StatesOperation.values()) {
      ops.add(
          new Operation(
              s.operation(), s.description(), "kvm", "ns", s.operation(), statesBenchmark(s),
              null, false, s, null));
    }
    ops.add(
        new Operation(
            "api-version",
            "ioctl(KVM_GET_API_VERSION) on an open /dev/kvm fd (Java: jnr-ffi, @Variadic ioctl)",
            "kvm",
            "ns",
            "api-version",
            KvmApiVersionBenchmark.class.getName() + ".apiVersion",
            null,
            false,
            null,
            null));
    ops.add(
        new Operation(
            "api-version-fixed-arity",
            "the same ioctl through a fixed-arity jnr-ffi prototype (no @Variadic)",
            "kvm",
            "ns",
            "api-version",
            KvmApiVersionBenchmark.class.getName() + ".apiVersionFixedArity",
            null,
            false,
            null,
            null));
    ops.add(
        new Operation(
            "summary-1001",
            "the harness's Summary.of over 1,001 timings (Java only)",
            "java-only",
            "ns",
            null,
            SummaryBenchmark.class.getName() + ".summarise",
            null,
            false,
            null,
            null));
    ops.addAll(SnapshotOperations.all());
    ops.addAll(WasmPeerOperations.all());
    return List.copyOf(ops);
  }

  /** The JMH benchmark of a states operation. */
  private static String statesBenchmark(StatesOperation s) {
    return switch (s) {
      case CREATE_AND_EVOLVE ->
          StatesCreateAndEvolveBenchmark.class.getName() + ".createAndEvolve";
      case CALL_NOOP_I32 -> StatesCallNoopI32Benchmark.class.getName() + ".callNoopI32";
      case CALL_ONE_HOST_CALL ->
          StatesCallOneHostCallBenchmark.class.getName() + ".callOneHostCall";
      case ECHO_1MIB -> StatesEcho1MibBenchmark.class.getName() + ".echo1Mib";
    };
  }

  /** The JMH benchmark of a scenario, or null for kill-to-eintr (measured by {@link JavaLoop}). */
  private static @Nullable String scenarioBenchmark(Scenario s) {
    return switch (s) {
      case CREATE_TO_FIRST_EXIT ->
          CreateToFirstExitScenarioBenchmark.class.getName() + ".createToFirstExit";
      case IO_EXIT_ROUND_TRIP -> IoExitRoundTripScenarioBenchmark.class.getName() + ".op";
      case DISPATCH_SYNC_REGS -> DispatchSyncRegsScenarioBenchmark.class.getName() + ".op";
      case FAULT_ROUND_TRIP -> FaultRoundTripScenarioBenchmark.class.getName() + ".op";
      case KILL_TO_EINTR -> null;
      case MEMORY_CELLS -> MemoryCellsScenarioBenchmark.class.getName() + ".op";
    };
  }
}
