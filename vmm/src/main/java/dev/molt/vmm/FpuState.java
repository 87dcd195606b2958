package dev.molt.vmm;

import java.util.List;

/**
 * The x87/SSE state of a vCPU ({@code struct kvm_fpu}).
 *
 * @param x87 the eight x87 registers ST0..ST7 (80 bits used of each 128-bit slot)
 * @param fcw the FPU control word
 * @param fsw the FPU status word
 * @param ftwx the abridged FPU tag word
 * @param lastOpcode the last x87 opcode
 * @param lastIp the last x87 instruction pointer
 * @param lastDp the last x87 data pointer
 * @param xmm the sixteen SSE registers XMM0..XMM15
 * @param mxcsr the SSE control/status register
 */
public record FpuState(
    List<Vector128> x87,
    int fcw,
    int fsw,
    int ftwx,
    int lastOpcode,
    long lastIp,
    long lastDp,
    List<Vector128> xmm,
    int mxcsr) {

  /** Number of x87 registers. */
  public static final int X87_REGISTERS = 8;

  /** Number of XMM registers. */
  public static final int XMM_REGISTERS = 16;

  /**
   * Copies the lists and checks their sizes and the 16-bit and 8-bit fields.
   *
   * @throws IllegalArgumentException if a list has the wrong size or a field is out of range
   */
  public FpuState {
    x87 = List.copyOf(x87);
    xmm = List.copyOf(xmm);
    if (x87.size() != X87_REGISTERS) {
      throw new IllegalArgumentException("x87 must hold 8 registers, got " + x87.size());
    }
    if (xmm.size() != XMM_REGISTERS) {
      throw new IllegalArgumentException("xmm must hold 16 registers, got " + xmm.size());
    }
    checkBits("fcw", fcw, 16);
    checkBits("fsw", fsw, 16);
    checkBits("ftwx", ftwx, 8);
    checkBits("lastOpcode", lastOpcode, 16);
  }

  private static void checkBits(String name, int value, int bits) {
    if (value < 0 || value >= (1 << bits)) {
      throw new IllegalArgumentException(name + " must fit in " + bits + " bits: " + value);
    }
  }

  /**
   * A 128-bit register value.
   *
   * @param low bits 0..63
   * @param high bits 64..127
   */
  public record Vector128(long low, long high) {}
}
