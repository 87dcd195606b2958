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
import java.util.Set;
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

  /**
   * The millisecond-scale rows whose JMH warm-up lasts at least {@link
   * #STEADY_STATE_WARMUP_SECONDS} (full and quick runs). Each of their operations runs a few
   * hundred Java methods once (create, evolve or restore, teardown), so C2 compiles them only
   * after thousands of operations: create-and-evolve measured in one JVM (2026-11-22, 2,000-op
   * windows) took a median 1.93 ms over ops 0-2k, 1.46 ms over 2k-4k, 1.34-1.40 ms over 4k-10k
   * and 1.29-1.31 ms from 10k on, while JMH's default 3 s warm-up covers about 2,000. These rows
   * are measured at that steady state (≈ 10,000 warm-up ops); the floor, compiled C, needs none.
   */
  static final Set<String> STEADY_STATE_ROWS =
      Set.of("create-to-first-exit", "create-and-evolve", "create-from-snapshot",
          "from-snapshot-vs-evolve");

  /** Warm-up seconds of the {@link #STEADY_STATE_ROWS}. */
  static final int STEADY_STATE_WARMUP_SECONDS = 15;

  /**
   * How many JMH warm-up iterations this row's benchmarks run: the options' count, raised to
   * {@link #STEADY_STATE_WARMUP_SECONDS} worth of iterations for the {@link #STEADY_STATE_ROWS}
   * (in a quick run too: its short warm-up would measure the JIT's slope, not the operation).
   *
   * @param options the harness options
   * @return the warm-up iterations
   */
  int jmhWarmupIterations(HarnessOptions options) {
    if (!STEADY_STATE_ROWS.contains(name)) {
      return options.jmhWarmupIterations();
    }
    long iterations =
        Math.ceilDiv(STEADY_STATE_WARMUP_SECONDS * 1000L, Math.max(1, options.jmhIterationMillis()));
    return (int) Math.max(options.jmhWarmupIterations(), Math.min(iterations, 1000));
  }

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
