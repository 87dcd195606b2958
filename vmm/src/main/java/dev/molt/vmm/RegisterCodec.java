package dev.molt.vmm;

import static dev.molt.vmm.internal.sys.KvmStructs.offset;

import dev.molt.vmm.internal.sys.KvmStructs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Converts register records to and from the kernel structures at an offset in a segment. */
final class RegisterCodec {
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;
  private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
  private static final String[] SEGMENTS = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"};
  private static final long SREGS_SIZE = KvmStructs.KVM_SREGS.byteSize();
  private static final long REGS_SIZE = KvmStructs.KVM_REGS.byteSize();

  private RegisterCodec() {}

  static Registers readRegisters(MemorySegment s, long at) {
    long[] r = new long[18];
    for (int i = 0; i < r.length; i++) {
      r[i] = s.get(U64, at + 8L * i);
    }
    return new Registers(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
        r[14], r[15], r[16], r[17]);
  }

  static void writeRegisters(MemorySegment s, long at, Registers g) {
    long[] r = {
      g.rax(), g.rbx(), g.rcx(), g.rdx(), g.rsi(), g.rdi(), g.rsp(), g.rbp(), g.r8(), g.r9(),
      g.r10(), g.r11(), g.r12(), g.r13(), g.r14(), g.r15(), g.rip(), g.rflags()
    };
    if (r.length * 8L != REGS_SIZE) {
      throw new AssertionError("kvm_regs size");
    }
    for (int i = 0; i < r.length; i++) {
      s.set(U64, at + 8L * i, r[i]);
    }
  }

  private static final long CS_SELECTOR = offset(KvmStructs.KVM_SREGS, "cs", "selector");
  private static final long CR2 = offset(KvmStructs.KVM_SREGS, "cr2");
  private static final long RSP = offset(KvmStructs.KVM_REGS, "rsp");

  static int readCsSelector(MemorySegment s, long at) {
    return Short.toUnsignedInt(s.get(U16, at + CS_SELECTOR));
  }

  static long readCr2(MemorySegment s, long at) {
    return s.get(U64, at + CR2);
  }

  static long readRsp(MemorySegment s, long at) {
    return s.get(U64, at + RSP);
  }

  // Field offsets are looked up once: a by-name layout lookup per field per call cost about
  // 1-2 us per special-register transfer (measured by the benchmarks), 5 % of a fault round trip.
  private static final long[] SEGMENT_OFFSETS = segmentOffsets();
  private static final long SREGS_GDT = offset(KvmStructs.KVM_SREGS, "gdt");
  private static final long SREGS_IDT = offset(KvmStructs.KVM_SREGS, "idt");
  private static final long SREGS_CR0 = offset(KvmStructs.KVM_SREGS, "cr0");
  private static final long SREGS_CR3 = offset(KvmStructs.KVM_SREGS, "cr3");
  private static final long SREGS_CR4 = offset(KvmStructs.KVM_SREGS, "cr4");
  private static final long SREGS_CR8 = offset(KvmStructs.KVM_SREGS, "cr8");
  private static final long SREGS_EFER = offset(KvmStructs.KVM_SREGS, "efer");
  private static final long SREGS_APIC_BASE = offset(KvmStructs.KVM_SREGS, "apic_base");
  private static final long FPU_XMM = offset(KvmStructs.KVM_FPU, "xmm");
  private static final long FPU_FCW = offset(KvmStructs.KVM_FPU, "fcw");
  private static final long FPU_FSW = offset(KvmStructs.KVM_FPU, "fsw");
  private static final long FPU_FTWX = offset(KvmStructs.KVM_FPU, "ftwx");
  private static final long FPU_LAST_OPCODE = offset(KvmStructs.KVM_FPU, "last_opcode");
  private static final long FPU_LAST_IP = offset(KvmStructs.KVM_FPU, "last_ip");
  private static final long FPU_LAST_DP = offset(KvmStructs.KVM_FPU, "last_dp");
  private static final long FPU_MXCSR = offset(KvmStructs.KVM_FPU, "mxcsr");

  private static long[] segmentOffsets() {
    long[] offsets = new long[SEGMENTS.length];
    for (int i = 0; i < SEGMENTS.length; i++) {
      offsets[i] = offset(KvmStructs.KVM_SREGS, SEGMENTS[i]);
    }
    return offsets;
  }

  static SpecialRegisters readSpecial(MemorySegment s, long at) {
    Segment[] seg = new Segment[SEGMENTS.length];
    for (int i = 0; i < SEGMENTS.length; i++) {
      seg[i] = readSegment(s, at + SEGMENT_OFFSETS[i]);
    }
    return new SpecialRegisters(
        seg[0], seg[1], seg[2], seg[3], seg[4], seg[5], seg[6], seg[7],
        readTable(s, at + SREGS_GDT),
        readTable(s, at + SREGS_IDT),
        s.get(U64, at + SREGS_CR0),
        s.get(U64, at + CR2),
        s.get(U64, at + SREGS_CR3),
        s.get(U64, at + SREGS_CR4),
        s.get(U64, at + SREGS_CR8),
        s.get(U64, at + SREGS_EFER),
        s.get(U64, at + SREGS_APIC_BASE));
  }

  /** Writes every field; the pending-interrupt bitmap is cleared. */
  static void writeSpecial(MemorySegment s, long at, SpecialRegisters r) {
    s.asSlice(at, SREGS_SIZE).fill((byte) 0);
    Segment[] seg = {r.cs(), r.ds(), r.es(), r.fs(), r.gs(), r.ss(), r.tr(), r.ldt()};
    for (int i = 0; i < SEGMENTS.length; i++) {
      writeSegment(s, at + SEGMENT_OFFSETS[i], seg[i]);
    }
    writeTable(s, at + SREGS_GDT, r.gdt());
    writeTable(s, at + SREGS_IDT, r.idt());
    s.set(U64, at + SREGS_CR0, r.cr0());
    s.set(U64, at + CR2, r.cr2());
    s.set(U64, at + SREGS_CR3, r.cr3());
    s.set(U64, at + SREGS_CR4, r.cr4());
    s.set(U64, at + SREGS_CR8, r.cr8());
    s.set(U64, at + SREGS_EFER, r.efer());
    s.set(U64, at + SREGS_APIC_BASE, r.apicBase());
  }

  private static final long SEG_BASE = offset(KvmStructs.KVM_SEGMENT, "base");
  private static final long SEG_LIMIT = offset(KvmStructs.KVM_SEGMENT, "limit");
  private static final long SEG_SELECTOR = offset(KvmStructs.KVM_SEGMENT, "selector");
  private static final long SEG_TYPE = offset(KvmStructs.KVM_SEGMENT, "type");
  private static final long SEG_PRESENT = offset(KvmStructs.KVM_SEGMENT, "present");
  private static final long SEG_DPL = offset(KvmStructs.KVM_SEGMENT, "dpl");
  private static final long SEG_DB = offset(KvmStructs.KVM_SEGMENT, "db");
  private static final long SEG_S = offset(KvmStructs.KVM_SEGMENT, "s");
  private static final long SEG_L = offset(KvmStructs.KVM_SEGMENT, "l");
  private static final long SEG_G = offset(KvmStructs.KVM_SEGMENT, "g");
  private static final long SEG_AVL = offset(KvmStructs.KVM_SEGMENT, "avl");
  private static final long SEG_UNUSABLE = offset(KvmStructs.KVM_SEGMENT, "unusable");
  private static final long TABLE_LIMIT = offset(KvmStructs.KVM_DTABLE, "limit");

  private static Segment readSegment(MemorySegment s, long at) {
    return new Segment(
        s.get(U64, at + SEG_BASE),
        s.get(U32, at + SEG_LIMIT),
        Short.toUnsignedInt(s.get(U16, at + SEG_SELECTOR)),
        Byte.toUnsignedInt(s.get(U8, at + SEG_TYPE)) & 0xF,
        s.get(U8, at + SEG_PRESENT) != 0,
        Byte.toUnsignedInt(s.get(U8, at + SEG_DPL)) & 3,
        s.get(U8, at + SEG_DB) != 0,
        s.get(U8, at + SEG_S) != 0,
        s.get(U8, at + SEG_L) != 0,
        s.get(U8, at + SEG_G) != 0,
        s.get(U8, at + SEG_AVL) != 0,
        s.get(U8, at + SEG_UNUSABLE) != 0);
  }

  private static void writeSegment(MemorySegment s, long at, Segment g) {
    s.set(U64, at + SEG_BASE, g.base());
    s.set(U32, at + SEG_LIMIT, g.limit());
    s.set(U16, at + SEG_SELECTOR, (short) g.selector());
    s.set(U8, at + SEG_TYPE, (byte) g.type());
    s.set(U8, at + SEG_PRESENT, bit(g.present()));
    s.set(U8, at + SEG_DPL, (byte) g.dpl());
    s.set(U8, at + SEG_DB, bit(g.db()));
    s.set(U8, at + SEG_S, bit(g.s()));
    s.set(U8, at + SEG_L, bit(g.l()));
    s.set(U8, at + SEG_G, bit(g.g()));
    s.set(U8, at + SEG_AVL, bit(g.avl()));
    s.set(U8, at + SEG_UNUSABLE, bit(g.unusable()));
  }

  private static DescriptorTable readTable(MemorySegment s, long at) {
    return new DescriptorTable(s.get(U64, at), Short.toUnsignedInt(s.get(U16, at + TABLE_LIMIT)));
  }

  private static void writeTable(MemorySegment s, long at, DescriptorTable t) {
    s.set(U64, at, t.base());
    s.set(U16, at + TABLE_LIMIT, (short) t.limit());
  }

  private static byte bit(boolean value) {
    return (byte) (value ? 1 : 0);
  }

  static FpuState readFpu(MemorySegment whole, long at) {
    MemorySegment s = whole.asSlice(at, KvmStructs.KVM_FPU.byteSize());
    List<FpuState.Vector128> x87 = new ArrayList<>();
    for (int i = 0; i < FpuState.X87_REGISTERS; i++) {
      x87.add(new FpuState.Vector128(s.get(U64, 16L * i), s.get(U64, 16L * i + 8)));
    }
    long xmmAt = FPU_XMM;
    List<FpuState.Vector128> xmm = new ArrayList<>();
    for (int i = 0; i < FpuState.XMM_REGISTERS; i++) {
      xmm.add(
          new FpuState.Vector128(s.get(U64, xmmAt + 16L * i), s.get(U64, xmmAt + 16L * i + 8)));
    }
    return new FpuState(
        x87,
        Short.toUnsignedInt(s.get(U16, FPU_FCW)),
        Short.toUnsignedInt(s.get(U16, FPU_FSW)),
        Byte.toUnsignedInt(s.get(U8, FPU_FTWX)),
        Short.toUnsignedInt(s.get(U16, FPU_LAST_OPCODE)),
        s.get(U64, FPU_LAST_IP),
        s.get(U64, FPU_LAST_DP),
        xmm,
        s.get(U32, FPU_MXCSR));
  }

  static void writeFpu(MemorySegment whole, long at, FpuState f) {
    MemorySegment s = whole.asSlice(at, KvmStructs.KVM_FPU.byteSize());
    s.fill((byte) 0);
    for (int i = 0; i < FpuState.X87_REGISTERS; i++) {
      s.set(U64, 16L * i, f.x87().get(i).low());
      s.set(U64, 16L * i + 8, f.x87().get(i).high());
    }
    long xmmAt = FPU_XMM;
    for (int i = 0; i < FpuState.XMM_REGISTERS; i++) {
      s.set(U64, xmmAt + 16L * i, f.xmm().get(i).low());
      s.set(U64, xmmAt + 16L * i + 8, f.xmm().get(i).high());
    }
    s.set(U16, FPU_FCW, (short) f.fcw());
    s.set(U16, FPU_FSW, (short) f.fsw());
    s.set(U8, FPU_FTWX, (byte) f.ftwx());
    s.set(U16, FPU_LAST_OPCODE, (short) f.lastOpcode());
    s.set(U64, FPU_LAST_IP, f.lastIp());
    s.set(U64, FPU_LAST_DP, f.lastDp());
    s.set(U32, FPU_MXCSR, f.mxcsr());
  }
}
