/**
 * JMH benchmarks. The floor scenarios' Java side ({@code *ScenarioBenchmark}) runs against a
 * {@link dev.molt.benchmarks.scenario.ScenarioDriver}; the Java-only rows run as they are.
 */
package dev.molt.benchmarks.jmh;
