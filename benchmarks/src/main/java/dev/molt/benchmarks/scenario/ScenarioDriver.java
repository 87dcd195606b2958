package dev.molt.benchmarks.scenario;

/**
 * The Java side of the floor scenarios, to be implemented over Molt's {@code vmm} module and
 * registered as a {@link java.util.ServiceLoader} provider. Each method must do exactly the KVM
 * work the native floor does for its scenario (same 16 MiB memory, same layout bytes, same
 * register traffic through {@code kvm_run->s.regs}) and verify the same result, throwing
 * {@link IllegalStateException} when the result is wrong.
 *
 * <p>This module provides one ({@code dev.molt.benchmarks.driver.VmmScenarioDriver}); without a
 * provider {@link ScenarioDrivers#find()} is empty and the harness reports the scenarios with their
 * floor figures only.
 */
public interface ScenarioDriver {

  /**
   * A name for reports, e.g. {@code molt-vmm}.
   *
   * @return the driver's name
   */
  String name();

  /**
   * Scenario {@link Scenario#CREATE_TO_FIRST_EXIT}, one whole iteration: create the VM (the
   * {@code /dev/kvm} fd stays open across calls), map and register 16 MiB, write the layout and
   * user code, create the vCPU, map {@code kvm_run}, set special and general registers, run to
   * the {@code out} to port 0x10, read RAX through {@code s.regs}, tear everything down.
   *
   * @return RAX at the first exit (42 when the guest ran as intended)
   */
  long createToFirstExit();

  /**
   * Prepares a vCPU for a repeated-operation scenario (setup is not measured).
   *
   * @param scenario {@link Scenario#IO_EXIT_ROUND_TRIP}, {@link Scenario#DISPATCH_SYNC_REGS},
   *     {@link Scenario#FAULT_ROUND_TRIP} or {@link Scenario#MEMORY_CELLS}
   * @return the prepared vCPU; the caller closes it
   * @throws IllegalArgumentException for another scenario
   */
  ReferenceVcpu open(Scenario scenario);

  /**
   * Prepares a vCPU spinning in ring 3 for {@link Scenario#KILL_TO_EINTR}.
   *
   * @return the prepared vCPU; the caller closes it
   */
  KickableVcpu openKickable();
}
