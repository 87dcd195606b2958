package dev.molt.benchmarks.driver;

import dev.molt.vmm.DescriptorTable;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Segment;
import dev.molt.vmm.SpecialRegisters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes register records as the kernel structures the floor reads and dumps: {@code struct
 * kvm_sregs} (312 bytes) then {@code struct kvm_regs} (144 bytes), x86-64 layout from {@code
 * <linux/kvm.h>}.
 */
public final class KernelRegisterBytes {
  /** {@code sizeof(struct kvm_sregs)} on x86-64. */
  public static final int SREGS_SIZE = 312;

  /** {@code sizeof(struct kvm_regs)} on x86-64. */
  public static final int REGS_SIZE = 144;

  private KernelRegisterBytes() {}

  /**
   * Encodes {@code struct kvm_sregs} alone (the interrupt bitmap zero).
   *
   * @param s the special registers
   * @return {@value #SREGS_SIZE} bytes
   */
  public static byte[] encodeSpecial(SpecialRegisters s) {
    ByteBuffer b = ByteBuffer.allocate(SREGS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    special(b, s);
    return b.array();
  }

  /**
   * Encodes {@code struct kvm_sregs} then {@code struct kvm_regs}.
   *
   * @param s the special registers
   * @param r the general registers
   * @return {@value #SREGS_SIZE} + {@value #REGS_SIZE} bytes
   */
  public static byte[] encode(SpecialRegisters s, Registers r) {
    ByteBuffer b = ByteBuffer.allocate(SREGS_SIZE + REGS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    special(b, s);
    b.position(SREGS_SIZE);
    long[] g = {
      r.rax(), r.rbx(), r.rcx(), r.rdx(), r.rsi(), r.rdi(), r.rsp(), r.rbp(), r.r8(), r.r9(),
      r.r10(), r.r11(), r.r12(), r.r13(), r.r14(), r.r15(), r.rip(), r.rflags()
    };
    for (long v : g) {
      b.putLong(v);
    }
    return b.array();
  }

  private static void special(ByteBuffer b, SpecialRegisters s) {
    for (Segment seg : new Segment[] {s.cs(), s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(),
        s.ldt()}) {
      segment(b, seg); // struct kvm_segment: 24 bytes each
    }
    table(b, s.gdt()); // struct kvm_dtable: 16 bytes each
    table(b, s.idt());
    b.putLong(s.cr0()).putLong(s.cr2()).putLong(s.cr3()).putLong(s.cr4()).putLong(s.cr8());
    b.putLong(s.efer()).putLong(s.apicBase());
    // interrupt_bitmap[4] stays zero (vmm clears it when loading sregs)
  }

  private static void segment(ByteBuffer b, Segment s) {
    b.putLong(s.base()).putInt(s.limit()).putShort((short) s.selector());
    b.put((byte) s.type()).put(bit(s.present())).put((byte) s.dpl()).put(bit(s.db()));
    b.put(bit(s.s())).put(bit(s.l())).put(bit(s.g())).put(bit(s.avl())).put(bit(s.unusable()));
    b.put((byte) 0); // padding
  }

  private static void table(ByteBuffer b, DescriptorTable t) {
    b.putLong(t.base()).putShort((short) t.limit());
    b.putShort((short) 0).putShort((short) 0).putShort((short) 0); // padding[3]
  }

  private static byte bit(boolean v) {
    return (byte) (v ? 1 : 0);
  }
}
