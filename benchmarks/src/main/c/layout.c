/*
 * Builds the reference ring-3 layout. Pure byte construction: no syscalls, no globals, so the
 * image is reproducible and can be compared with the Java vmm's image byte for byte.
 */
#include "layout.h"

#include <string.h>

#define PAGE_SIZE   0x1000u
#define TWO_MIB     0x200000u
/* Page tables start at LAYOUT_PT and must end below the user code at 1 MiB. */
#define MAX_MEMORY  (64u * TWO_MIB)

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, sizeof v); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, sizeof v); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, sizeof v); }

/* An 8-byte code/data descriptor: base, 20-bit limit, access byte, flags nibble (G, D/B, L, AVL). */
static uint64_t segment_descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    return (uint64_t) (limit & 0xFFFFu)
        | ((uint64_t) (base & 0xFFFFFFu) << 16)
        | ((uint64_t) access << 40)
        | ((uint64_t) ((limit >> 16) & 0xFu) << 48)
        | ((uint64_t) (flags & 0xFu) << 52)
        | ((uint64_t) ((base >> 24) & 0xFFu) << 56);
}

static void write_gdt(uint8_t *mem)
{
    uint8_t *gdt = mem + LAYOUT_GDT;
    put64(gdt + 0x00, 0);                                               /* null */
    put64(gdt + SEL_KERNEL_CODE, segment_descriptor(0, 0xFFFFF, 0x9A, 0xA)); /* ring-0 code64 */
    put64(gdt + SEL_KERNEL_DATA, segment_descriptor(0, 0xFFFFF, 0x92, 0xC)); /* ring-0 data */
    put64(gdt + (SEL_USER_DATA & ~3u), segment_descriptor(0, 0xFFFFF, 0xF2, 0xC)); /* ring-3 data */
    put64(gdt + (SEL_USER_CODE & ~3u), segment_descriptor(0, 0xFFFFF, 0xFA, 0xA)); /* ring-3 code64 */
    /* 16-byte available 64-bit TSS descriptor (type 9, present, DPL 0); upper base bits are 0. */
    put64(gdt + SEL_TSS, segment_descriptor(LAYOUT_TSS, TSS_TOTAL_SIZE - 1u, 0x89, 0x0));
    put64(gdt + SEL_TSS + 8, 0);
}

/* Vectors 0..31 get DPL-0 64-bit interrupt gates to their stubs; #DF (8) uses IST1.
 * Vectors 32..255 stay zero (not present): nothing in the layout raises them. */
static void write_idt(uint8_t *mem)
{
    for (uint32_t v = 0; v < FAULT_VECTORS; v++) {
        uint8_t *gate = mem + LAYOUT_IDT + 16u * v;
        uint64_t target = LAYOUT_STUBS + 16u * v;
        put16(gate + 0, (uint16_t) (target & 0xFFFFu));
        put16(gate + 2, SEL_KERNEL_CODE);
        gate[4] = v == 8 ? 1 : 0;                 /* IST index */
        gate[5] = 0x8E;                           /* present, DPL 0, 64-bit interrupt gate */
        put16(gate + 6, (uint16_t) ((target >> 16) & 0xFFFFu));
        put32(gate + 8, (uint32_t) (target >> 32));
        put32(gate + 12, 0);
    }
}

static void write_tss(uint8_t *mem)
{
    uint8_t *tss = mem + LAYOUT_TSS;
    put64(tss + 4, LAYOUT_RSP0);                  /* RSP0 */
    put64(tss + 36, LAYOUT_IST1_TOP);             /* IST1 */
    put16(tss + 102, TSS_HEADER_SIZE);            /* I/O map base: right after the header */
    uint8_t *iomap = tss + TSS_HEADER_SIZE;
    /* Deny ports 0x80..0x9F (the fault-report ports) to ring 3; allow all others. */
    for (uint32_t port = FAULT_PORT_BASE; port < FAULT_PORT_BASE + FAULT_VECTORS; port++) {
        iomap[port / 8u] |= (uint8_t) (1u << (port % 8u));
    }
    iomap[TSS_IOMAP_SIZE] = 0xFF;                 /* terminator byte after the bitmap */
}

static void write_stubs(uint8_t *mem)
{
    /* The rest of the page is `hlt` (0xF4), as Molt's vmm writes it: never reached (the host
     * resets the registers after a report), but a stub that ran on would stop at once. */
    memset(mem + LAYOUT_STUBS, 0xF4, PAGE_SIZE);
    for (uint32_t v = 0; v < FAULT_VECTORS; v++) {
        uint8_t *stub = mem + LAYOUT_STUBS + 16u * v;
        stub[0] = 0xE6;                           /* out %al, $imm8 */
        stub[1] = (uint8_t) (FAULT_PORT_BASE + v);
    }
}

/* Flags of the 4 KiB page at `gpa`; `pt_end` is the end of the page-table area. */
static uint64_t page_flags(uint64_t gpa, uint64_t pt_end)
{
    if (gpa == 0 || gpa == LAYOUT_STACK_GUARD) {
        return 0;                                 /* guard pages: not present */
    }
    if (gpa == LAYOUT_STUBS) {
        return PTE_P;                             /* ring-0 code: supervisor, read-only, executable */
    }
    if (gpa < pt_end) {
        return PTE_NX | PTE_P | PTE_W;            /* GDT, IDT, TSS, stacks, page tables */
    }
    if (gpa >= LAYOUT_USER_CODE && gpa < LAYOUT_USER_CODE + LAYOUT_USER_CODE_SIZE) {
        return PTE_P | PTE_U;                     /* user code: read-only, executable */
    }
    return PTE_NX | PTE_P | PTE_W | PTE_U;        /* cells, stack, all other user data */
}

static void write_page_tables(uint8_t *mem, size_t size)
{
    const uint64_t upper = PTE_P | PTE_W | PTE_U;
    size_t tables = size / TWO_MIB;
    uint64_t pt_end = LAYOUT_PT + (uint64_t) tables * PAGE_SIZE;
    put64(mem + LAYOUT_PML4, LAYOUT_PDPT | upper);
    put64(mem + LAYOUT_PDPT, LAYOUT_PD | upper);
    for (size_t t = 0; t < tables; t++) {
        uint64_t pt = LAYOUT_PT + (uint64_t) t * PAGE_SIZE;
        put64(mem + LAYOUT_PD + 8u * t, pt | upper);
        for (uint64_t i = 0; i < 512u; i++) {
            uint64_t gpa = (uint64_t) t * TWO_MIB + i * PAGE_SIZE;
            uint64_t flags = page_flags(gpa, pt_end);
            put64(mem + pt + 8u * i, flags == 0 ? 0 : gpa | flags);
        }
    }
}

/* The benchmark user code; entry offsets match the ENTRY_* constants in layout.h. */
static const uint8_t USER_CODE[] = {
    /* +0x00 ENTRY_FIRST_EXIT: mov $42,%eax; out %al,$0x10; ud2 */
    0xB8, 0x2A, 0x00, 0x00, 0x00, 0xE6, 0x10, 0x0F, 0x0B,
    0, 0, 0, 0, 0, 0, 0,
    /* +0x10 ENTRY_IO_LOOP: 1: out %al,$0x10; jmp 1b */
    0xE6, 0x10, 0xEB, 0xFC,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* +0x20 ENTRY_ECHO_RDI: mov %rdi,%rax; out %al,$0x10; ud2 */
    0x48, 0x89, 0xF8, 0xE6, 0x10, 0x0F, 0x0B,
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* +0x30 ENTRY_UD2: ud2 */
    0x0F, 0x0B,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* +0x40 ENTRY_SPIN: jmp . */
    0xEB, 0xFE,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* +0x50 ENTRY_CELLS_LOOP: 1: mov 0x110000,%rax; inc %rax; mov %rax,0x110008;
     *                            out %al,$0x10; jmp 1b */
    0x48, 0x8B, 0x04, 0x25, 0x00, 0x00, 0x11, 0x00,
    0x48, 0xFF, 0xC0,
    0x48, 0x89, 0x04, 0x25, 0x08, 0x00, 0x11, 0x00,
    0xE6, 0x10,
    0xEB, 0xE9,
};

size_t layout_user_code_size(void)
{
    return sizeof USER_CODE;
}

int layout_build(uint8_t *mem, size_t size)
{
    if (size < LAYOUT_MIN_MEMORY || size > MAX_MEMORY || size % TWO_MIB != 0) {
        return -1;
    }
    write_gdt(mem);
    write_idt(mem);
    write_tss(mem);
    write_stubs(mem);
    write_page_tables(mem, size);
    memcpy(mem + LAYOUT_USER_CODE, USER_CODE, sizeof USER_CODE);
    return 0;
}

static struct kvm_segment flat_segment(uint16_t selector, uint8_t type, uint8_t dpl, int code64)
{
    struct kvm_segment s;
    memset(&s, 0, sizeof s);
    s.base = 0;
    s.limit = 0xFFFFFFFFu;
    s.selector = selector;
    s.type = type;
    s.present = 1;
    s.dpl = dpl;
    s.db = code64 ? 0 : 1;
    s.s = 1;
    s.l = code64 ? 1 : 0;
    s.g = 1;
    return s;
}

void layout_sregs(struct kvm_sregs *sregs)
{
    memset(sregs, 0, sizeof *sregs);
    sregs->cs = flat_segment(SEL_USER_CODE, 0xB, 3, 1);  /* execute/read, accessed */
    struct kvm_segment data = flat_segment(SEL_USER_DATA, 0x3, 3, 0); /* read/write, accessed */
    sregs->ds = data;
    sregs->es = data;
    sregs->fs = data;
    sregs->gs = data;
    sregs->ss = data;
    sregs->tr.base = LAYOUT_TSS;
    sregs->tr.limit = TSS_TOTAL_SIZE - 1u;
    sregs->tr.selector = SEL_TSS;
    sregs->tr.type = 0xB;                                 /* busy 64-bit TSS */
    sregs->tr.present = 1;
    sregs->ldt.type = 0x2;
    sregs->ldt.unusable = 1;
    sregs->gdt.base = LAYOUT_GDT;
    sregs->gdt.limit = SEL_TSS + 16u - 1u;
    sregs->idt.base = LAYOUT_IDT;
    sregs->idt.limit = 256u * 16u - 1u;
    sregs->cr0 = LAYOUT_CR0;
    sregs->cr3 = LAYOUT_CR3;
    sregs->cr4 = LAYOUT_CR4;
    sregs->efer = LAYOUT_EFER;
    sregs->apic_base = 0xFEE00900u;                       /* the reset value: enabled, BSP */
}

void layout_regs(struct kvm_regs *regs, uint64_t rip)
{
    memset(regs, 0, sizeof *regs);
    regs->rip = rip;
    regs->rsp = LAYOUT_USER_RSP;
    regs->rflags = 0x2;
}
