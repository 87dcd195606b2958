package dev.molt.vmm;

/** The 32 x86 exception vectors, with their mnemonics and whether the CPU pushes an error code. */
public enum ExceptionVector {
  /** #DE: divide error. */
  DIVIDE_ERROR("#DE", false),
  /** #DB: debug. */
  DEBUG("#DB", false),
  /** NMI: non-maskable interrupt. */
  NMI("NMI", false),
  /** #BP: breakpoint ({@code int3}). */
  BREAKPOINT("#BP", false),
  /** #OF: overflow ({@code into}). */
  OVERFLOW("#OF", false),
  /** #BR: bound range exceeded. */
  BOUND_RANGE("#BR", false),
  /** #UD: invalid opcode. */
  INVALID_OPCODE("#UD", false),
  /** #NM: device not available. */
  DEVICE_NOT_AVAILABLE("#NM", false),
  /** #DF: double fault. */
  DOUBLE_FAULT("#DF", true),
  /** Coprocessor segment overrun (reserved on x86-64). */
  COPROCESSOR_SEGMENT_OVERRUN("#CSO", false),
  /** #TS: invalid TSS. */
  INVALID_TSS("#TS", true),
  /** #NP: segment not present. */
  SEGMENT_NOT_PRESENT("#NP", true),
  /** #SS: stack-segment fault. */
  STACK_SEGMENT_FAULT("#SS", true),
  /** #GP: general protection. */
  GENERAL_PROTECTION("#GP", true),
  /** #PF: page fault. */
  PAGE_FAULT("#PF", true),
  /** Vector 15, reserved. */
  RESERVED_15("#15", false),
  /** #MF: x87 floating-point error. */
  X87_FLOATING_POINT("#MF", false),
  /** #AC: alignment check. */
  ALIGNMENT_CHECK("#AC", true),
  /** #MC: machine check. */
  MACHINE_CHECK("#MC", false),
  /** #XM: SIMD floating-point exception. */
  SIMD_FLOATING_POINT("#XM", false),
  /** #VE: virtualization exception. */
  VIRTUALIZATION("#VE", false),
  /** #CP: control protection. */
  CONTROL_PROTECTION("#CP", true),
  /** Vector 22, reserved. */
  RESERVED_22("#22", false),
  /** Vector 23, reserved. */
  RESERVED_23("#23", false),
  /** Vector 24, reserved. */
  RESERVED_24("#24", false),
  /** Vector 25, reserved. */
  RESERVED_25("#25", false),
  /** Vector 26, reserved. */
  RESERVED_26("#26", false),
  /** Vector 27, reserved. */
  RESERVED_27("#27", false),
  /** #HV: hypervisor injection. */
  HYPERVISOR_INJECTION("#HV", false),
  /** #VC: VMM communication. */
  VMM_COMMUNICATION("#VC", true),
  /** #SX: security exception. */
  SECURITY("#SX", true),
  /** Vector 31, reserved. */
  RESERVED_31("#31", false);

  /** Number of exception vectors. */
  public static final int COUNT = 32;

  private static final ExceptionVector[] BY_NUMBER = values();

  private final String mnemonic;
  private final boolean hasErrorCode;

  ExceptionVector(String mnemonic, boolean hasErrorCode) {
    this.mnemonic = mnemonic;
    this.hasErrorCode = hasErrorCode;
  }

  /**
   * The vector with this number.
   *
   * @param number 0..31
   * @return the vector
   * @throws IllegalArgumentException if {@code number} is not 0..31
   */
  public static ExceptionVector of(int number) {
    if (number < 0 || number >= COUNT) {
      throw new IllegalArgumentException("exception vector must be 0..31: " + number);
    }
    return BY_NUMBER[number];
  }

  /**
   * The vector number.
   *
   * @return 0..31
   */
  public int number() {
    return ordinal();
  }

  /**
   * The mnemonic, e.g. {@code "#PF"}.
   *
   * @return the mnemonic
   */
  public String mnemonic() {
    return mnemonic;
  }

  /**
   * Whether the CPU pushes an error code for this vector.
   *
   * @return {@code true} for #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX
   */
  public boolean hasErrorCode() {
    return hasErrorCode;
  }
}
