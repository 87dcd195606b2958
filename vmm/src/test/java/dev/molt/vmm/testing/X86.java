package dev.molt.vmm.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny x86-64 encoder for the handful of instructions the test guests need. Each method emits
 * one instruction; the comment gives its encoding. Labels resolve rel8/rel32 jumps and calls.
 */
public final class X86 {
  /** Register numbers (ModRM/opcode-embedded encoding). */
  public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Integer> labels = new HashMap<>();
  private final List<Fixup> fixups = new ArrayList<>();

  private record Fixup(int at, int width, String label) {}

  private X86 emit(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  private X86 imm32(long value) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)));
    }
    return this;
  }

  /** Defines a label at the current position. */
  public X86 label(String name) {
    labels.put(name, out.size());
    return this;
  }

  /** {@code mov $imm64, %reg} — REX.W B8+r imm64. */
  public X86 movImm(int reg, long imm) {
    emit(0x48, 0xB8 + reg);
    for (int i = 0; i < 8; i++) {
      out.write((int) (imm >>> (8 * i)));
    }
    return this;
  }

  /** {@code mov %src, %dst} — REX.W 89 /r. */
  public X86 mov(int dst, int src) {
    return emit(0x48, 0x89, 0xC0 | (src << 3) | dst);
  }

  /** {@code add %src, %dst} — REX.W 01 /r. */
  public X86 add(int dst, int src) {
    return emit(0x48, 0x01, 0xC0 | (src << 3) | dst);
  }

  /** {@code add $imm8, %reg} — REX.W 83 /0 ib. */
  public X86 addImm8(int reg, int imm) {
    return emit(0x48, 0x83, 0xC0 | reg, imm & 0xFF);
  }

  /** {@code dec %reg} — REX.W FF /1. */
  public X86 dec(int reg) {
    return emit(0x48, 0xFF, 0xC8 | reg);
  }

  /** {@code xor %reg32, %reg32} (zeroes the 64-bit register) — 31 /r. */
  public X86 zero(int reg) {
    return emit(0x31, 0xC0 | (reg << 3) | reg);
  }

  /** {@code mov abs32, %rax} — REX.W 8B 04 25 disp32 (sign-extended absolute address). */
  public X86 loadRax(long address) {
    return emit(0x48, 0x8B, 0x04, 0x25).imm32(address);
  }

  /** {@code mov %rax, abs32} — REX.W 89 04 25 disp32. */
  public X86 storeRax(long address) {
    return emit(0x48, 0x89, 0x04, 0x25).imm32(address);
  }

  /** {@code mov %rax, (%reg)} — REX.W 89 /r, mod 00 (not RSP or RBP). */
  public X86 storeRaxAt(int reg) {
    if (reg == RSP || reg == RBP) {
      throw new IllegalArgumentException("(%rsp) and (%rbp) need another encoding");
    }
    return emit(0x48, 0x89, (RAX << 3) | reg);
  }

  /** {@code add $imm32, %reg} — REX.W 81 /0 id. */
  public X86 addImm32(int reg, int imm) {
    return emit(0x48, 0x81, 0xC0 | reg).imm32(imm);
  }

  /** {@code out %al, $port} — E6 ib. */
  public X86 outAl(int port) {
    return emit(0xE6, port);
  }

  /** {@code in $port, %al} — E4 ib. */
  public X86 inAl(int port) {
    return emit(0xE4, port);
  }

  /** {@code div %reg} (RDX:RAX / reg) — REX.W F7 /6. */
  public X86 div(int reg) {
    return emit(0x48, 0xF7, 0xF0 | reg);
  }

  /** {@code ud2} — 0F 0B. */
  public X86 ud2() {
    return emit(0x0F, 0x0B);
  }

  /** {@code hlt} — F4. */
  public X86 hlt() {
    return emit(0xF4);
  }

  /** {@code jmp *%reg} — FF /4. */
  public X86 jmpReg(int reg) {
    return emit(0xFF, 0xE0 | reg);
  }

  /** {@code jmp .} — EB FE. */
  public X86 spin() {
    return emit(0xEB, 0xFE);
  }

  /** {@code jmp label} — EB rel8. */
  public X86 jmp(String label) {
    emit(0xEB);
    fixups.add(new Fixup(out.size(), 1, label));
    return emit(0);
  }

  /** {@code jnz label} — 75 rel8. */
  public X86 jnz(String label) {
    emit(0x75);
    fixups.add(new Fixup(out.size(), 1, label));
    return emit(0);
  }

  /** {@code call label} — E8 rel32. */
  public X86 call(String label) {
    emit(0xE8);
    fixups.add(new Fixup(out.size(), 4, label));
    return imm32(0);
  }

  /** The encoded bytes with labels resolved. */
  public byte[] assemble() {
    byte[] code = out.toByteArray();
    for (Fixup f : fixups) {
      Integer target = labels.get(f.label());
      if (target == null) {
        throw new IllegalStateException("undefined label " + f.label());
      }
      long rel = target - (f.at() + f.width());
      if (f.width() == 1 && (rel < -128 || rel > 127)) {
        throw new IllegalStateException("rel8 out of range for " + f.label());
      }
      for (int i = 0; i < f.width(); i++) {
        code[f.at() + i] = (byte) (rel >>> (8 * i));
      }
    }
    return code;
  }
}
