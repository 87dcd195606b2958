package dev.molt.vmm.internal.sys;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

/**
 * Mirrors of the {@code <linux/kvm.h>} structures the vmm module passes to the kernel, as
 * {@link StructLayout}s with the kernel's field names. A test compiles a C program against the
 * installed headers and compares every size and offset used here.
 */
public final class KvmStructs {
  /** {@code struct kvm_regs}: 18 unsigned 64-bit registers. */
  public static final StructLayout KVM_REGS =
      structLayout(
          JAVA_LONG.withName("rax"),
          JAVA_LONG.withName("rbx"),
          JAVA_LONG.withName("rcx"),
          JAVA_LONG.withName("rdx"),
          JAVA_LONG.withName("rsi"),
          JAVA_LONG.withName("rdi"),
          JAVA_LONG.withName("rsp"),
          JAVA_LONG.withName("rbp"),
          JAVA_LONG.withName("r8"),
          JAVA_LONG.withName("r9"),
          JAVA_LONG.withName("r10"),
          JAVA_LONG.withName("r11"),
          JAVA_LONG.withName("r12"),
          JAVA_LONG.withName("r13"),
          JAVA_LONG.withName("r14"),
          JAVA_LONG.withName("r15"),
          JAVA_LONG.withName("rip"),
          JAVA_LONG.withName("rflags"));

  /** {@code struct kvm_segment}. */
  public static final StructLayout KVM_SEGMENT =
      structLayout(
          JAVA_LONG.withName("base"),
          JAVA_INT.withName("limit"),
          JAVA_SHORT.withName("selector"),
          JAVA_BYTE.withName("type"),
          JAVA_BYTE.withName("present"),
          JAVA_BYTE.withName("dpl"),
          JAVA_BYTE.withName("db"),
          JAVA_BYTE.withName("s"),
          JAVA_BYTE.withName("l"),
          JAVA_BYTE.withName("g"),
          JAVA_BYTE.withName("avl"),
          JAVA_BYTE.withName("unusable"),
          JAVA_BYTE.withName("padding"));

  /** {@code struct kvm_dtable}. */
  public static final StructLayout KVM_DTABLE =
      structLayout(
          JAVA_LONG.withName("base"),
          JAVA_SHORT.withName("limit"),
          sequenceLayout(3, JAVA_SHORT).withName("padding"));

  /** {@code struct kvm_sregs} (x86). */
  public static final StructLayout KVM_SREGS =
      structLayout(
          KVM_SEGMENT.withName("cs"),
          KVM_SEGMENT.withName("ds"),
          KVM_SEGMENT.withName("es"),
          KVM_SEGMENT.withName("fs"),
          KVM_SEGMENT.withName("gs"),
          KVM_SEGMENT.withName("ss"),
          KVM_SEGMENT.withName("tr"),
          KVM_SEGMENT.withName("ldt"),
          KVM_DTABLE.withName("gdt"),
          KVM_DTABLE.withName("idt"),
          JAVA_LONG.withName("cr0"),
          JAVA_LONG.withName("cr2"),
          JAVA_LONG.withName("cr3"),
          JAVA_LONG.withName("cr4"),
          JAVA_LONG.withName("cr8"),
          JAVA_LONG.withName("efer"),
          JAVA_LONG.withName("apic_base"),
          sequenceLayout(4, JAVA_LONG).withName("interrupt_bitmap"));

  /** {@code struct kvm_fpu} (x86). */
  public static final StructLayout KVM_FPU =
      structLayout(
          sequenceLayout(8, sequenceLayout(16, JAVA_BYTE)).withName("fpr"),
          JAVA_SHORT.withName("fcw"),
          JAVA_SHORT.withName("fsw"),
          JAVA_BYTE.withName("ftwx"),
          JAVA_BYTE.withName("pad1"),
          JAVA_SHORT.withName("last_opcode"),
          JAVA_LONG.withName("last_ip"),
          JAVA_LONG.withName("last_dp"),
          sequenceLayout(16, sequenceLayout(16, JAVA_BYTE)).withName("xmm"),
          JAVA_INT.withName("mxcsr"),
          JAVA_INT.withName("pad2"));

  /** {@code struct kvm_userspace_memory_region}. */
  public static final StructLayout KVM_USERSPACE_MEMORY_REGION =
      structLayout(
          JAVA_INT.withName("slot"),
          JAVA_INT.withName("flags"),
          JAVA_LONG.withName("guest_phys_addr"),
          JAVA_LONG.withName("memory_size"),
          JAVA_LONG.withName("userspace_addr"));

  /** {@code struct kvm_dirty_log} (the bitmap pointer as a 64-bit address). */
  public static final StructLayout KVM_DIRTY_LOG =
      structLayout(
          JAVA_INT.withName("slot"),
          JAVA_INT.withName("padding1"),
          JAVA_LONG.withName("dirty_bitmap"));

  /** {@code struct kvm_clear_dirty_log} (the bitmap pointer as a 64-bit address). */
  public static final StructLayout KVM_CLEAR_DIRTY_LOG =
      structLayout(
          JAVA_INT.withName("slot"),
          JAVA_INT.withName("num_pages"),
          JAVA_LONG.withName("first_page"),
          JAVA_LONG.withName("dirty_bitmap"));

  /** {@code struct kvm_enable_cap}. */
  public static final StructLayout KVM_ENABLE_CAP =
      structLayout(
          JAVA_INT.withName("cap"),
          JAVA_INT.withName("flags"),
          sequenceLayout(4, JAVA_LONG).withName("args"),
          sequenceLayout(64, JAVA_BYTE).withName("pad"));

  /** The head of {@code struct kvm_vcpu_events}; only its size is used (sync-regs layout). */
  public static final StructLayout KVM_VCPU_EVENTS = structLayout(paddingLayout(64));

  /** {@code struct kvm_sync_regs} (x86): regs, sregs, events. */
  public static final StructLayout KVM_SYNC_REGS =
      structLayout(
          KVM_REGS.withName("regs"),
          KVM_SREGS.withName("sregs"),
          KVM_VCPU_EVENTS.withName("events"));

  /** The {@code io} member of the exit union of {@code struct kvm_run}. */
  public static final StructLayout KVM_RUN_IO =
      structLayout(
          JAVA_BYTE.withName("direction"),
          JAVA_BYTE.withName("size"),
          JAVA_SHORT.withName("port"),
          JAVA_INT.withName("count"),
          JAVA_LONG.withName("data_offset"));

  /** The {@code mmio} member of the exit union of {@code struct kvm_run}. */
  public static final StructLayout KVM_RUN_MMIO =
      structLayout(
          JAVA_LONG.withName("phys_addr"),
          sequenceLayout(8, JAVA_BYTE).withName("data"),
          JAVA_INT.withName("len"),
          JAVA_BYTE.withName("is_write"),
          paddingLayout(3));

  /** The {@code fail_entry} member of the exit union of {@code struct kvm_run}. */
  public static final StructLayout KVM_RUN_FAIL_ENTRY =
      structLayout(
          JAVA_LONG.withName("hardware_entry_failure_reason"), JAVA_INT.withName("cpu"),
          paddingLayout(4));

  /** Size of the exit-information union of {@code struct kvm_run}. */
  public static final long KVM_RUN_EXIT_UNION_SIZE = 256;

  /** Size of the {@code s} (sync registers) union of {@code struct kvm_run}. */
  public static final long KVM_RUN_SYNC_UNION_SIZE = 2048;

  /** {@code struct kvm_run} (x86): the fields used, the exit union and the sync-regs union. */
  public static final StructLayout KVM_RUN =
      structLayout(
          JAVA_BYTE.withName("request_interrupt_window"),
          JAVA_BYTE.withName("immediate_exit"),
          paddingLayout(6),
          JAVA_INT.withName("exit_reason"),
          JAVA_BYTE.withName("ready_for_interrupt_injection"),
          JAVA_BYTE.withName("if_flag"),
          JAVA_SHORT.withName("flags"),
          JAVA_LONG.withName("cr8"),
          JAVA_LONG.withName("apic_base"),
          paddingLayout(KVM_RUN_EXIT_UNION_SIZE).withName("exit"),
          JAVA_LONG.withName("kvm_valid_regs"),
          JAVA_LONG.withName("kvm_dirty_regs"),
          paddingLayout(KVM_RUN_SYNC_UNION_SIZE).withName("s"));

  /** Offset of {@code immediate_exit} in {@code struct kvm_run}. */
  public static final long RUN_IMMEDIATE_EXIT = offset(KVM_RUN, "immediate_exit");
  /** Offset of {@code exit_reason} in {@code struct kvm_run}. */
  public static final long RUN_EXIT_REASON = offset(KVM_RUN, "exit_reason");
  /** Offset of the exit union in {@code struct kvm_run}. */
  public static final long RUN_EXIT_UNION = offset(KVM_RUN, "exit");
  /** Offset of {@code kvm_valid_regs} in {@code struct kvm_run}. */
  public static final long RUN_VALID_REGS = offset(KVM_RUN, "kvm_valid_regs");
  /** Offset of {@code kvm_dirty_regs} in {@code struct kvm_run}. */
  public static final long RUN_DIRTY_REGS = offset(KVM_RUN, "kvm_dirty_regs");
  /** Offset of {@code s.regs} ({@code struct kvm_sync_regs}) in {@code struct kvm_run}. */
  public static final long RUN_SYNC_REGS = offset(KVM_RUN, "s");
  /** Offset of {@code s.regs.regs} in {@code struct kvm_run}. */
  public static final long RUN_SYNC_GENERAL = RUN_SYNC_REGS + offset(KVM_SYNC_REGS, "regs");
  /** Offset of {@code s.regs.sregs} in {@code struct kvm_run}. */
  public static final long RUN_SYNC_SPECIAL = RUN_SYNC_REGS + offset(KVM_SYNC_REGS, "sregs");

  private KvmStructs() {}

  /**
   * The byte offset of a (possibly nested) named field.
   *
   * @param layout the structure
   * @param path field names from the outermost structure inwards
   * @return the offset in bytes
   */
  public static long offset(MemoryLayout layout, String... path) {
    PathElement[] elements = new PathElement[path.length];
    for (int i = 0; i < path.length; i++) {
      elements[i] = PathElement.groupElement(path[i]);
    }
    return layout.byteOffset(elements);
  }
}
