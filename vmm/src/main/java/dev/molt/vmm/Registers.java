package dev.molt.vmm;

/**
 * The general-purpose registers of an x86-64 vCPU ({@code struct kvm_regs}), as unsigned 64-bit
 * values.
 *
 * @param rax RAX
 * @param rbx RBX
 * @param rcx RCX
 * @param rdx RDX
 * @param rsi RSI
 * @param rdi RDI
 * @param rsp RSP
 * @param rbp RBP
 * @param r8 R8
 * @param r9 R9
 * @param r10 R10
 * @param r11 R11
 * @param r12 R12
 * @param r13 R13
 * @param r14 R14
 * @param r15 R15
 * @param rip RIP
 * @param rflags RFLAGS
 */
public record Registers(
    long rax,
    long rbx,
    long rcx,
    long rdx,
    long rsi,
    long rdi,
    long rsp,
    long rbp,
    long r8,
    long r9,
    long r10,
    long r11,
    long r12,
    long r13,
    long r14,
    long r15,
    long rip,
    long rflags) {

  /** The RFLAGS value whose only set bit is the always-one bit 1. */
  public static final long RFLAGS_RESERVED_ONE = 0x2;

  /**
   * All registers zero except RFLAGS, which holds its always-one bit.
   *
   * @return the reset value
   */
  public static Registers initial() {
    return builder().build();
  }

  /**
   * A builder starting from {@link #initial()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
      b.rax = rax;
      b.rbx = rbx;
      b.rcx = rcx;
      b.rdx = rdx;
      b.rsi = rsi;
      b.rdi = rdi;
      b.rsp = rsp;
      b.rbp = rbp;
      b.r8 = r8;
      b.r9 = r9;
      b.r10 = r10;
      b.r11 = r11;
      b.r12 = r12;
      b.r13 = r13;
      b.r14 = r14;
      b.r15 = r15;
      b.rip = rip;
      b.rflags = rflags;
    return b;
  }

  /** Builds {@link Registers}; unset registers are zero, RFLAGS is {@code 0x2}. */
  public static final class Builder {
    private long rax;
    private long rbx;
    private long rcx;
    private long rdx;
    private long rsi;
    private long rdi;
    private long rsp;
    private long rbp;
    private long r8;
    private long r9;
    private long r10;
    private long r11;
    private long r12;
    private long r13;
    private long r14;
    private long r15;
    private long rip;
    private long rflags;

    private Builder() {
      rflags = RFLAGS_RESERVED_ONE;
    }

    /**
     * Sets RAX.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rax(long value) {
      this.rax = value;
      return this;
    }

    /**
     * Sets RBX.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rbx(long value) {
      this.rbx = value;
      return this;
    }

    /**
     * Sets RCX.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rcx(long value) {
      this.rcx = value;
      return this;
    }

    /**
     * Sets RDX.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rdx(long value) {
      this.rdx = value;
      return this;
    }

    /**
     * Sets RSI.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rsi(long value) {
      this.rsi = value;
      return this;
    }

    /**
     * Sets RDI.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rdi(long value) {
      this.rdi = value;
      return this;
    }

    /**
     * Sets RSP.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rsp(long value) {
      this.rsp = value;
      return this;
    }

    /**
     * Sets RBP.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rbp(long value) {
      this.rbp = value;
      return this;
    }

    /**
     * Sets R8.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r8(long value) {
      this.r8 = value;
      return this;
    }

    /**
     * Sets R9.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r9(long value) {
      this.r9 = value;
      return this;
    }

    /**
     * Sets R10.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r10(long value) {
      this.r10 = value;
      return this;
    }

    /**
     * Sets R11.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r11(long value) {
      this.r11 = value;
      return this;
    }

    /**
     * Sets R12.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r12(long value) {
      this.r12 = value;
      return this;
    }

    /**
     * Sets R13.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r13(long value) {
      this.r13 = value;
      return this;
    }

    /**
     * Sets R14.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r14(long value) {
      this.r14 = value;
      return this;
    }

    /**
     * Sets R15.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder r15(long value) {
      this.r15 = value;
      return this;
    }

    /**
     * Sets RIP.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rip(long value) {
      this.rip = value;
      return this;
    }

    /**
     * Sets RFLAGS.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rflags(long value) {
      this.rflags = value;
      return this;
    }

    /**
     * The registers.
     *
     * @return the value
     */
    public Registers build() {
      return new Registers(rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags);
    }
  }
}
