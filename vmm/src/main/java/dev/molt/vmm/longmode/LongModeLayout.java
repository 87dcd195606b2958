package dev.molt.vmm.longmode;

import dev.molt.vmm.ExceptionVector;
import dev.molt.vmm.GuestAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the long-mode structures of a ring-3 guest go in guest-physical memory, which is
 * identity-mapped from 0 to {@link #memorySize()}. The caller decides the layout; {@link
 * LongModeImage} builds the contents. Every structure is 4 KiB aligned, inside memory and disjoint
 * from the others; validation messages name the offending field.
 *
 * @param memorySize bytes of guest memory to map (multiple of 4 KiB, at most {@value
 *     #MAX_MEMORY_SIZE})
 * @param gdt the GDT page
 * @param idt the IDT page (256 gates, 4 KiB)
 * @param tss the TSS and its I/O permission bitmap ({@value #TSS_AREA} bytes)
 * @param faultStubs the page of ring-0 exception stubs (vector v at {@code faultStubs + 16 v})
 * @param ring0Stack the base of the ring-0 stack (TSS.RSP0 = base + size)
 * @param ring0StackSize its size
 * @param doubleFaultStack the base of the IST1 stack used for #DF
 * @param doubleFaultStackSize its size
 * @param pageTables where the page tables start (PML4, PDPT, PDs, then PTs; see {@link
 *     #pageTablesSize()})
 * @param faultPortBase the port of vector 0's stub; vectors 0..31 use {@code faultPortBase + v}
 * @param allowedPorts the ports ring 3 may use; all others are denied by the I/O bitmap
 * @param pages how the other pages are mapped; later entries override earlier ones
 * @param defaultPageKind the mapping of pages no entry names
 */
public record LongModeLayout(
    long memorySize,
    GuestAddress gdt,
    GuestAddress idt,
    GuestAddress tss,
    GuestAddress faultStubs,
    GuestAddress ring0Stack,
    long ring0StackSize,
    GuestAddress doubleFaultStack,
    long doubleFaultStackSize,
    GuestAddress pageTables,
    int faultPortBase,
    List<PortRange> allowedPorts,
    List<PageRange> pages,
    PageKind defaultPageKind) {

  /** The page size. */
  public static final long PAGE = 4096;

  /** Bytes used by the TSS (104) plus the I/O bitmap (8192) and its terminating byte, in pages. */
  public static final long TSS_AREA = 3 * PAGE;

  /** The largest memory size whose 4 KiB page tables (8 bytes per page) are built in one array. */
  public static final long MAX_MEMORY_SIZE = 64L << 30;
  private static final long GIB = 1L << 30;
  private static final long TWO_MIB = 2L << 20;

  /**
   * Validates the layout.
   *
   * @throws IllegalArgumentException naming the field that is misaligned, outside memory or
   *     overlapping another, or a fault port that ring 3 would be allowed to use
   */
  public LongModeLayout {
    allowedPorts = List.copyOf(allowedPorts);
    pages = List.copyOf(pages);
    Objects.requireNonNull(defaultPageKind, "defaultPageKind");
    if (memorySize <= 0 || memorySize % PAGE != 0 || memorySize > MAX_MEMORY_SIZE) {
      throw new IllegalArgumentException(
          "memorySize must be a positive multiple of 4 KiB up to 64 GiB: " + memorySize);
    }
    if (faultPortBase < 0 || faultPortBase + ExceptionVector.COUNT - 1 > 0xFF) {
      throw new IllegalArgumentException(
          "faultPortBase must leave room for 32 ports below 0x100: 0x"
              + Integer.toHexString(faultPortBase));
    }
    for (PortRange range : allowedPorts) {
      if (range.first() <= faultPortBase + ExceptionVector.COUNT - 1
          && range.last() >= faultPortBase) {
        throw new IllegalArgumentException(
            "allowedPorts: "
                + range
                + " includes fault-report ports 0x"
                + Integer.toHexString(faultPortBase)
                + "..0x"
                + Integer.toHexString(faultPortBase + ExceptionVector.COUNT - 1)
                + ", which ring 3 must not reach");
      }
    }
    long tablesSize = pageTablesSize(memorySize);
    List<PageRange> structures = new ArrayList<>();
    structures.add(structure("gdt", gdt, PAGE, memorySize));
    structures.add(structure("idt", idt, PAGE, memorySize));
    structures.add(structure("tss", tss, TSS_AREA, memorySize));
    structures.add(structure("faultStubs", faultStubs, PAGE, memorySize));
    structures.add(structure("ring0Stack", ring0Stack, ring0StackSize, memorySize));
    structures.add(structure("doubleFaultStack", doubleFaultStack, doubleFaultStackSize, memorySize));
    structures.add(structure("pageTables", pageTables, tablesSize, memorySize));
    for (int i = 0; i < structures.size(); i++) {
      for (int j = i + 1; j < structures.size(); j++) {
        requireDisjoint(structures.get(i), structures.get(j));
      }
    }
    for (PageRange range : pages) {
      if (Long.compareUnsigned(range.end().value(), memorySize) > 0) {
        throw new IllegalArgumentException(
            "pages: " + describe(range) + " ends beyond memorySize 0x" + Long.toHexString(memorySize));
      }
      for (PageRange structure : structures) {
        requireDisjoint(structure, range);
      }
    }
  }

  private static PageRange structure(String name, GuestAddress at, long size, long memorySize) {
    Objects.requireNonNull(at, name);
    if (!at.isAligned(PAGE)) {
      throw new IllegalArgumentException(name + " must be 4 KiB aligned: " + at);
    }
    if (size <= 0 || size % PAGE != 0) {
      throw new IllegalArgumentException(
          name + " size must be a positive multiple of 4 KiB: " + size);
    }
    if (Long.compareUnsigned(at.value(), memorySize) >= 0
        || Long.compareUnsigned(size, memorySize - at.value()) > 0) {
      throw new IllegalArgumentException(
          name
              + " ("
              + at
              + ", 0x"
              + Long.toHexString(size)
              + " bytes) lies outside guest memory of 0x"
              + Long.toHexString(memorySize)
              + " bytes");
    }
    PageKind kind = name.equals("faultStubs") ? PageKind.SUPERVISOR_CODE : PageKind.SUPERVISOR_DATA;
    return new PageRange(name, at, size, kind);
  }

  private static void requireDisjoint(PageRange a, PageRange b) {
    if (a.start().compareTo(b.end()) < 0 && b.start().compareTo(a.end()) < 0) {
      throw new IllegalArgumentException(describe(a) + " overlaps " + describe(b));
    }
  }

  private static String describe(PageRange range) {
    return range.name() + " [" + range.start() + ", " + range.end() + ")";
  }

  /**
   * The supervisor-only structures with their names and mappings, in field order.
   *
   * @return gdt, idt, tss, faultStubs, ring0Stack, doubleFaultStack, pageTables
   */
  public List<PageRange> supervisorStructures() {
    return List.of(
        new PageRange("gdt", gdt, PAGE, PageKind.SUPERVISOR_DATA),
        new PageRange("idt", idt, PAGE, PageKind.SUPERVISOR_DATA),
        new PageRange("tss", tss, TSS_AREA, PageKind.SUPERVISOR_DATA),
        new PageRange("faultStubs", faultStubs, PAGE, PageKind.SUPERVISOR_CODE),
        new PageRange("ring0Stack", ring0Stack, ring0StackSize, PageKind.SUPERVISOR_DATA),
        new PageRange(
            "doubleFaultStack", doubleFaultStack, doubleFaultStackSize, PageKind.SUPERVISOR_DATA),
        new PageRange("pageTables", pageTables, pageTablesSize(), PageKind.SUPERVISOR_DATA));
  }

  /**
   * Bytes of page tables needed: PML4, PDPT, one PD per GiB and one PT per 2 MiB.
   *
   * @return the size of the page-table area
   */
  public long pageTablesSize() {
    return pageTablesSize(memorySize);
  }

  private static long pageTablesSize(long memorySize) {
    long directories = (memorySize + GIB - 1) / GIB;
    long tables = (memorySize + TWO_MIB - 1) / TWO_MIB;
    return (2 + directories + tables) * PAGE;
  }

  /**
   * A builder; every field without a default must be set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link LongModeLayout}. Defaults: no allowed ports, no page entries, other pages
   * {@link PageKind#USER_DATA}.
   */
  public static final class Builder {
    private long memorySize;
    private @Nullable GuestAddress gdt;
    private @Nullable GuestAddress idt;
    private @Nullable GuestAddress tss;
    private @Nullable GuestAddress faultStubs;
    private @Nullable GuestAddress ring0Stack;
    private long ring0StackSize;
    private @Nullable GuestAddress doubleFaultStack;
    private long doubleFaultStackSize;
    private @Nullable GuestAddress pageTables;
    private int faultPortBase = -1;
    private final List<PortRange> allowedPorts = new ArrayList<>();
    private final List<PageRange> pages = new ArrayList<>();
    private PageKind defaultPageKind = PageKind.USER_DATA;

    private Builder() {}

    /**
     * Sets {@link LongModeLayout#memorySize()}.
     *
     * @param bytes the size
     * @return this builder
     */
    public Builder memorySize(long bytes) {
      this.memorySize = bytes;
      return this;
    }

    /**
     * Sets {@link LongModeLayout#gdt()}.
     *
     * @param address the page
     * @return this builder
     */
    public Builder gdt(long address) {
      this.gdt = GuestAddress.of(address);
      return this;
    }

    /**
     * Sets {@link LongModeLayout#idt()}.
     *
     * @param address the page
     * @return this builder
     */
    public Builder idt(long address) {
      this.idt = GuestAddress.of(address);
      return this;
    }

    /**
     * Sets {@link LongModeLayout#tss()}.
     *
     * @param address the first of its three pages
     * @return this builder
     */
    public Builder tss(long address) {
      this.tss = GuestAddress.of(address);
      return this;
    }

    /**
     * Sets {@link LongModeLayout#faultStubs()} and {@link LongModeLayout#faultPortBase()}.
     *
     * @param address the stub page
     * @param portBase the port of vector 0
     * @return this builder
     */
    public Builder faultStubs(long address, int portBase) {
      this.faultStubs = GuestAddress.of(address);
      this.faultPortBase = portBase;
      return this;
    }

    /**
     * Sets the ring-0 stack.
     *
     * @param base its lowest address
     * @param size its size
     * @return this builder
     */
    public Builder ring0Stack(long base, long size) {
      this.ring0Stack = GuestAddress.of(base);
      this.ring0StackSize = size;
      return this;
    }

    /**
     * Sets the #DF (IST1) stack.
     *
     * @param base its lowest address
     * @param size its size
     * @return this builder
     */
    public Builder doubleFaultStack(long base, long size) {
      this.doubleFaultStack = GuestAddress.of(base);
      this.doubleFaultStackSize = size;
      return this;
    }

    /**
     * Sets {@link LongModeLayout#pageTables()}.
     *
     * @param address where the PML4 goes
     * @return this builder
     */
    public Builder pageTables(long address) {
      this.pageTables = GuestAddress.of(address);
      return this;
    }

    /**
     * Allows ring 3 to use ports {@code first..last}.
     *
     * @param first the first port
     * @param last the last port
     * @return this builder
     */
    public Builder allowPorts(int first, int last) {
      allowedPorts.add(new PortRange(first, last));
      return this;
    }

    /**
     * Maps pages; later calls override earlier ones where they overlap.
     *
     * @param name what the pages are
     * @param start the first page
     * @param length bytes
     * @param kind the mapping
     * @return this builder
     */
    public Builder pages(String name, long start, long length, PageKind kind) {
      pages.add(PageRange.of(name, start, length, kind));
      return this;
    }

    /**
     * Sets {@link LongModeLayout#defaultPageKind()}.
     *
     * @param kind the mapping of unnamed pages
     * @return this builder
     */
    public Builder defaultPageKind(PageKind kind) {
      this.defaultPageKind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the layout
     * @throws IllegalStateException naming a required field that was not set
     * @throws IllegalArgumentException as {@link LongModeLayout} validation does
     */
    public LongModeLayout build() {
      return new LongModeLayout(
          memorySize,
          required("gdt", gdt),
          required("idt", idt),
          required("tss", tss),
          required("faultStubs", faultStubs),
          required("ring0Stack", ring0Stack),
          ring0StackSize,
          required("doubleFaultStack", doubleFaultStack),
          doubleFaultStackSize,
          required("pageTables", pageTables),
          faultPortBase,
          allowedPorts,
          pages,
          defaultPageKind);
    }

    private static GuestAddress required(String field, @Nullable GuestAddress value) {
      if (value == null) {
        throw new IllegalStateException("LongModeLayout." + field + " was not set");
      }
      return value;
    }
  }
}
