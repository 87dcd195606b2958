package dev.molt.benchmarks.scenario;

/**
 * The six benchmark scenarios of the reference ring-3 layout. The native floor
 * ({@code benchmarks/target/floor}) and the Java benchmarks perform exactly the work described
 * here (benchmarks/README.md has the byte-level details).
 */
public enum Scenario {
  /** Create VM, 16 MiB memory, layout, vCPU, registers (s.regs); run to the first exit; tear down. */
  CREATE_TO_FIRST_EXIT(
      "create-to-first-exit",
      "open VM + 16 MiB memory + layout + vCPU + entry registers through s.regs, KVM_RUN to"
          + " out 0x10 (RAX=42), tear down"),
  /** One KVM_RUN returning the IO exit of a ring-3 {@code out} loop. */
  IO_EXIT_ROUND_TRIP("io-exit-round-trip", "one KVM_RUN returning a ring-3 out 0x10 exit"),
  /** Set RIP/RSP/RDI through kvm_run->s.regs, run, read RAX back. */
  DISPATCH_SYNC_REGS(
      "dispatch-sync-regs",
      "set RIP/RSP/RDI through s.regs, KVM_RUN, read RAX (== RDI) from s.regs"),
  /** A ring-3 {@code ud2}, reported by the ring-0 stub on port 0x86, decoded, registers reset. */
  FAULT_ROUND_TRIP(
      "fault-round-trip",
      "ring-3 ud2 -> stub out 0x86 at CPL 0 -> decode frame from the ring-0 stack -> reset"
          + " regs+sregs through s.regs"),
  /** From a kick (immediate_exit + tgkill) to KVM_RUN returning EINTR. */
  KILL_TO_EINTR(
      "kill-to-eintr",
      "immediate_exit + tgkill(SIGRTMIN+2) -> KVM_RUN returns EINTR, signal drained (guest"
          + " spinning in ring 3; timed in the vCPU thread)"),
  /** Host writes a cell, the guest increments it into the next cell and exits. */
  MEMORY_CELLS(
      "memory-cells",
      "host writes cell 0x110000, KVM_RUN, guest writes value+1 to 0x110008, host reads it");

  private final String operation;
  private final String description;

  Scenario(String operation, String description) {
    this.operation = operation;
    this.description = description;
  }

  /**
   * The operation name used by the floor's command line and the report rows.
   *
   * @return e.g. {@code io-exit-round-trip}
   */
  public String operation() {
    return operation;
  }

  /**
   * What one operation does.
   *
   * @return a one-line description
   */
  public String description() {
    return description;
  }
}
