package dev.molt.vmm;

/**
 * Why {@link Vcpu#run()} returned: a closed set of exit kinds. A {@code switch} over it needs no
 * {@code default}; exits this library does not model arrive as {@link Unsupported}.
 */
public sealed interface VcpuExit {

  /**
   * The guest wrote to an I/O port ({@code out}); the guest continues after the instruction on
   * the next {@link Vcpu#run()}.
   *
   * @param port the port
   * @param size the access size in bytes (1, 2 or 4)
   * @param value the value written, zero-extended
   */
  record IoOut(int port, int size, long value) implements VcpuExit {}

  /**
   * The guest read an I/O port ({@code in}); answer with {@link Vcpu#completeIoIn(long)} before the
   * next run (unanswered, the guest reads zero).
   *
   * @param port the port
   * @param size the access size in bytes (1, 2 or 4)
   */
  record IoIn(int port, int size) implements VcpuExit {}

  /**
   * The guest accessed guest-physical memory that no memory region backs.
   *
   * @param address the guest-physical address
   * @param size the access size in bytes (1..8)
   * @param write whether it was a write
   * @param value the value written (zero-extended), or 0 for a read
   */
  record Mmio(GuestAddress address, int size, boolean write, long value) implements VcpuExit {}

  /** The guest executed {@code hlt} at ring 0. */
  record Hlt() implements VcpuExit {}

  /**
   * The vCPU shut down (triple fault). Reset the registers before running again.
   */
  record Shutdown() implements VcpuExit {}

  /**
   * The hardware refused to enter the guest (invalid guest state).
   *
   * @param hardwareReason the hardware-specific failure reason
   * @param cpu the host CPU
   */
  record FailEntry(long hardwareReason, int cpu) implements VcpuExit {}

  /**
   * KVM hit an internal error (e.g. an instruction it could not emulate).
   *
   * @param subError KVM's {@code KVM_INTERNAL_ERROR_*} code
   */
  record InternalError(int subError) implements VcpuExit {}

  /** The run was stopped by {@link InterruptHandle#kill()}. */
  record Interrupted() implements VcpuExit {}

  /**
   * Guest code raised a CPU exception that a ring-0 stub reported (see {@link FaultPorts}). Reset
   * the registers before running again.
   *
   * @param fault the decoded exception
   */
  record Fault(GuestFault fault) implements VcpuExit {}

  /**
   * A KVM exit reason this library does not model (including string I/O).
   *
   * @param reason the {@code KVM_EXIT_*} number
   */
  record Unsupported(int reason) implements VcpuExit {}
}
