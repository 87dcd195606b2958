package dev.molt.states.internal.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A guest executable that passed validation: a static, non-PIE x86-64 ELF whose loadable segments
 * fit the given limits, do not share pages, are never writable and executable at once, and whose
 * entry point lies in an executable segment's file-backed bytes.
 *
 * <p>The parser treats the file as hostile: every offset, size and count is checked with
 * unsigned, overflow-safe arithmetic before it is used, and every refusal is an {@link
 * ElfFormatException} naming the field.
 *
 * @param entry the entry point address
 * @param segments the {@code PT_LOAD} segments, sorted by address
 */
public record ElfImage(long entry, List<LoadSegment> segments) {

  /** Page size the segments are laid out for. */
  public static final long PAGE_SIZE = 4096;

  private static final int EHDR_SIZE = 64;
  private static final int PHDR_SIZE = 56;
  private static final int ET_EXEC = 2;
  private static final int ET_DYN = 3;
  private static final int EM_X86_64 = 62;
  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final int PT_INTERP = 3;
  private static final int PT_SHLIB = 5;
  private static final int PT_TLS = 7;
  private static final int PT_GNU_STACK = 0x6474e551;
  private static final int PF_X = 1;
  private static final int PF_W = 2;
  private static final int PF_R = 4;
  private static final int PF_KNOWN = PF_X | PF_W | PF_R;

  /** Copies the segment list. */
  public ElfImage {
    segments = List.copyOf(segments);
  }

  /**
   * Validates {@code file} as a guest executable.
   *
   * @param file the ELF file's bytes (not modified, not retained)
   * @param limits where segments may go and how large the file may be
   * @return the validated image
   * @throws ElfFormatException naming the first field that is not acceptable
   */
  public static ElfImage parse(byte[] file, ElfLimits limits) throws ElfFormatException {
    if (file.length > limits.maxFileSize()) {
      throw new ElfFormatException(
          "file", "is %d bytes, more than the limit of %d".formatted(file.length, limits.maxFileSize()));
    }
    if (file.length < EHDR_SIZE) {
      throw new ElfFormatException(
          "file", "is %d bytes, too short for an ELF64 header (64 bytes)".formatted(file.length));
    }
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    checkIdent(file);
    int type = Short.toUnsignedInt(in.getShort(16));
    if (type == ET_DYN) {
      throw new ElfFormatException(
          "e_type", "is ET_DYN (position-independent); link the guest with -static -no-pie at a fixed address");
    }
    expect(type == ET_EXEC, "e_type", () -> "is %d, expected ET_EXEC (2)".formatted(type));
    int machine = Short.toUnsignedInt(in.getShort(18));
    expect(machine == EM_X86_64, "e_machine", () -> "is %d, expected EM_X86_64 (62)".formatted(machine));
    long version = Integer.toUnsignedLong(in.getInt(20));
    expect(version == 1, "e_version", () -> "is %d, expected 1".formatted(version));
    long entry = in.getLong(24);
    long phoff = in.getLong(32);
    int ehsize = Short.toUnsignedInt(in.getShort(52));
    expect(ehsize == EHDR_SIZE, "e_ehsize", () -> "is %d, expected 64".formatted(ehsize));
    int phentsize = Short.toUnsignedInt(in.getShort(54));
    int phnum = Short.toUnsignedInt(in.getShort(56));
    expect(phnum > 0, "e_phnum", "is 0: the file has no program headers, nothing to load");
    expect(
        phnum <= limits.maxProgramHeaders(),
        "e_phnum",
        () -> "is %d, more than the limit of %d".formatted(phnum, limits.maxProgramHeaders()));
    expect(phentsize == PHDR_SIZE, "e_phentsize", () -> "is %d, expected 56".formatted(phentsize));
    long tableSize = (long) phnum * PHDR_SIZE;
    expect(
        fitsIn(phoff, tableSize, file.length),
        "e_phoff",
        () -> "0x%x with %d headers runs past the end of the %d-byte file"
            .formatted(phoff, phnum, file.length));

    List<LoadSegment> loads = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      int at = (int) (phoff + (long) i * PHDR_SIZE); // in bounds: checked by fitsIn above
      LoadSegment segment = programHeader(file, in, at, i, limits);
      if (segment != null) {
        loads.add(segment);
      }
    }
    expect(!loads.isEmpty(), "program headers", "contain no PT_LOAD segment: nothing to load");
    loads.sort(Comparator.comparingLong(LoadSegment::address));
    for (int i = 1; i < loads.size(); i++) {
      LoadSegment previous = loads.get(i - 1);
      LoadSegment next = loads.get(i);
      long previousLastPage = pageUp(previous.end());
      long nextFirstPage = next.address() & -PAGE_SIZE;
      expect(
          nextFirstPage >= previousLastPage,
          "PT_LOAD",
          () -> "segments at 0x%x and 0x%x share a page; segments must start on separate 4 KiB pages"
              .formatted(previous.address(), next.address()));
    }
    boolean entryOk = false;
    for (LoadSegment s : loads) {
      if (s.permissions().executable()
          && Long.compareUnsigned(entry, s.address()) >= 0
          && Long.compareUnsigned(entry, s.address() + s.fileSize()) < 0) {
        entryOk = true;
        break;
      }
    }
    expect(entryOk, "e_entry", () -> "0x%x is not inside an executable segment's code".formatted(entry));
    return new ElfImage(entry, loads);
  }

  private static void checkIdent(byte[] file) throws ElfFormatException {
    expect(
        file[0] == 0x7f && file[1] == 'E' && file[2] == 'L' && file[3] == 'F',
        "e_ident[EI_MAG]",
        "is not \\x7fELF: this is not an ELF file");
    expect(file[4] == 2, "e_ident[EI_CLASS]", () -> "is %d, expected ELFCLASS64 (2)".formatted(file[4]));
    expect(
        file[5] == 1, "e_ident[EI_DATA]", () -> "is %d, expected little-endian (1)".formatted(file[5]));
    expect(file[6] == 1, "e_ident[EI_VERSION]", () -> "is %d, expected 1".formatted(file[6]));
    expect(
        file[7] == 0 || file[7] == 3,
        "e_ident[EI_OSABI]",
        () -> "is %d, expected System V (0) or GNU/Linux (3)".formatted(file[7]));
  }

  private static @Nullable LoadSegment programHeader(
      byte[] file, ByteBuffer in, int at, int index, ElfLimits limits) throws ElfFormatException {
    String name = "phdr[" + index + "]";
    int type = in.getInt(at);
    int flags = in.getInt(at + 4);
    switch (type) {
      case PT_INTERP, PT_DYNAMIC, PT_SHLIB ->
          throw new ElfFormatException(
              name + ".p_type", "is %d: dynamically linked guests are not supported".formatted(type));
      case PT_TLS ->
          throw new ElfFormatException(
              name + ".p_type", "is PT_TLS: thread-local storage is not supported in guests");
      case PT_GNU_STACK -> {
        expect(
            (flags & PF_X) == 0,
            name + ".p_flags",
            "PT_GNU_STACK asks for an executable stack, which Molt never provides");
        return null;
      }
      case PT_LOAD -> {
        // handled below
      }
      default -> {
        return null; // notes, GNU properties, PHDR, RELRO: informational for a static image
      }
    }
    long offset = in.getLong(at + 8);
    long vaddr = in.getLong(at + 16);
    long filesz = in.getLong(at + 32);
    long memsz = in.getLong(at + 40);
    long align = in.getLong(at + 48);
    expect(
        (flags & ~PF_KNOWN) == 0,
        name + ".p_flags",
        () -> "0x%x has bits other than R, W, X".formatted(flags));
    expect(
        (flags & (PF_W | PF_X)) != (PF_W | PF_X),
        name + ".p_flags",
        () -> "segment at 0x%x is both writable and executable (W^X)".formatted(vaddr));
    expect(
        fitsIn(offset, filesz, file.length),
        name + ".p_offset",
        () -> "0x%x + p_filesz %d runs past the end of the %d-byte file"
            .formatted(offset, filesz, file.length));
    expect(
        Long.compareUnsigned(filesz, memsz) <= 0,
        name + ".p_filesz",
        () -> "%d is larger than p_memsz %d".formatted(filesz, memsz));
    expect(memsz != 0, name + ".p_memsz", "is 0: an empty PT_LOAD segment");
    expect(
        align == 0 || align == 1 || Long.bitCount(align) == 1,
        name + ".p_align",
        () -> "0x%x is not a power of two".formatted(align));
    expect(
        (vaddr - offset) % PAGE_SIZE == 0,
        name + ".p_vaddr",
        () -> "0x%x and p_offset 0x%x are not congruent modulo the 4 KiB page size"
            .formatted(vaddr, offset));
    expect(
        Long.compareUnsigned(vaddr, limits.lowestAddress()) >= 0
            && fitsIn(vaddr, memsz, limits.endAddress()),
        name + ".p_vaddr",
        () -> "segment 0x%x..+0x%x lies outside guest memory available for the image (0x%x..0x%x)"
            .formatted(vaddr, memsz, limits.lowestAddress(), limits.endAddress()));
    int from = (int) offset; // < file.length <= Integer.MAX_VALUE: checked by fitsIn above
    byte[] bytes = java.util.Arrays.copyOfRange(file, from, from + (int) filesz);
    return new LoadSegment(
        vaddr, memsz, bytes, new SegmentPermissions((flags & PF_W) != 0, (flags & PF_X) != 0));
  }

  /** {@code start + length <= limit} in unsigned arithmetic, without overflow. */
  private static boolean fitsIn(long start, long length, long limit) {
    return Long.compareUnsigned(start, limit) <= 0
        && Long.compareUnsigned(length, limit - start) <= 0;
  }

  private static long pageUp(long address) {
    return (address + PAGE_SIZE - 1) & -PAGE_SIZE;
  }

  private static void expect(boolean condition, String field, String message)
      throws ElfFormatException {
    if (!condition) {
      throw new ElfFormatException(field, message);
    }
  }

  /**
   * As {@link #expect(boolean, String, String)} with a message built only on failure: formatting
   * every message eagerly cost ~70 us per parse (about twenty String.formatted calls).
   */
  private static void expect(boolean condition, String field, Supplier<String> message)
      throws ElfFormatException {
    if (!condition) {
      throw new ElfFormatException(field, message.get());
    }
  }

  /**
   * The first address after the highest segment.
   *
   * @return the end of the image in guest memory
   */
  public long end() {
    return segments.get(segments.size() - 1).end();
  }
}
