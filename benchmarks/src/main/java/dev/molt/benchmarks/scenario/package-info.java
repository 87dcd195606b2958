/**
 * The floor scenarios and the interface their Java side implements over Molt's vmm.
 */
package dev.molt.benchmarks.scenario;
