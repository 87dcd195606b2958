package dev.molt.vmm.testing;

import static dev.molt.vmm.testing.ReferenceLayout.DONE_PORT;
import static dev.molt.vmm.testing.X86.RAX;
import static dev.molt.vmm.testing.X86.RCX;

/** Test guest programs (ring 3). */
public final class Programs {
  private Programs() {}

  /** Sums 1..n into RAX in a loop, then reports on the done port. */
  public static byte[] sumTo(long n) {
    return new X86()
        .movImm(RCX, n)
        .zero(RAX)
        .label("loop")
        .add(RAX, RCX)
        .dec(RCX)
        .jnz("loop")
        .outAl(DONE_PORT)
        .assemble();
  }

  /**
   * Writes {@code value} into the first 8 bytes of {@code pages} consecutive 4 KiB pages from
   * {@code first} (ring 3, user data), leaves RAX = value, RBX = 0x5EED, then reports on the done
   * port.
   */
  public static byte[] writePages(long first, long pages, long value) {
    return new X86()
        .movImm(X86.RDI, first)
        .movImm(RCX, pages)
        .movImm(RAX, value)
        .movImm(X86.RBX, 0x5EED)
        .label("loop")
        .storeRaxAt(X86.RDI)
        .addImm32(X86.RDI, 4096)
        .dec(RCX)
        .jnz("loop")
        .outAl(DONE_PORT)
        .assemble();
  }

  /** The expected result of {@link #sumTo(long)}. */
  public static long expectedSum(long n) {
    return n * (n + 1) / 2;
  }
}
