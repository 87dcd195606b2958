package dev.molt.vmm.testing;

import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.longmode.LongModeLayout;
import dev.molt.vmm.longmode.PageKind;

/** The reference ring-3 layout shared by the vmm tests, the demo and the C benchmark floor. */
public final class ReferenceLayout {
  /** Test memory size. */
  public static final long TEST_MEMORY = 2L << 20;
  /** The null guard page. */
  public static final long NULL_GUARD = 0x0;
  /** GDT. */
  public static final long GDT = 0x1000;
  /** IDT. */
  public static final long IDT = 0x2000;
  /** TSS + I/O bitmap. */
  public static final long TSS = 0x3000;
  /** Ring-0 stubs. */
  public static final long STUBS = 0x6000;
  /** Ring-0 stack page (top 0x8000). */
  public static final long RING0_STACK = 0x7000;
  /** IST1 stack page (top 0x9000). */
  public static final long IST1_STACK = 0x8000;
  /** PML4. */
  public static final long PAGE_TABLES = 0x9000;
  /** User code, 64 KiB. */
  public static final long USER_CODE = 0x100000;
  /** User data cells. */
  public static final long USER_DATA = 0x110000;
  /** Stack guard page. */
  public static final long STACK_GUARD = 0x1EF000;
  /** User stack base. */
  public static final long STACK = 0x1F0000;
  /** Initial RSP. */
  public static final long STACK_TOP = 0x200000;
  /** First fault-report port (vector 0). */
  public static final int FAULT_PORT_BASE = 0x80;
  /** Host port: "done, value in RAX". */
  public static final int DONE_PORT = 0x10;
  /** Host port: "print". */
  public static final int PRINT_PORT = 0x11;

  private ReferenceLayout() {}

  /** The layout for {@code memorySize} bytes of guest memory at GPA 0. */
  public static LongModeLayout of(long memorySize) {
    return LongModeLayout.builder()
        .memorySize(memorySize)
        .gdt(GDT)
        .idt(IDT)
        .tss(TSS)
        .faultStubs(STUBS, FAULT_PORT_BASE)
        .ring0Stack(RING0_STACK, 0x1000)
        .doubleFaultStack(IST1_STACK, 0x1000)
        .pageTables(PAGE_TABLES)
        .allowPorts(0x00, 0x7F)
        .allowPorts(0xA0, 0xFFFF)
        .pages("null guard", NULL_GUARD, 0x1000, PageKind.NOT_PRESENT)
        .pages("user code", USER_CODE, 0x10000, PageKind.USER_CODE)
        .pages("stack guard", STACK_GUARD, 0x1000, PageKind.NOT_PRESENT)
        .defaultPageKind(PageKind.USER_DATA)
        .build();
  }

  /** Shorthand for an address. */
  public static GuestAddress at(long address) {
    return GuestAddress.of(address);
  }
}
