package dev.molt.benchmarks.driver;

import dev.molt.vmm.DescriptorTable;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Segment;
import dev.molt.vmm.SpecialRegisters;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuExit;
import dev.molt.vmm.VirtualMachine;
import dev.molt.vmm.longmode.LongModeImage;
import dev.molt.vmm.longmode.LongModeLayout;
import dev.molt.vmm.longmode.PageKind;

/**
 * The reference ring-3 layout of the benchmarks (docs/reference-layout.md) built with vmm's public
 * long-mode API, for 16 MiB of guest memory: the same bytes and entry registers as the native
 * floor's {@code layout.c} ({@code ReferenceGuestTest} compares them with {@code floor dump-image}
 * and {@code floor dump-registers} byte for byte).
 */
public final class ReferenceGuest {
  /** Guest memory of every benchmark VM: 16 MiB at GPA 0. */
  public static final long MEMORY_SIZE = 16L << 20;
  /** The ring-3 code page. */
  public static final long USER_CODE = 0x100000;
  /** The cell the host writes in memory-cells. */
  public static final long CELL_IN = 0x110000;
  /** The cell the guest writes in memory-cells. */
  public static final long CELL_OUT = 0x110008;
  /** The initial RSP (top of the user stack). */
  public static final long STACK_TOP = 0x200000;
  /** The host port the user code reports on. */
  public static final int DONE_PORT = 0x10;
  /** The port of vector 0's ring-0 stub. */
  public static final int FAULT_PORT_BASE = 0x80;
  /** {@code mov $42,%eax; out %al,$0x10; ud2}. */
  public static final long ENTRY_FIRST_EXIT = USER_CODE;
  /** {@code 1: out %al,$0x10; jmp 1b}. */
  public static final long ENTRY_IO_LOOP = USER_CODE + 0x10;
  /** {@code mov %rdi,%rax; out %al,$0x10; ud2}. */
  public static final long ENTRY_ECHO_RDI = USER_CODE + 0x20;
  /** {@code ud2}. */
  public static final long ENTRY_UD2 = USER_CODE + 0x30;
  /** {@code jmp .}. */
  public static final long ENTRY_SPIN = USER_CODE + 0x40;
  /** {@code 1: mov 0x110000,%rax; inc %rax; mov %rax,0x110008; out %al,$0x10; jmp 1b}. */
  public static final long ENTRY_CELLS_LOOP = USER_CODE + 0x50;
  /** RAX at the first exit. */
  public static final long FIRST_EXIT_VALUE = 42;
  /** The APIC base MSR after reset: enabled, bootstrap processor. */
  public static final long APIC_BASE = 0xFEE00900L;

  /** The layout: the reference one for 16 MiB; ring 3 may use every port except 0x80..0x9F. */
  static final LongModeLayout LAYOUT =
      LongModeLayout.builder()
          .memorySize(MEMORY_SIZE)
          .gdt(0x1000)
          .idt(0x2000)
          .tss(0x3000)
          .faultStubs(0x6000, FAULT_PORT_BASE)
          .ring0Stack(0x7000, 0x1000)
          .doubleFaultStack(0x8000, 0x1000)
          .pageTables(0x9000)
          .allowPorts(0x00, FAULT_PORT_BASE - 1)
          .allowPorts(FAULT_PORT_BASE + 32, 0xFFFF)
          .pages("null guard", 0x0, 0x1000, PageKind.NOT_PRESENT)
          .pages("user code", USER_CODE, 0x10000, PageKind.USER_CODE)
          .pages("stack guard", 0x1EF000, 0x1000, PageKind.NOT_PRESENT)
          .defaultPageKind(PageKind.USER_DATA)
          .build();

  /** Built once; written into every VM (as the floor's layout_build writes every VM). */
  static final LongModeImage IMAGE = LongModeImage.of(LAYOUT);

  /** The benchmark user code, byte for byte the floor's {@code USER_CODE} (layout.c). */
  private static final byte[] CODE = {
    // +0x00 mov $42,%eax; out %al,$0x10; ud2
    (byte) 0xB8, 0x2A, 0x00, 0x00, 0x00, (byte) 0xE6, 0x10, 0x0F, 0x0B,
    0, 0, 0, 0, 0, 0, 0,
    // +0x10 1: out %al,$0x10; jmp 1b
    (byte) 0xE6, 0x10, (byte) 0xEB, (byte) 0xFC,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // +0x20 mov %rdi,%rax; out %al,$0x10; ud2
    0x48, (byte) 0x89, (byte) 0xF8, (byte) 0xE6, 0x10, 0x0F, 0x0B,
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    // +0x30 ud2
    0x0F, 0x0B,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // +0x40 jmp .
    (byte) 0xEB, (byte) 0xFE,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // +0x50 1: mov 0x110000,%rax; inc %rax; mov %rax,0x110008; out %al,$0x10; jmp 1b
    0x48, (byte) 0x8B, 0x04, 0x25, 0x00, 0x00, 0x11, 0x00,
    0x48, (byte) 0xFF, (byte) 0xC0,
    0x48, (byte) 0x89, 0x04, 0x25, 0x08, 0x00, 0x11, 0x00,
    (byte) 0xE6, 0x10,
    (byte) 0xEB, (byte) 0xE9,
  };

  /**
   * The ring-3 entry special registers: {@link LongModeImage#specialRegisters} over a base that
   * holds what the floor's {@code layout_sregs} sets and the image does not (LDT unusable, the
   * reset APIC base), so no KVM_GET_SREGS is needed.
   */
  static final SpecialRegisters SPECIAL = IMAGE.specialRegisters(base());

  private static final GuestAddress STACK = GuestAddress.of(STACK_TOP);

  private ReferenceGuest() {}

  private static SpecialRegisters base() {
    Segment none = new Segment(0, 0, 0, 0, false, 0, false, false, false, false, false, false);
    Segment ldt = new Segment(0, 0, 0, 0x2, false, 0, false, false, false, false, false, true);
    DescriptorTable empty = new DescriptorTable(0, 0);
    return new SpecialRegisters(
        none, none, none, none, none, none, none, ldt, empty, empty, 0, 0, 0, 0, 0, 0, APIC_BASE);
  }

  /**
   * The benchmark user code.
   *
   * @return a copy of the bytes written at {@link #USER_CODE}
   */
  public static byte[] userCode() {
    return CODE.clone();
  }

  /**
   * General registers entering ring 3 at {@code rip}: RSP at the stack top, RFLAGS 0x2, the rest
   * zero (the floor's {@code layout_regs}).
   *
   * @param rip the entry point
   * @return the registers
   */
  static Registers entry(long rip) {
    return IMAGE.entryRegisters(GuestAddress.of(rip), STACK);
  }

  /**
   * Registers 16 MiB at GPA 0 in {@code vm} and writes the layout and the user code into it.
   *
   * @param vm a VM without memory
   */
  static void addMemoryWithImage(VirtualMachine vm) {
    vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), MEMORY_SIZE));
    IMAGE.writeTo(vm.memory());
    vm.memory().write(GuestAddress.of(USER_CODE), CODE);
  }

  /**
   * Points {@code vcpu} at ring 3 {@code rip}: fault ports, special and general registers (through
   * {@code kvm_run->s.regs}, applied by the next KVM_RUN).
   *
   * @param vcpu a vCPU of a VM prepared by {@link #addMemoryWithImage(VirtualMachine)}
   * @param rip the entry point
   */
  static void enter(Vcpu vcpu, long rip) {
    vcpu.reportFaultsOn(IMAGE.faultPorts());
    vcpu.setSpecialRegisters(SPECIAL);
    vcpu.setRegisters(entry(rip));
  }

  /**
   * Checks that an exit is the user code's one-byte {@code out} to {@link #DONE_PORT}.
   *
   * @param exit the exit
   * @param scenario the scenario, for the message
   * @throws IllegalStateException for any other exit
   */
  static void expectDone(VcpuExit exit, String scenario) {
    if (!(exit instanceof VcpuExit.IoOut out) || out.port() != DONE_PORT || out.size() != 1) {
      throw new IllegalStateException(
          scenario + ": expected a 1-byte out to port 0x10, got " + exit);
    }
  }
}
