/**
 * The benchmarks of Molt's built-in states ({@code create-and-evolve}, {@code call-noop-i32},
 * {@code call-one-host-call}, {@code echo-1mib}): what each operation runs on the Java side ({@link
 * dev.molt.benchmarks.states.StatesOperation}) and the guest plan the native floor consumes so that
 * it loads the same guest into the same layout ({@link dev.molt.benchmarks.states.GuestPlan}). Not
 * API.
 */
package dev.molt.benchmarks.states;
