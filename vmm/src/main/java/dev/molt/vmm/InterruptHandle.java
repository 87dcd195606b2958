package dev.molt.vmm;

/**
 * Stops a {@link Vcpu}'s current or next {@link Vcpu#run()} from any thread. Thread-safe; obtained
 * from {@link Vcpu#interruptHandle()}; holds no resources of its own.
 */
public final class InterruptHandle {
  private final Vcpu vcpu;

  InterruptHandle(Vcpu vcpu) {
    this.vcpu = vcpu;
  }

  /**
   * Makes the vCPU's current run, or its next one if none is in progress, return {@link
   * VcpuExit.Interrupted}. Sets {@code kvm_run.immediate_exit} (so a run that is just entering
   * leaves at once) and, while the vCPU thread is inside {@code KVM_RUN}, sends it the kick signal
   * again until it has left. Returns once the vCPU is out of {@code KVM_RUN} (or was not in it).
   * Several kills before the vCPU notices count as one. A no-op after the vCPU is closed.
   */
  public void kill() {
    vcpu.kill();
  }

  /**
   * The vCPU this handle stops.
   *
   * @return the vCPU id
   */
  public int vcpuId() {
    return vcpu.id();
  }
}
