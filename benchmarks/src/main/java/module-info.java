/**
 * Molt's benchmarks: JMH benchmarks, the harness that runs them interleaved with the native C
 * floor ({@code src/main/c}) and writes the results, and the interface the Java side of the floor
 * scenarios implements. Not a library: nothing here is Molt API.
 */
// Chicory 1.5.1's jars (the peer of the wasm-* rows) carry no module descriptor and no
// Automatic-Module-Name: they are automatic modules named after their files (runtime, wasm).
// Nothing outside this non-library module depends on those names.
@SuppressWarnings("requires-automatic")
module dev.molt.benchmarks {
  requires dev.molt.vmm;
  // transitive: exported signatures show sandbox, exception and test-guest types.
  requires transitive dev.molt.states;
  requires transitive dev.molt.guest;
  // transitive: the wasm peer signatures throw the example's WasmException.
  requires transitive dev.molt.examples.wasm;
  requires runtime;
  requires wasm;
  requires jmh.core;
  requires org.jnrproject.ffi;
  requires org.slf4j;
  // transitive: exported signatures carry @Nullable.
  requires static transitive org.checkerframework.checker.qual;

  exports dev.molt.benchmarks.harness;
  exports dev.molt.benchmarks.jmh;
  exports dev.molt.benchmarks.kvm;
  exports dev.molt.benchmarks.report;
  exports dev.molt.benchmarks.scenario;
  exports dev.molt.benchmarks.states;
  exports dev.molt.benchmarks.wasm;

  uses dev.molt.benchmarks.scenario.ScenarioDriver;
  uses dev.molt.benchmarks.scenario.SnapshotDriver;

  provides dev.molt.benchmarks.scenario.ScenarioDriver with
      dev.molt.benchmarks.driver.VmmScenarioDriver;
  provides dev.molt.benchmarks.scenario.SnapshotDriver with
      dev.molt.benchmarks.driver.VmmSnapshotDriver;
}
