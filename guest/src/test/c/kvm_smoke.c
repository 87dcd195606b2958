/*
 * KVM smoke check of the guest runtime (not part of the Maven build; `make kvm-smoke`):
 * boots a test guest ELF in ring 3 on /dev/kvm with a minimal supervisor (GDT, IDT whose
 * stubs report vector v on port 0x80+v, TSS whose I/O bitmap allows only ports 0x10..0x12,
 * identity-mapped 4 KiB pages) laid out as in docs/guest-abi.md, then makes calls and checks
 * each outcome. The `states` module owns the real host side; this only shows the runtime
 * works on real KVM. Prints one line per case and "N passed, N failed".
 *
 * usage: kvm_smoke behaviours.elf
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "frames.h"
#include "molt_guest.h"

#define MEMORY (32u << 20)
#define PAGE 4096u
#define P 1ull
#define W 2ull
#define U 4ull
#define NX (1ull << 63)
#define BOOT 0x100000u
#define PT_BASE 0xC000u

static uint8_t *mem;
static int vm, vcpu;
static struct kvm_run *run;
static struct kvm_sregs ring3_sregs;
static molt_boot_block *boot;
static uint64_t dispatch_addr;
static int passed, failed;

static void die(const char *what) {
    perror(what);
    exit(2);
}

static void map(uint64_t addr, uint64_t size, uint64_t flags) {
    for (uint64_t a = addr & ~(uint64_t)(PAGE - 1); a < addr + size; a += PAGE)
        ((uint64_t *)(mem + PT_BASE))[a / PAGE] = flags ? (a | flags) : 0;
}

static uint64_t page_up(uint64_t x) { return (x + PAGE - 1) & ~(uint64_t)(PAGE - 1); }

static void setup_supervisor(void) {
    uint64_t *gdt = (uint64_t *)(mem + 0x1000);
    gdt[1] = 0x00AF9A000000FFFFull; /* 0x08 ring-0 code64 */
    gdt[2] = 0x00CF92000000FFFFull; /* 0x10 ring-0 data */
    gdt[3] = 0x00CFF2000000FFFFull; /* 0x18 ring-3 data */
    gdt[4] = 0x00AFFA000000FFFFull; /* 0x20 ring-3 code64 */
    uint64_t tss = 0x3000, limit = 104 + 8192;
    gdt[5] = (limit & 0xFFFF) | ((tss & 0xFFFFFF) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xF) << 48) | (((tss >> 24) & 0xFF) << 56);
    gdt[6] = tss >> 32;
    uint8_t *t = mem + tss;
    uint64_t rsp0 = 0x8000, ist1 = 0x9000;
    memcpy(t + 4, &rsp0, 8);
    memcpy(t + 36, &ist1, 8);
    uint16_t iomap = 104;
    memcpy(t + 102, &iomap, 2);
    memset(t + 104, 0xFF, 8192 + 1); /* every port denied ... */
    for (int port = 0x10; port <= 0x12; port++) t[104 + port / 8] &= (uint8_t)~(1u << (port % 8));
    for (int v = 0; v < 32; v++) {   /* ... stubs: out %al, $(0x80+v) */
        uint64_t stub = 0x6000 + 16 * v;
        mem[stub] = 0xE6;
        mem[stub + 1] = (uint8_t)(0x80 + v);
        uint8_t *g = mem + 0x2000 + 16 * v;
        uint16_t lo = stub & 0xFFFF, mid = (stub >> 16) & 0xFFFF, sel = 0x08;
        uint32_t hi = (uint32_t)(stub >> 32);
        memcpy(g, &lo, 2);
        memcpy(g + 2, &sel, 2);
        g[4] = v == 8 ? 1 : 0;
        g[5] = 0x8E;
        memcpy(g + 6, &mid, 2);
        memcpy(g + 8, &hi, 4);
    }
    uint64_t *pml4 = (uint64_t *)(mem + 0x9000), *pdpt = (uint64_t *)(mem + 0xA000);
    uint64_t *pd = (uint64_t *)(mem + 0xB000);
    pml4[0] = 0xA000 | P | W | U;
    pdpt[0] = 0xB000 | P | W | U;
    for (uint64_t i = 0; i < MEMORY / (2u << 20); i++) pd[i] = (PT_BASE + i * PAGE) | P | W | U;
    map(0x1000, 0x5000, NX | P | W); /* GDT, IDT, TSS */
    map(0x6000, PAGE, P);            /* stubs */
    map(0x7000, 0x2000, NX | P | W); /* ring-0 stack, IST1 */
    map(0x9000, 0x3000 + (MEMORY / (2u << 20)) * PAGE, NX | P | W);
}

/* Loads the ELF's PT_LOAD segments; returns the first page after the image. */
static uint64_t load_elf(const char *path, uint64_t *entry) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    static uint8_t file[1 << 20];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)file;
    uint64_t end = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr *ph = (Elf64_Phdr *)(file + eh->e_phoff + i * eh->e_phentsize);
        if (ph->p_type != PT_LOAD) continue;
        if (ph->p_offset + ph->p_filesz > n || ph->p_vaddr + ph->p_memsz > MEMORY) die("segment");
        memcpy(mem + ph->p_vaddr, file + ph->p_offset, ph->p_filesz);
        uint64_t flags = P | U | ((ph->p_flags & PF_W) ? W : 0) | ((ph->p_flags & PF_X) ? 0 : NX);
        map(ph->p_vaddr, ph->p_memsz, flags);
        if (page_up(ph->p_vaddr + ph->p_memsz) > end) end = page_up(ph->p_vaddr + ph->p_memsz);
    }
    *entry = eh->e_entry;
    return end;
}

static void setup_areas(uint64_t image_end) {
    boot = (molt_boot_block *)(mem + BOOT);
    uint64_t stack = image_end + PAGE, stack_size = 64 * 1024; /* guard page at image_end */
    uint64_t input = stack + stack_size, io_size = (1u << 20) + PAGE;
    uint64_t output = input + io_size, heap = output + io_size;
    *boot = (molt_boot_block){.magic = 0x544F4F42544C4F4DULL, .abi_version = 1,
                              .memory_size = MEMORY, .input_addr = input, .input_size = io_size,
                              .output_addr = output, .output_size = io_size, .heap_addr = heap,
                              .heap_size = MEMORY - heap, .stack_top = stack + stack_size,
                              .stack_size = stack_size, .log_level = 2};
    map(BOOT, PAGE, NX | P | U);
    map(image_end, PAGE, 0);
    map(stack, MEMORY - stack, NX | P | W | U);
}

static void setup_vcpu(void) {
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("/dev/kvm");
    vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) die("KVM_CREATE_VM");
    mem = mmap(NULL, MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    struct kvm_userspace_memory_region region = {0, 0, 0, MEMORY, (uintptr_t)mem};
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
    vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) die("KVM_CREATE_VCPU");
    int size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (ioctl(vcpu, KVM_GET_SREGS, &ring3_sregs) < 0) die("KVM_GET_SREGS");
    struct kvm_segment code = {.base = 0, .limit = 0xFFFFFFFF, .selector = 0x23, .type = 11,
                               .present = 1, .dpl = 3, .s = 1, .l = 1, .g = 1};
    struct kvm_segment data = {.base = 0, .limit = 0xFFFFFFFF, .selector = 0x1B, .type = 3,
                               .present = 1, .dpl = 3, .db = 1, .s = 1, .g = 1};
    ring3_sregs.cs = code;
    ring3_sregs.ss = ring3_sregs.ds = ring3_sregs.es = ring3_sregs.fs = ring3_sregs.gs = data;
    ring3_sregs.tr = (struct kvm_segment){.base = 0x3000, .limit = 104 + 8192, .selector = 0x28,
                                          .type = 11, .present = 1};
    ring3_sregs.gdt.base = 0x1000;
    ring3_sregs.gdt.limit = 7 * 8 - 1;
    ring3_sregs.idt.base = 0x2000;
    ring3_sregs.idt.limit = 32 * 16 - 1;
    ring3_sregs.cr0 = 0x80050033;
    ring3_sregs.cr3 = 0x9000;
    ring3_sregs.cr4 = 0x620;
    ring3_sregs.efer = 0xD01;
}

/* ---- host side of the protocol ------------------------------------------------------------- */

typedef struct outcome {
    int port;         /* 0x10 DONE, 0x12 ABORT, 0x80+v fault, -1 other exit, -2 interrupted */
    uint64_t rip;     /* for faults: the faulting RIP */
    uint64_t cr2;
    int hostcalls;
    char printed[256];
} outcome;

static void reply(uint32_t status, uint8_t tag, const void *data, uint32_t length, const char *message) {
    uint8_t *in = mem + boot->input_addr;
    builder b = begin(in);
    put_u32(&b, status);
    put_u32(&b, 0);
    if (status == 0) {
        put_value(&b, tag, data, length);
    } else {
        put_u32(&b, (uint32_t)strlen(message));
        put_bytes(&b, message, (uint32_t)strlen(message));
        put_pad(&b);
    }
    finish(&b, 5);
}

static void answer_hostcall(outcome *o) {
    frame_view f = read_frame(mem + boot->output_addr, boot->output_size);
    if (!f.ok || f.kind != 4) {
        reply(3, 0, NULL, 0, "malformed HOSTCALL");
        return;
    }
    uint32_t name_length = get_u32(f.body);
    char name[129] = {0};
    memcpy(name, f.body + 4, name_length > 128 ? 128 : name_length);
    uint32_t at = (4 + name_length + 7) & ~7u;
    uint32_t argc = get_u32(f.body + at);
    uint8_t ret = f.body[at + 4];
    const uint8_t *v0 = f.body + at + 8, *v1 = v0 + 8 + ((get_u32(v0 + 4) + 7) & ~7u);
    if (strcmp(name, "Add") == 0 && argc == 2) {
        int32_t sum = (int32_t)(get_u32(v0 + 8) + get_u32(v1 + 8));
        reply(0, MOLT_I32, &sum, 4, NULL);
    } else if (strcmp(name, "Increment") == 0 && argc == 1) {
        uint64_t x = get_u64(v0 + 8) + 1;
        reply(0, MOLT_I64, &x, 8, NULL);
    } else if (strncmp(name, "Echo", 4) == 0 && argc == 1 && v0[0] == ret) {
        uint8_t copy[64];
        uint32_t length = get_u32(v0 + 4);
        memcpy(copy, v0 + 8, length < 64 ? length : 64);
        reply(0, ret, copy, length, NULL);
    } else if (strcmp(name, "HostPrint") == 0 && argc == 1 && v0[0] == MOLT_STRING) {
        uint32_t length = get_u32(v0 + 4);
        snprintf(o->printed, sizeof o->printed, "%.*s", (int)length, (const char *)v0 + 8);
        int32_t printed = (int32_t)length;
        reply(0, MOLT_I32, &printed, 4, NULL);
    } else if (strcmp(name, "Throws") == 0) {
        reply(1, 0, NULL, 0, "java.lang.IllegalStateException: boom");
    } else {
        reply(2, 0, NULL, 0, "no host function of that name");
    }
}

static outcome enter(uint64_t rip, uint64_t rdi) {
    outcome o = {0};
    if (ioctl(vcpu, KVM_SET_SREGS, &ring3_sregs) < 0) die("KVM_SET_SREGS");
    struct kvm_regs regs = {0};
    regs.rip = rip;
    regs.rsp = boot->stack_top;
    regs.rdi = rdi;
    regs.rflags = 2;
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");
    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0) {
            if (errno != EINTR) die("KVM_RUN");
            o.port = -2;
            return o;
        }
        if (run->exit_reason != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT) {
            o.port = -1;
            return o;
        }
        int port = run->io.port;
        if (port == 0x11) {
            o.hostcalls++;
            answer_hostcall(&o);
            continue;
        }
        o.port = port;
        if (port >= 0x80) {
            struct kvm_regs r;
            struct kvm_sregs s;
            ioctl(vcpu, KVM_GET_REGS, &r);
            ioctl(vcpu, KVM_GET_SREGS, &s);
            int v = port - 0x80;
            int has_error_code = v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
            o.rip = get_u64(mem + r.rsp + (has_error_code ? 8 : 0));
            o.cr2 = s.cr2;
        }
        return o;
    }
}

/* Calls function `id` with argc values given as (tag, pointer, length) triples. */
static outcome call(uint32_t id, uint32_t argc, ...) {
    builder b = begin(mem + boot->input_addr);
    put_u32(&b, id);
    put_u32(&b, argc);
    va_list ap;
    va_start(ap, argc);
    for (uint32_t i = 0; i < argc; i++) {
        int tag = va_arg(ap, int);
        const void *data = va_arg(ap, const void *);
        uint32_t length = va_arg(ap, uint32_t);
        put_value(&b, (uint8_t)tag, data, length);
    }
    va_end(ap);
    finish(&b, 1);
    return enter(dispatch_addr, boot->input_addr);
}

/* ---- function table ------------------------------------------------------------------------ */

static char names[64][129];
static int function_count;

static uint32_t id_of(const char *name) {
    for (int i = 0; i < function_count; i++)
        if (strcmp(names[i], name) == 0) return (uint32_t)i;
    fprintf(stderr, "no guest function %s\n", name);
    exit(2);
}

static void expect(const char *what, int ok) {
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (ok) passed++; else failed++;
}

static frame_view output(void) { return read_frame(mem + boot->output_addr, boot->output_size); }

static int returns_i64(outcome o, uint8_t tag, int64_t expected) {
    frame_view f = output();
    if (o.port != 0x10 || !f.ok || f.kind != 2 || f.body[0] != tag) return 0;
    int64_t v = tag == MOLT_I32 ? (int32_t)get_u32(f.body + 8) : (int64_t)get_u64(f.body + 8);
    return v == expected;
}

static int error_is(outcome o, int kind, int32_t code, const char *message_start) {
    frame_view f = output();
    return (o.port == (kind == 6 ? 0x12 : 0x10)) && f.ok && f.kind == kind &&
           (int32_t)get_u32(f.body) == code &&
           strncmp((const char *)f.body + 8, message_start, strlen(message_start)) == 0;
}

static void on_alarm(int signal) { (void)signal; }

/* Arms a one-shot SIGALRM that interrupts KVM_RUN (no SA_RESTART: the ioctl returns EINTR). */
static void arm_alarm(long microseconds) {
    struct sigaction action = {0};
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval timer = {{0, 0}, {microseconds / 1000000, microseconds % 1000000}};
    setitimer(ITIMER_REAL, &timer, NULL);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}


/* ---- optional measurement (KVM_SMOKE_MEASURE=1): calls dispatched through SYNC_REGS ---------- */

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One call entered through kvm_run->s.regs (no register ioctls), as Molt's host does it. */
static int call_sync_regs(void) {
    memset(&run->s.regs.regs, 0, sizeof run->s.regs.regs);
    run->s.regs.regs.rip = dispatch_addr;
    run->s.regs.regs.rsp = boot->stack_top;
    run->s.regs.regs.rdi = boot->input_addr;
    run->s.regs.regs.rflags = 2;
    run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0) die("KVM_RUN");
        run->kvm_dirty_regs = 0;
        if (run->exit_reason != KVM_EXIT_IO) return -1;
        if (run->io.port != 0x11) return run->io.port;
        outcome ignored = {0};
        answer_hostcall(&ignored);
    }
}

static void measure(const char *what, int rounds, void (*write_call)(void)) {
    static double samples[4096];
    for (int i = 0; i < rounds; i++) {
        write_call();
        double t0 = now_us();
        int port = call_sync_regs();
        samples[i] = now_us() - t0;
        if (port != 0x10 || output().kind != 2) {
            printf("FAIL measuring %s: port 0x%x\n", what, port);
            failed++;
            return;
        }
    }
    qsort(samples, (size_t)rounds, sizeof samples[0], compare_doubles);
    printf("     %-40s median %7.1f us  p10 %7.1f  p90 %7.1f  (%d calls)\n", what,
           samples[rounds / 2], samples[rounds / 10], samples[rounds * 9 / 10], rounds);
}

static void write_echo_i32(void) {
    builder b = begin(mem + boot->input_addr);
    int32_t x = 7;
    put_u32(&b, id_of("EchoI32"));
    put_u32(&b, 1);
    put_value(&b, MOLT_I32, &x, 4);
    finish(&b, 1);
}

static void write_call_host_add(void) {
    builder b = begin(mem + boot->input_addr);
    int32_t x = 7;
    put_u32(&b, id_of("CallHostAdd"));
    put_u32(&b, 2);
    put_value(&b, MOLT_I32, &x, 4);
    put_value(&b, MOLT_I32, &x, 4);
    finish(&b, 1);
}

static void write_echo_1mib(void) {
    static uint8_t big[1 << 20];
    builder b = begin(mem + boot->input_addr);
    put_u32(&b, id_of("EchoBytes"));
    put_u32(&b, 1);
    put_value(&b, MOLT_BYTES, big, sizeof big);
    finish(&b, 1);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: kvm_smoke behaviours.elf\n");
        return 2;
    }
    setup_vcpu();
    setup_supervisor();
    uint64_t entry;
    setup_areas(load_elf(argv[1], &entry));

    outcome o = enter(entry, BOOT);
    frame_view f = output();
    if (getenv("KVM_SMOKE_DEBUG")) printf("init: port 0x%x ok %d kind %d\n", o.port, f.ok, f.kind);
    expect("init ends with DONE and an INIT frame", o.port == 0x10 && f.ok && f.kind == 7);
    dispatch_addr = get_u64(f.body + 8);
    function_count = (int)get_u32(f.body + 4);
    uint32_t at = 16;
    for (int i = 0; i < function_count && i < 64; i++) {
        uint32_t length = get_u32(f.body + at);
        memcpy(names[i], f.body + at + 4, length);
        at += (4 + length + 7) & ~7u;
        at += (2 + f.body[at + 1] + 7) & ~7u;
    }
    expect("INIT lists the functions", function_count >= 30 && at == f.length);

    int32_t a = 40, b = 2;
    expect("EchoI32", returns_i64(call(id_of("EchoI32"), 1, MOLT_I32, &a, 4), MOLT_I32, 40));
    expect("Add", returns_i64(call(id_of("Add"), 2, MOLT_I32, &a, 4, MOLT_I32, &b, 4), MOLT_I32, 42));
    double f64 = -2.5e300;
    o = call(id_of("EchoF64"), 1, MOLT_F64, &f64, 8);
    expect("EchoF64", o.port == 0x10 && memcmp(output().body + 8, &f64, 8) == 0);

    static uint8_t big[1 << 20];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7);
    double t0 = now_us();
    o = call(id_of("EchoBytes"), 1, MOLT_BYTES, big, (uint32_t)sizeof big);
    double t1 = now_us();
    f = output();
    expect("EchoBytes of 1 MiB", o.port == 0x10 && f.kind == 2 && get_u32(f.body + 4) == sizeof big &&
                                     memcmp(f.body + 8, big, sizeof big) == 0);
    o = call(id_of("EchoBytes"), 1, MOLT_BYTES, big, (uint32_t)sizeof big);
    double t2 = now_us();
    printf("     (1 MiB echo: first %.0f us, second %.0f us)\n", t1 - t0, t2 - t1);

    expect("Counter persists globals", returns_i64(call(id_of("Counter"), 0), MOLT_U64, 1) &&
                                           returns_i64(call(id_of("Counter"), 0), MOLT_U64, 2));
    o = call(id_of("CallHostAdd"), 2, MOLT_I32, &a, 4, MOLT_I32, &b, 4);
    expect("CallHostAdd makes one host call", returns_i64(o, MOLT_I32, 42) && o.hostcalls == 1);
    uint32_t n = 1000;
    o = call(id_of("CallHostRepeatedly"), 1, MOLT_U32, &n, 4);
    expect("CallHostRepeatedly 1000", returns_i64(o, MOLT_I64, 1000) && o.hostcalls == 1000);
    o = call(id_of("CallHostWithEachType"), 0);
    f = output();
    expect("CallHostWithEachType", o.port == 0x10 && f.kind == 2 && memcmp(f.body + 8, "ok", 2) == 0);
    expect("CallUnknownHost returns status 2", returns_i64(call(id_of("CallUnknownHost"), 0), MOLT_I32, 2));
    o = call(id_of("CallHostOrFail"), 1, MOLT_STRING, "Throws", 6);
    expect("CallHostOrFail of a throwing host function is ERROR 1001",
           error_is(o, 3, 1001, "Throws: host call failed with status 1: java.lang.IllegalStateException: boom"));
    o = call(id_of("Print"), 1, MOLT_STRING, "hello from ring 3", 17);
    expect("Print", returns_i64(o, MOLT_I32, 17) && strcmp(o.printed, "hello from ring 3") == 0);
    int32_t x = 255;
    o = call(id_of("PrintFormatted"), 1, MOLT_I32, &x, 4);
    expect("PrintFormatted", strcmp(o.printed, "value=255 hex=0x000000ff") == 0);
    int32_t code = 1234;
    expect("Fail is an ERROR frame", error_is(call(id_of("Fail"), 2, MOLT_I32, &code, 4, MOLT_STRING, "nope", 4), 3, 1234, "nope"));
    expect("Abort is an ABORT frame", error_is(call(id_of("Abort"), 2, MOLT_I32, &code, 4, MOLT_STRING, "dead", 4), 6, 1234, "dead"));
    expect("the guest works after an abort (host resets registers)", returns_i64(call(id_of("EchoI32"), 1, MOLT_I32, &a, 4), MOLT_I32, 40));

    o = call(id_of("NullDeref"), 0);
    expect("NullDeref is #PF at address 0", o.port == 0x80 + 14 && o.cr2 == 0);
    o = call(id_of("TouchStackGuard"), 0);
    expect("TouchStackGuard is #PF in the guard page", o.port == 0x80 + 14 && o.cr2 == boot->stack_top - boot->stack_size - 8);
    int32_t zero = 0;
    o = call(id_of("DivideByZero"), 1, MOLT_I32, &zero, 4);
    expect("DivideByZero is #DE", o.port == 0x80 + 0 && o.rip >= 0x200000 && o.rip < 0x210000);
    expect("InvalidOpcode is #UD", call(id_of("InvalidOpcode"), 0).port == 0x80 + 6);
    expect("PrivilegedInstruction (hlt) is #GP", call(id_of("PrivilegedInstruction"), 0).port == 0x80 + 13);
    expect("UnknownPort is #GP (denied by the I/O bitmap)", call(id_of("UnknownPort"), 0).port == 0x80 + 13);
    uint64_t addr = 0x100000, value = 1;
    expect("WriteAddress to the boot block is #PF", call(id_of("WriteAddress"), 2, MOLT_U64, &addr, 8, MOLT_U64, &value, 8).port == 0x80 + 14);
    addr = 0x200000;
    expect("WriteAddress to code is #PF", call(id_of("WriteAddress"), 2, MOLT_U64, &addr, 8, MOLT_U64, &value, 8).port == 0x80 + 14);
    addr = 0x1000;
    expect("ReadAddress of the GDT is #PF", call(id_of("ReadAddress"), 1, MOLT_U64, &addr, 8).port == 0x80 + 14);
    uint64_t depth = 4;
    expect("RecurseIntoStackGuard within the stack returns", returns_i64(call(id_of("RecurseIntoStackGuard"), 1, MOLT_U64, &depth, 8), MOLT_U64, 4));
    depth = 1000;
    o = call(id_of("RecurseIntoStackGuard"), 1, MOLT_U64, &depth, 8);
    expect("RecurseIntoStackGuard deep is #PF in the guard page",
           o.port == 0x80 + 14 && o.cr2 >= boot->stack_top - boot->stack_size - PAGE && o.cr2 < boot->stack_top - boot->stack_size);
    o = call(id_of("ExhaustHeap"), 0);
    f = output();
    expect("ExhaustHeap returns what it got", o.port == 0x10 && f.kind == 2 && get_u64(f.body + 8) > 0 && get_u64(f.body + 8) < boot->heap_size);
    expect("OversizedResult is ERROR OVERFLOW", error_is(call(id_of("OversizedResult"), 0), 3, MOLT_ERR_OVERFLOW, "OversizedResult returned"));
    expect("WrongResultType is ABORT BAD_RESULT", error_is(call(id_of("WrongResultType"), 0), 6, MOLT_ERR_BAD_RESULT, "WrongResultType returned a string"));
    o = call(id_of("CorruptResultFrame"), 0);
    expect("CorruptResultFrame leaves an invalid frame", o.port == 0x10 && !output().ok);
    uint32_t variant = 0;
    o = call(id_of("LieAboutResultLength"), 1, MOLT_U32, &variant, 4);
    expect("LieAboutResultLength 0: body past the buffer", o.port == 0x10 && !output().ok);
    arm_alarm(100000);
    o = call(id_of("SpinForever"), 0);
    expect("SpinForever runs until a signal interrupts KVM_RUN", o.port == -2);
    uint32_t bad_id = 999;
    expect("unknown function id is ERROR BAD_CALL", error_is(call(bad_id, 0), 3, MOLT_ERR_BAD_CALL, "unknown function id 999"));
    expect("the guest still works after all that", returns_i64(call(id_of("Add"), 2, MOLT_I32, &a, 4, MOLT_I32, &b, 4), MOLT_I32, 42));

    if (getenv("KVM_SMOKE_MEASURE")) {
        measure("EchoI32 (i32 argument, i32 result)", 2000, write_echo_i32);
        measure("CallHostAdd (one host call)", 2000, write_call_host_add);
        measure("EchoBytes 1 MiB (incl. host frame write)", 100, write_echo_1mib);
    }
    printf("kvm smoke: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
