package dev.molt.vmm.longmode;

import dev.molt.vmm.DescriptorTable;
import dev.molt.vmm.ExceptionVector;
import dev.molt.vmm.FaultPorts;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestMemory;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Segment;
import dev.molt.vmm.SpecialRegisters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * The contents and register values that put a vCPU into 64-bit long mode at ring 3 with the
 * structures of a {@link LongModeLayout}: page tables, GDT, TSS with I/O bitmap, IDT and ring-0
 * exception stubs. Immutable; build once, write to any number of VMs.
 *
 * <p>GDT selectors: {@value #KERNEL_CODE} ring-0 code, {@value #KERNEL_DATA} ring-0 data, {@value
 * #USER_DATA} ring-3 data, {@value #USER_CODE} ring-3 code, {@value #TSS_SELECTOR} TSS. Exception
 * stubs exist for vectors 0..31; IDT gates 32..255 are not present. #DF runs on the IST1 stack.
 */
public final class LongModeImage {
  /** Ring-0 64-bit code selector. */
  public static final int KERNEL_CODE = 0x08;
  /** Ring-0 data selector. */
  public static final int KERNEL_DATA = 0x10;
  /** Ring-3 data selector (RPL 3). */
  public static final int USER_DATA = 0x1b;
  /** Ring-3 64-bit code selector (RPL 3). */
  public static final int USER_CODE = 0x23;
  /** TSS selector. */
  public static final int TSS_SELECTOR = 0x28;

  /** CR0: PE, MP, ET, NE, WP, AM, PG. */
  public static final long CR0 = 0x80050033L;
  /** CR4: PAE, OSFXSR, OSXMMEXCPT. */
  public static final long CR4 = 0x620;
  /** EFER: SCE, LME, LMA, NXE. */
  public static final long EFER = 0xd01;
  /** RFLAGS on entry: only the reserved always-one bit. */
  public static final long RFLAGS = 0x2;

  private static final int TSS_SIZE = 104;
  private static final int IO_BITMAP_BYTES = 8192;
  private static final int TSS_LIMIT = TSS_SIZE + IO_BITMAP_BYTES; // includes the 0xFF byte
  private static final int GDT_LIMIT = 7 * 8 - 1;
  private static final int IDT_LIMIT = 256 * 16 - 1;
  private static final int STUB_STRIDE = 16;
  private static final byte OUT_AL_IMM8 = (byte) 0xE6;
  private static final byte HLT = (byte) 0xF4;
  private static final long UPPER_FLAGS = PageKind.P | PageKind.W | PageKind.U;
  private static final int ENTRIES = 512;

  private final LongModeLayout layout;
  private final List<MemoryWrite> writes;

  private LongModeImage(LongModeLayout layout) {
    this.layout = layout;
    this.writes =
        List.of(
            new MemoryWrite("gdt", layout.gdt(), gdt(layout)),
            new MemoryWrite("idt", layout.idt(), idt(layout)),
            new MemoryWrite("tss", layout.tss(), tss(layout)),
            new MemoryWrite("faultStubs", layout.faultStubs(), stubs(layout)),
            new MemoryWrite("pageTables", layout.pageTables(), pageTables(layout)));
  }

  /**
   * Builds the structures for {@code layout}.
   *
   * @param layout a validated layout
   * @return the image
   */
  public static LongModeImage of(LongModeLayout layout) {
    return new LongModeImage(Objects.requireNonNull(layout, "layout"));
  }

  /**
   * The layout this image was built from.
   *
   * @return the layout
   */
  public LongModeLayout layout() {
    return layout;
  }

  /**
   * The bytes to write: gdt, idt, tss (+ I/O bitmap), faultStubs, pageTables.
   *
   * @return the writes
   */
  public List<MemoryWrite> writes() {
    return writes;
  }

  /**
   * Writes every structure into guest memory (the stacks need no contents).
   *
   * @param memory guest memory covering the layout
   * @throws IllegalArgumentException if a structure is not inside one memory region
   */
  public void writeTo(GuestMemory memory) {
    for (MemoryWrite write : writes) {
      write.writeTo(memory);
    }
  }

  /**
   * Where the stubs report.
   *
   * @return ports {@code faultPortBase .. faultPortBase + 31}
   */
  public FaultPorts faultPorts() {
    return new FaultPorts(layout.faultPortBase(), ExceptionVector.COUNT);
  }

  /**
   * The special registers for ring-3 long mode, keeping {@code current}'s APIC base and LDT.
   *
   * @param current the vCPU's present special registers
   * @return paging on (CR3 = PML4), this GDT/IDT/TSS, CS/SS/DS/ES/FS/GS at ring 3
   */
  public SpecialRegisters specialRegisters(SpecialRegisters current) {
    Segment code = new Segment(0, 0xFFFFFFFF, USER_CODE, 0xB, true, 3, false, true, true, true,
        false, false);
    Segment data = new Segment(0, 0xFFFFFFFF, USER_DATA, 0x3, true, 3, true, true, false, true,
        false, false);
    Segment task = new Segment(layout.tss().value(), TSS_LIMIT, TSS_SELECTOR, 0xB, true, 0, false,
        false, false, false, false, false);
    return current.toBuilder()
        .cs(code)
        .ds(data)
        .es(data)
        .fs(data)
        .gs(data)
        .ss(data)
        .tr(task)
        .gdt(new DescriptorTable(layout.gdt().value(), GDT_LIMIT))
        .idt(new DescriptorTable(layout.idt().value(), IDT_LIMIT))
        .cr0(CR0)
        .cr2(0)
        .cr3(layout.pageTables().value())
        .cr4(CR4)
        .efer(EFER)
        .build();
  }

  /**
   * General registers to enter ring-3 code.
   *
   * @param entry the first instruction
   * @param stackTop the initial RSP
   * @return registers with RIP, RSP and RFLAGS set, the rest zero
   */
  public Registers entryRegisters(GuestAddress entry, GuestAddress stackTop) {
    return Registers.builder()
        .rip(entry.value())
        .rsp(stackTop.value())
        .rflags(RFLAGS)
        .build();
  }

  /**
   * The top of the ring-0 stack (TSS.RSP0), where exception frames land.
   *
   * @return {@code ring0Stack + ring0StackSize}
   */
  public GuestAddress ring0StackTop() {
    return layout.ring0Stack().plus(layout.ring0StackSize());
  }

  private static ByteBuffer buffer(long size) {
    return ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] gdt(LongModeLayout layout) {
    ByteBuffer b = buffer(GDT_LIMIT + 1);
    b.putLong(0); // null
    b.putLong(0x00AF9A000000FFFFL); // 0x08 ring-0 code, L=1
    b.putLong(0x00CF92000000FFFFL); // 0x10 ring-0 data
    b.putLong(0x00CFF2000000FFFFL); // 0x18 ring-3 data (selector 0x1b)
    b.putLong(0x00AFFA000000FFFFL); // 0x20 ring-3 code, L=1 (selector 0x23)
    long base = layout.tss().value();
    long low =
        (TSS_LIMIT & 0xFFFFL)
            | ((base & 0xFFFFFFL) << 16)
            | (0x89L << 40) // present, DPL 0, type 9: available 64-bit TSS
            | (((TSS_LIMIT >>> 16) & 0xFL) << 48)
            | (((base >>> 24) & 0xFFL) << 56);
    b.putLong(low); // 0x28 TSS, low half
    b.putLong(base >>> 32); // TSS, high half
    return b.array();
  }

  private static byte[] idt(LongModeLayout layout) {
    ByteBuffer b = buffer(IDT_LIMIT + 1);
    for (int vector = 0; vector < ExceptionVector.COUNT; vector++) {
      long handler = layout.faultStubs().value() + (long) STUB_STRIDE * vector;
      long ist = vector == ExceptionVector.DOUBLE_FAULT.number() ? 1 : 0;
      long low =
          (handler & 0xFFFFL)
              | ((long) KERNEL_CODE << 16)
              | (ist << 32)
              | (0x8EL << 40) // present, DPL 0, 64-bit interrupt gate
              | (((handler >>> 16) & 0xFFFFL) << 48);
      b.putLong(low);
      b.putLong(handler >>> 32);
    }
    return b.array(); // gates 32..255 stay zero: not present
  }

  private static byte[] tss(LongModeLayout layout) {
    ByteBuffer b = buffer(LongModeLayout.TSS_AREA);
    b.putLong(4, layout.ring0Stack().plus(layout.ring0StackSize()).value()); // RSP0
    b.putLong(36, layout.doubleFaultStack().plus(layout.doubleFaultStackSize()).value()); // IST1
    b.putShort(102, (short) TSS_SIZE); // I/O map base
    byte[] bytes = b.array();
    for (int port = 0; port <= 0xFFFF; port++) {
      if (!allowed(layout, port)) {
        bytes[TSS_SIZE + port / 8] |= (byte) (1 << (port % 8));
      }
    }
    bytes[TSS_SIZE + IO_BITMAP_BYTES] = (byte) 0xFF; // the bitmap's required terminator
    return bytes;
  }

  private static boolean allowed(LongModeLayout layout, int port) {
    for (PortRange range : layout.allowedPorts()) {
      if (range.contains(port)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] stubs(LongModeLayout layout) {
    byte[] page = new byte[Math.toIntExact(LongModeLayout.PAGE)];
    java.util.Arrays.fill(page, HLT); // never reached: the host resets registers after a report
    for (int vector = 0; vector < ExceptionVector.COUNT; vector++) {
      page[STUB_STRIDE * vector] = OUT_AL_IMM8;
      page[STUB_STRIDE * vector + 1] = (byte) (layout.faultPortBase() + vector);
    }
    return page;
  }

  /** Identity map of [0, memorySize) in 4 KiB pages with per-page kinds. */
  private static byte[] pageTables(LongModeLayout layout) {
    long memory = layout.memorySize();
    long base = layout.pageTables().value();
    long page = LongModeLayout.PAGE;
    long directories = (memory + (1L << 30) - 1) >>> 30;
    long tables = (memory + (2L << 20) - 1) >>> 21;
    ByteBuffer b = buffer(layout.pageTablesSize());
    long pdpt = base + page;
    long firstPd = base + 2 * page;
    long firstPt = firstPd + directories * page;
    b.putLong(0, pdpt | UPPER_FLAGS); // PML4[0]
    for (int d = 0; d < directories; d++) {
      b.putLong(Math.toIntExact(page + 8L * d), (firstPd + d * page) | UPPER_FLAGS);
    }
    for (long t = 0; t < tables; t++) {
      long pdEntry = 2 * page + 8 * t; // PDs are consecutive, so PD entries are too
      b.putLong(Math.toIntExact(pdEntry), (firstPt + t * page) | UPPER_FLAGS);
    }
    PageKind[] kinds = pageKinds(layout);
    for (int p = 0; p < kinds.length; p++) {
      long entry = kinds[p] == PageKind.NOT_PRESENT ? 0 : ((long) p * page) | kinds[p].entryFlags();
      b.putLong(Math.toIntExact((firstPt - base) + 8L * p), entry);
    }
    return b.array();
  }

  private static PageKind[] pageKinds(LongModeLayout layout) {
    int count = Math.toIntExact(layout.memorySize() / LongModeLayout.PAGE);
    PageKind[] kinds = new PageKind[count];
    java.util.Arrays.fill(kinds, layout.defaultPageKind());
    for (PageRange range : layout.pages()) {
      apply(kinds, range);
    }
    for (PageRange range : layout.supervisorStructures()) {
      apply(kinds, range);
    }
    return kinds;
  }

  private static void apply(PageKind[] kinds, PageRange range) {
    int first = Math.toIntExact(range.start().value() / LongModeLayout.PAGE);
    int count = Math.toIntExact(range.length() / LongModeLayout.PAGE);
    java.util.Arrays.fill(kinds, first, first + count, range.kind());
  }

  @Override
  public String toString() {
    return "LongModeImage" + writes;
  }
}
