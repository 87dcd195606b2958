/**
 * Molt's benchmarks: JMH benchmarks, the harness that runs them interleaved with the native C
 * floor ({@code src/main/c}) and writes the results, and the interface the Java side of the floor
 * scenarios implements. Not a library: nothing here is Molt API.
 */
module dev.molt.benchmarks {
  requires dev.molt.vmm;
  // transitive: exported signatures show sandbox, exception and test-guest types.
  requires transitive dev.molt.states;
  requires transitive dev.molt.guest;
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

  uses dev.molt.benchmarks.scenario.ScenarioDriver;

  provides dev.molt.benchmarks.scenario.ScenarioDriver with
      dev.molt.benchmarks.driver.VmmScenarioDriver;
}
