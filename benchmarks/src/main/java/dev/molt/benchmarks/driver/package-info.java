/**
 * The Java side of the floor scenarios over Molt's vmm: {@link
 * dev.molt.benchmarks.driver.VmmScenarioDriver}, registered as the {@link
 * dev.molt.benchmarks.scenario.ScenarioDriver} provider, and {@link
 * dev.molt.benchmarks.driver.ReferenceGuest}, the reference layout built with vmm's public
 * long-mode API.
 */
package dev.molt.benchmarks.driver;
