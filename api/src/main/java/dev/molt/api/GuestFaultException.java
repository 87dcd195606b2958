package dev.molt.api;

import java.util.OptionalLong;

/**
 * The guest raised a CPU exception (page fault, general protection, divide error, invalid
 * opcode, stack guard hit …). Carries the vector, the faulting instruction pointer and, for page
 * faults, the faulting address. Poisons the sandbox.
 */
public final class GuestFaultException extends GuestException {

  private static final long serialVersionUID = 1L;

  /** The x86 exception vector (0–31). */
  private final int vector;

  /** The guest RIP of the faulting instruction. */
  private final long rip;

  /** The fault address (CR2) when {@link #hasFaultAddress}. */
  private final long faultAddress;

  /** Whether the fault has an address (page faults do). */
  private final boolean hasFaultAddress;

  /**
   * Creates an exception.
   *
   * @param vector the x86 exception vector, 0 to 31
   * @param rip the guest instruction pointer of the faulting instruction
   * @param faultAddress the faulting address (CR2), or empty when the vector has none
   * @param leftIn the status the sandbox was left in (normally Poisoned)
   * @throws IllegalArgumentException if {@code vector} is not in 0..31
   */
  public GuestFaultException(int vector, long rip, OptionalLong faultAddress, SandboxStatus leftIn) {
    super(describe(vector, rip, faultAddress), leftIn, null);
    this.vector = vector;
    this.rip = rip;
    this.hasFaultAddress = faultAddress.isPresent();
    this.faultAddress = faultAddress.orElse(0);
  }

  private static String describe(int vector, long rip, OptionalLong faultAddress) {
    if (vector < 0 || vector > 31) {
      throw new IllegalArgumentException("vector must be an x86 exception vector 0..31, was " + vector);
    }
    return "guest fault "
        + vectorName(vector)
        + " (vector "
        + vector
        + ") at rip 0x"
        + Long.toHexString(rip)
        + (faultAddress.isPresent() ? ", address 0x" + Long.toHexString(faultAddress.getAsLong()) : "");
  }

  /**
   * The mnemonic of an x86 exception vector ({@code #PF}, {@code #GP}, …).
   *
   * @param vector the vector, 0 to 31
   * @return the mnemonic, or {@code #RESERVED} for reserved vectors
   * @throws IllegalArgumentException if {@code vector} is not in 0..31
   */
  public static String vectorName(int vector) {
    return switch (vector) {
      case 0 -> "#DE";
      case 1 -> "#DB";
      case 2 -> "NMI";
      case 3 -> "#BP";
      case 4 -> "#OF";
      case 5 -> "#BR";
      case 6 -> "#UD";
      case 7 -> "#NM";
      case 8 -> "#DF";
      case 10 -> "#TS";
      case 11 -> "#NP";
      case 12 -> "#SS";
      case 13 -> "#GP";
      case 14 -> "#PF";
      case 16 -> "#MF";
      case 17 -> "#AC";
      case 18 -> "#MC";
      case 19 -> "#XM";
      case 20 -> "#VE";
      case 21 -> "#CP";
      default -> {
        if (vector < 0 || vector > 31) {
          throw new IllegalArgumentException("vector must be 0..31, was " + vector);
        }
        yield "#RESERVED";
      }
    };
  }

  /**
   * The x86 exception vector.
   *
   * @return 0 to 31
   */
  public int vector() {
    return vector;
  }

  /**
   * The guest instruction pointer of the faulting instruction.
   *
   * @return the RIP
   */
  public long rip() {
    return rip;
  }

  /**
   * The faulting address (CR2) for vectors that have one.
   *
   * @return the address, or empty
   */
  public OptionalLong faultAddress() {
    return hasFaultAddress ? OptionalLong.of(faultAddress) : OptionalLong.empty();
  }
}
