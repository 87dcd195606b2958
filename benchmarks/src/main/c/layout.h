/*
 * The reference ring-3 guest layout (docs: docs/reference-layout.md, summarised in
 * benchmarks/README.md). This unit only builds bytes and register values; it makes no
 * syscall, so the image it writes can be compared byte for byte with the one Molt's Java
 * vmm builds (see `floor dump-image`).
 */
#ifndef MOLT_FLOOR_LAYOUT_H
#define MOLT_FLOOR_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

/* Guest-physical addresses of the reference layout. */
#define LAYOUT_GDT          0x1000u
#define LAYOUT_IDT          0x2000u
#define LAYOUT_TSS          0x3000u
#define LAYOUT_STUBS        0x6000u
#define LAYOUT_RING0_STACK  0x7000u   /* page; top (TSS.RSP0) is LAYOUT_RSP0 */
#define LAYOUT_RSP0         0x8000u
#define LAYOUT_IST1_STACK   0x8000u   /* page; top (TSS.IST1) is LAYOUT_IST1_TOP */
#define LAYOUT_IST1_TOP     0x9000u
#define LAYOUT_PML4         0x9000u
#define LAYOUT_PDPT         0xA000u
#define LAYOUT_PD           0xB000u
#define LAYOUT_PT           0xC000u
#define LAYOUT_USER_CODE    0x100000u
#define LAYOUT_USER_CODE_SIZE 0x10000u
#define LAYOUT_CELLS        0x110000u
#define LAYOUT_STACK_GUARD  0x1EF000u
#define LAYOUT_USER_STACK   0x1F0000u
#define LAYOUT_USER_RSP     0x200000u
#define LAYOUT_MIN_MEMORY   0x200000u  /* the fixed structures end at 2 MiB */

/* Segment selectors. */
#define SEL_KERNEL_CODE 0x08u
#define SEL_KERNEL_DATA 0x10u
#define SEL_USER_DATA   0x1bu
#define SEL_USER_CODE   0x23u
#define SEL_TSS         0x28u

/* TSS: 104-byte header, 8 KiB I/O permission bitmap, then the required 0xFF byte. */
#define TSS_HEADER_SIZE   104u
#define TSS_IOMAP_SIZE    8192u
#define TSS_TOTAL_SIZE    (TSS_HEADER_SIZE + TSS_IOMAP_SIZE + 1u)
#define FAULT_PORT_BASE   0x80u   /* stub for vector v writes to port 0x80 + v */
#define FAULT_VECTORS     32u

/* Host ports. */
#define PORT_DONE  0x10u
#define PORT_PRINT 0x11u

/* Page-table entry flags. */
#define PTE_P  (1ull << 0)
#define PTE_W  (1ull << 1)
#define PTE_U  (1ull << 2)
#define PTE_NX (1ull << 63)

/* Control registers. */
#define LAYOUT_EFER 0xd01ull
#define LAYOUT_CR0  0x80050033ull
#define LAYOUT_CR4  0x620ull
#define LAYOUT_CR3  ((uint64_t) LAYOUT_PML4)

/* Entry points of the benchmark user code (ring 3), offsets fixed by layout_user_code(). */
#define ENTRY_FIRST_EXIT  (LAYOUT_USER_CODE + 0x00u) /* mov $42,%eax; out %al,$0x10 */
#define ENTRY_IO_LOOP     (LAYOUT_USER_CODE + 0x10u) /* 1: out %al,$0x10; jmp 1b */
#define ENTRY_ECHO_RDI    (LAYOUT_USER_CODE + 0x20u) /* mov %rdi,%rax; out %al,$0x10 */
#define ENTRY_UD2         (LAYOUT_USER_CODE + 0x30u) /* ud2 */
#define ENTRY_SPIN        (LAYOUT_USER_CODE + 0x40u) /* jmp . */
#define ENTRY_CELLS_LOOP  (LAYOUT_USER_CODE + 0x50u) /* 1: rax=[cell0]; rax++; [cell1]=rax; out; jmp 1b */
#define FIRST_EXIT_VALUE  42u

/*
 * Writes the whole reference layout (GDT, IDT, TSS + I/O bitmap, ring-0 stubs, page tables,
 * benchmark user code) into `mem`, which must be `size` bytes of zeroed memory.
 * `size` must be a multiple of 2 MiB, at least 2 MiB and at most 1 GiB (one PD).
 * Returns 0, or -1 when `size` is out of range (nothing is written then).
 */
int layout_build(uint8_t *mem, size_t size);

/* The ring-3 entry state: special registers (CR*, EFER, segments, GDT/IDT, TR). */
void layout_sregs(struct kvm_sregs *sregs);

/* The ring-3 entry state: general registers with RIP = `rip`, RSP at the user stack top. */
void layout_regs(struct kvm_regs *regs, uint64_t rip);

/* Size in bytes of the benchmark user code written at LAYOUT_USER_CODE. */
size_t layout_user_code_size(void);

#endif
