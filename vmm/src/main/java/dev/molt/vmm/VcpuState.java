package dev.molt.vmm;

import java.util.Objects;

/**
 * The register state of a vCPU that a snapshot records: general-purpose, special and x87/SSE
 * registers ({@code kvm_regs}, {@code kvm_sregs}, {@code kvm_fpu}). Taken by {@link
 * Vcpu#captureState()}, put back by {@link Vcpu#restoreState(VcpuState)}.
 *
 * <p>Not included (see the module README): XSAVE state beyond {@code kvm_fpu} (AVX upper halves,
 * AVX-512), MSRs other than EFER and the APIC base, pending events, the TSC.
 *
 * @param general the general-purpose registers
 * @param special the special registers
 * @param fpu the x87/SSE state
 */
public record VcpuState(Registers general, SpecialRegisters special, FpuState fpu) {
  /**
   * Checks for null.
   *
   * @throws NullPointerException naming the null component
   */
  public VcpuState {
    Objects.requireNonNull(general, "general");
    Objects.requireNonNull(special, "special");
    Objects.requireNonNull(fpu, "fpu");
  }
}
