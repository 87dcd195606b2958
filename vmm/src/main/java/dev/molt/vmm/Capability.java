package dev.molt.vmm;

/** KVM capabilities the vmm module knows, with their {@code KVM_CAP_*} numbers. */
public enum Capability {
  /** {@code KVM_CAP_USER_MEMORY}: user-space memory regions (required). */
  USER_MEMORY(3),
  /** {@code KVM_CAP_NR_VCPUS}: recommended number of vCPUs. */
  NR_VCPUS(9),
  /** {@code KVM_CAP_NR_MEMSLOTS}: number of memory slots per VM. */
  NR_MEMSLOTS(10),
  /** {@code KVM_CAP_MAX_VCPUS}: maximum number of vCPUs. */
  MAX_VCPUS(66),
  /** {@code KVM_CAP_SYNC_REGS}: registers passed through {@code kvm_run} (value: the sets). */
  SYNC_REGS(74),
  /** {@code KVM_CAP_READONLY_MEM}: read-only memory regions. */
  READONLY_MEM(81),
  /** {@code KVM_CAP_IMMEDIATE_EXIT}: {@code kvm_run.immediate_exit} (required for kill). */
  IMMEDIATE_EXIT(136),
  /** {@code KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2}. */
  MANUAL_DIRTY_LOG_PROTECT2(168);

  private final int number;

  Capability(int number) {
    this.number = number;
  }

  /**
   * The {@code KVM_CAP_*} number.
   *
   * @return the number passed to {@code KVM_CHECK_EXTENSION}
   */
  public int number() {
    return number;
  }
}
