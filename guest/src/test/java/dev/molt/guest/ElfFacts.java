package dev.molt.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The ELF header and program header fields the shipped guests are checked against. */
record ElfFacts(
    int elfClass, int dataEncoding, int type, int machine, long entry, List<Segment> segments) {

  static final int PT_LOAD = 1;
  static final int PT_DYNAMIC = 2;
  static final int PT_INTERP = 3;
  static final int PF_X = 1;
  static final int PF_W = 2;

  record Segment(int type, int flags, long offset, long vaddr, long fileSize, long memSize, long align) {
    boolean executable() {
      return (flags & PF_X) != 0;
    }

    boolean writable() {
      return (flags & PF_W) != 0;
    }

    boolean contains(long address) {
      return address >= vaddr && address < vaddr + memSize;
    }
  }

  static ElfFacts parse(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (file.length < 64 || in.getInt(0) != 0x464C457F) {
      throw new IllegalArgumentException("not an ELF file");
    }
    long phoff = in.getLong(32);
    int phentsize = Short.toUnsignedInt(in.getShort(54));
    int phnum = Short.toUnsignedInt(in.getShort(56));
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      int at = Math.toIntExact(phoff + (long) i * phentsize);
      segments.add(
          new Segment(
              in.getInt(at),
              in.getInt(at + 4),
              in.getLong(at + 8),
              in.getLong(at + 16),
              in.getLong(at + 32),
              in.getLong(at + 40),
              in.getLong(at + 48)));
    }
    return new ElfFacts(
        file[4],
        file[5],
        Short.toUnsignedInt(in.getShort(16)),
        Short.toUnsignedInt(in.getShort(18)),
        in.getLong(24),
        List.copyOf(segments));
  }

  List<Segment> loads() {
    return segments.stream().filter(s -> s.type() == PT_LOAD).toList();
  }
}
