package dev.molt.states.internal.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds small, valid x86-64 ELF executables that tests then corrupt field by field. */
final class TestElf {
  static final int PT_LOAD = 1;
  static final int PF_X = 1;
  static final int PF_W = 2;
  static final int PF_R = 4;

  record Phdr(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {}

  private long entry = 0x200000;
  private final List<Phdr> headers = new ArrayList<>();
  private int fileSize = 0x3000;

  /** A typical guest: code page at 0x200000, data page at 0x201000 with bss. */
  static TestElf typical() {
    return new TestElf()
        .load(PF_R | PF_X, 0x1000, 0x200000, 0x100, 0x100)
        .load(PF_R | PF_W, 0x2000, 0x201000, 0x80, 0x2000);
  }

  TestElf entry(long value) {
    this.entry = value;
    return this;
  }

  TestElf load(int flags, long offset, long vaddr, long filesz, long memsz) {
    headers.add(new Phdr(PT_LOAD, flags, offset, vaddr, filesz, memsz, 0x1000));
    return this;
  }

  TestElf header(Phdr phdr) {
    headers.add(phdr);
    return this;
  }

  byte[] bytes() {
    byte[] file = new byte[fileSize];
    ByteBuffer out = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    out.putShort(16, (short) 2); // ET_EXEC
    out.putShort(18, (short) 62); // EM_X86_64
    out.putInt(20, 1);
    out.putLong(24, entry);
    out.putLong(32, 64); // e_phoff
    out.putShort(52, (short) 64);
    out.putShort(54, (short) 56);
    out.putShort(56, (short) headers.size());
    int at = 64;
    for (Phdr h : headers) {
      out.putInt(at, h.type());
      out.putInt(at + 4, h.flags());
      out.putLong(at + 8, h.offset());
      out.putLong(at + 16, h.vaddr());
      out.putLong(at + 24, h.vaddr());
      out.putLong(at + 32, h.filesz());
      out.putLong(at + 40, h.memsz());
      out.putLong(at + 48, h.align());
      at += 56;
    }
    // recognisable contents in every loadable byte
    for (Phdr h : headers) {
      for (long i = 0; i < h.filesz() && h.offset() + i < file.length; i++) {
        file[(int) (h.offset() + i)] = (byte) (h.vaddr() >>> 12 ^ i);
      }
    }
    return file;
  }
}
