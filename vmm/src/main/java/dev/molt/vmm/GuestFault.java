package dev.molt.vmm;

import java.util.OptionalLong;

/**
 * A CPU exception raised by guest code and reported by a ring-0 stub (see {@link FaultPorts}).
 * Values come from the exception frame the CPU pushed on the ring-0 stack and, for page faults,
 * from CR2.
 *
 * @param vector the exception
 * @param errorCode the error code, present exactly when {@link ExceptionVector#hasErrorCode()}
 * @param rip the faulting instruction (or, for traps, the next one)
 * @param cs the code segment selector at the time of the fault (low bits: its privilege level)
 * @param rflags RFLAGS at the time of the fault
 * @param rsp the stack pointer at the time of the fault
 * @param faultAddress CR2 for a page fault, empty otherwise
 */
public record GuestFault(
    ExceptionVector vector,
    OptionalLong errorCode,
    long rip,
    int cs,
    long rflags,
    long rsp,
    OptionalLong faultAddress) {

  /** Page-fault error code bit: the page was present (protection violation). */
  public static final long PF_PRESENT = 1;
  /** Page-fault error code bit: the access was a write. */
  public static final long PF_WRITE = 2;
  /** Page-fault error code bit: the access came from user mode (CPL 3). */
  public static final long PF_USER = 4;
  /** Page-fault error code bit: the access was an instruction fetch. */
  public static final long PF_INSTRUCTION_FETCH = 16;

  /**
   * The privilege level the guest ran at when it faulted.
   *
   * @return {@code cs & 3}
   */
  public int privilegeLevel() {
    return cs & 3;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(vector.mnemonic());
    errorCode.ifPresent(e -> text.append(" error=0x").append(Long.toHexString(e)));
    text.append(" rip=0x").append(Long.toHexString(rip));
    text.append(" cpl=").append(privilegeLevel());
    faultAddress.ifPresent(a -> text.append(" cr2=0x").append(Long.toHexString(a)));
    return text.toString();
  }
}
