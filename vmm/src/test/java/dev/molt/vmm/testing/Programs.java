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

  /** The expected result of {@link #sumTo(long)}. */
  public static long expectedSum(long n) {
    return n * (n + 1) / 2;
  }
}
