package dev.molt.benchmarks.scenario;

/**
 * A vCPU prepared by {@link ScenarioDriver#open(Scenario)}: one call of {@link #op(long)} is one
 * measured operation of its scenario.
 */
public interface ReferenceVcpu extends AutoCloseable {

  /**
   * Performs one operation and returns the value the scenario verifies:
   *
   * <ul>
   *   <li>io-exit-round-trip: one KVM_RUN; returns the exit's port (0x10);
   *   <li>dispatch-sync-regs: RIP/RSP/RDI = entry/0x200000/{@code argument} through
   *       {@code s.regs}, KVM_RUN; returns RAX from {@code s.regs} (equal to {@code argument});
   *   <li>fault-round-trip: KVM_RUN, decode the fault report (port 0x86 at CPL 0 required),
   *       reset registers through {@code s.regs}; returns the reported RIP (0x100030);
   *   <li>memory-cells: write {@code argument} into cell 0x110000, KVM_RUN; returns the cell at
   *       0x110008 ({@code argument + 1}).
   * </ul>
   *
   * @param argument the operation's input (ignored by io-exit-round-trip and fault-round-trip)
   * @return the value described above
   * @throws IllegalStateException if the guest did not behave as the scenario requires
   */
  long op(long argument);

  /** Tears the VM down. */
  @Override
  void close();
}
