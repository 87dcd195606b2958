/*
 * The floor of the `states` operations (see states_floor.h): the same KVM work as Molt's
 * UninitializedSandbox / MultiUseSandbox, with raw ioctls and plain C, checking every frame the
 * guest writes as the host side of guest ABI v1 must (docs/guest-abi.md §8).
 */
#define _GNU_SOURCE
#include "states_floor.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

const char *states_guest_path;
const char *states_plan_path;
uint64_t states_memory_bytes;

/* ---- guest ABI v1 numbers (pinned on the Java side by dev.molt.guest.GuestAbi) ------------ */

#define PAGE            4096u
#define LINK_ADDRESS    0x200000u
#define BOOT_BLOCK      0x100000u
#define FRAME_MAGIC     0x464C4F4Du
#define ABI_VERSION     1u
#define HEADER          16u
#define VALUE_HEADER    8u
#define PORT_DONE_      0x10u
#define PORT_HOSTCALL   0x11u
#define PORT_ABORT      0x12u
#define MAX_FUNCTIONS   256u
#define MAX_PARAMS      16u
#define MAX_NAME        128u
#define MAX_SEGMENTS    16u
#define MAX_HOST_ARGS   32u

enum kind { K_CALL = 1, K_RETURN, K_ERROR, K_HOSTCALL, K_HOSTRESULT, K_ABORT, K_INIT };
enum tag { T_VOID, T_I32, T_U32, T_I64, T_U64, T_F32, T_F64, T_BOOL, T_STRING, T_BYTES, T_COUNT };
static const int FIXED_LENGTH[T_COUNT] = { 0, 4, 4, 8, 8, 4, 8, 1, -1, -1 };

static uint64_t pad8(uint64_t v) { return (v + 7) & ~(uint64_t) 7; }
static uint64_t page_up(uint64_t v) { return (v + PAGE - 1) & ~(uint64_t) (PAGE - 1); }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void wr16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) die_errno(path);
    if (fseek(f, 0, SEEK_END) != 0) die_errno(path);
    long n = ftell(f);
    if (n < 0) die_errno(path);
    rewind(f);
    uint8_t *bytes = malloc((size_t) n + 1);
    if (bytes == NULL) die_errno("malloc");
    if (fread(bytes, 1, (size_t) n, f) != (size_t) n) die_errno(path);
    fclose(f);
    *size = (size_t) n;
    return bytes;
}

/* ---- the guest plan (written by the Java side) ----------------------------------------- */

struct plan_write { uint64_t addr, length; const uint8_t *bytes; };

static struct plan {
    uint64_t memory_size, stack_top, input_addr, input_size, output_addr, output_size;
    uint64_t image_end, boot_addr;
    uint32_t boot_size;
    const uint8_t *boot;
    struct kvm_sregs sregs;
    uint32_t write_count;
    struct plan_write writes[16];
} plan;

__attribute__((noreturn, format(printf, 1, 2)))
static void bad_plan(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "floor: guest plan %s: ", states_plan_path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(EXIT_USAGE);
}

static void plan_load(void)
{
    if (states_plan_path == NULL || states_guest_path == NULL) {
        usage_error("the states scenarios need --guest ELF and --plan FILE (the harness writes"
                    " both; see benchmarks/README.md)");
    }
    size_t size;
    const uint8_t *p = read_file(states_plan_path, &size);
    if (size < 88 || memcmp(p, "MOLTPLAN", 8) != 0) bad_plan("not a guest plan (magic)");
    if (rd32(p + 8) != 1) bad_plan("version %u, expected 1", rd32(p + 8));
    plan.write_count = rd32(p + 12);
    uint64_t *fields[] = { &plan.memory_size, &plan.stack_top, &plan.input_addr,
                           &plan.input_size, &plan.output_addr, &plan.output_size,
                           &plan.image_end, &plan.boot_addr };
    for (int i = 0; i < 8; i++) *fields[i] = rd64(p + 16 + 8 * i);
    plan.boot_size = rd32(p + 80);
    uint64_t at = 88;
    if (plan.boot_size > PAGE || at + pad8(plan.boot_size) + sizeof plan.sregs > size)
        bad_plan("boot block of %u bytes does not fit", plan.boot_size);
    plan.boot = p + at;
    at += pad8(plan.boot_size);
    memcpy(&plan.sregs, p + at, sizeof plan.sregs);
    at += sizeof plan.sregs;
    if (plan.write_count > sizeof plan.writes / sizeof plan.writes[0])
        bad_plan("%u writes, at most 16", plan.write_count);
    if (plan.memory_size % PAGE != 0 || plan.memory_size < 2 * LINK_ADDRESS
        || plan.memory_size > (1ull << 32))
        bad_plan("memory size %llu", (unsigned long long) plan.memory_size);
    for (uint32_t i = 0; i < plan.write_count; i++) {
        if (at + 16 > size) bad_plan("write %u header past the end", i);
        struct plan_write *w = &plan.writes[i];
        w->addr = rd64(p + at);
        w->length = rd64(p + at + 8);
        at += 16;
        if (w->length > size - at || w->addr > plan.memory_size
            || w->length > plan.memory_size - w->addr)
            bad_plan("write %u (0x%llx + %llu) outside the file or guest memory", i,
                     (unsigned long long) w->addr, (unsigned long long) w->length);
        w->bytes = p + at;
        at += pad8(w->length);
    }
    if (at != size) bad_plan("%zu trailing bytes", size - (size_t) at);
    uint64_t areas[][2] = { { plan.input_addr, plan.input_size },
                            { plan.output_addr, plan.output_size },
                            { plan.boot_addr, plan.boot_size } };
    for (int i = 0; i < 3; i++) {
        if (areas[i][0] > plan.memory_size || areas[i][1] > plan.memory_size - areas[i][0]
            || areas[i][1] < HEADER)
            bad_plan("area %d (0x%llx + %llu) outside guest memory", i,
                     (unsigned long long) areas[i][0], (unsigned long long) areas[i][1]);
    }
    states_memory_bytes = plan.memory_size;
}

/* ---- the ELF loader --------------------------------------------------------------------- */

static const uint8_t *elf_bytes;
static size_t elf_size;

struct segment { uint64_t vaddr, memsz, offset, filesz; int executable; };
struct elf_image { uint64_t entry; uint32_t count; struct segment segments[MAX_SEGMENTS]; };

/* Validates every field it uses (what Molt's ElfImage checks); a bad image fails verification. */
static void elf_parse(struct elf_image *image)
{
    const uint8_t *b = elf_bytes;
    size_t n = elf_size;
    if (n < sizeof(Elf64_Ehdr)) verify_failed("ELF: %zu bytes, shorter than a header", n);
    Elf64_Ehdr eh;
    memcpy(&eh, b, sizeof eh);
    if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) verify_failed("ELF: bad magic");
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB
        || eh.e_ident[EI_VERSION] != EV_CURRENT)
        verify_failed("ELF: not a little-endian ELF64 of version 1");
    if (eh.e_type != ET_EXEC || eh.e_machine != EM_X86_64 || eh.e_version != EV_CURRENT)
        verify_failed("ELF: type %u machine %u, expected an x86-64 executable", eh.e_type,
                      eh.e_machine);
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64
        || eh.e_phoff > n || (uint64_t) eh.e_phnum * sizeof(Elf64_Phdr) > n - eh.e_phoff)
        verify_failed("ELF: program headers outside the file");
    image->count = 0;
    uint64_t previous_end = LINK_ADDRESS;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, b + eh.e_phoff + (uint64_t) i * sizeof ph, sizeof ph);
        if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC || ph.p_type == PT_TLS)
            verify_failed("ELF: segment %u of type %u (interpreter, dynamic or TLS)", i,
                          ph.p_type);
        if (ph.p_type != PT_LOAD) continue;
        if (image->count == MAX_SEGMENTS) verify_failed("ELF: more than %u PT_LOAD", MAX_SEGMENTS);
        if (ph.p_filesz > ph.p_memsz) verify_failed("ELF: segment %u filesz > memsz", i);
        if (ph.p_offset > n || ph.p_filesz > n - ph.p_offset)
            verify_failed("ELF: segment %u file bytes outside the file", i);
        if (ph.p_vaddr < LINK_ADDRESS || ph.p_vaddr > plan.memory_size
            || ph.p_memsz > plan.memory_size - ph.p_vaddr)
            verify_failed("ELF: segment %u at 0x%llx+%llu outside guest memory", i,
                          (unsigned long long) ph.p_vaddr, (unsigned long long) ph.p_memsz);
        if (ph.p_align != PAGE || ph.p_vaddr % PAGE != ph.p_offset % PAGE)
            verify_failed("ELF: segment %u not 4 KiB aligned", i);
        if ((ph.p_vaddr & ~(uint64_t) (PAGE - 1)) < previous_end && image->count > 0)
            verify_failed("ELF: segment %u overlaps the page of the previous one", i);
        if ((ph.p_flags & PF_W) && (ph.p_flags & PF_X))
            verify_failed("ELF: segment %u is writable and executable", i);
        image->segments[image->count++] = (struct segment) {
            ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz, (ph.p_flags & PF_X) != 0 };
        previous_end = page_up(ph.p_vaddr + ph.p_memsz);
    }
    if (image->count == 0) verify_failed("ELF: no PT_LOAD segment");
    int entry_ok = 0;
    for (uint32_t i = 0; i < image->count; i++) {
        const struct segment *s = &image->segments[i];
        entry_ok |= s->executable && eh.e_entry >= s->vaddr && eh.e_entry < s->vaddr + s->memsz;
    }
    if (!entry_ok) verify_failed("ELF: entry 0x%llx not in an executable segment",
                                 (unsigned long long) eh.e_entry);
    if (previous_end != plan.image_end)
        verify_failed("ELF: image ends at 0x%llx, the plan was made for 0x%llx (another guest?)",
                      (unsigned long long) previous_end, (unsigned long long) plan.image_end);
    image->entry = eh.e_entry;
}

/* What UninitializedSandbox.create writes: supervisor structures, the image, the boot block. */
static void guest_write(uint8_t *mem, const struct elf_image *image)
{
    for (uint32_t i = 0; i < plan.write_count; i++)
        memcpy(mem + plan.writes[i].addr, plan.writes[i].bytes, plan.writes[i].length);
    for (uint32_t i = 0; i < image->count; i++) {
        const struct segment *s = &image->segments[i];
        memcpy(mem + s->vaddr, elf_bytes + s->offset, s->filesz);
    }
    memcpy(mem + plan.boot_addr, plan.boot, plan.boot_size);
}

static void entry_regs(struct kvm_regs *regs, uint64_t rip, uint64_t rdi)
{
    memset(regs, 0, sizeof *regs);
    regs->rip = rip;
    regs->rsp = plan.stack_top;
    regs->rdi = rdi;
    regs->rflags = 0x2;
}

/* ---- frames ------------------------------------------------------------------------------ */

struct frame { const uint8_t *body; uint64_t length; unsigned kind; };
struct value { unsigned tag; uint32_t length; const uint8_t *data; uint64_t end; };

static struct frame frame_open(const uint8_t *mem, uint64_t buffer, uint64_t size)
{
    const uint8_t *h = mem + buffer;
    if (rd32(h) != FRAME_MAGIC) verify_failed("frame magic 0x%08x", rd32(h));
    uint16_t version, kind;
    memcpy(&version, h + 4, 2);
    memcpy(&kind, h + 6, 2);
    if (version != ABI_VERSION) verify_failed("frame abi_version %u", version);
    if (rd32(h + 12) != 0) verify_failed("frame reserved field 0x%x", rd32(h + 12));
    uint64_t length = rd32(h + 8);
    if (length > size - HEADER) verify_failed("frame body_length %llu past the buffer",
                                              (unsigned long long) length);
    return (struct frame) { h + HEADER, length, kind };
}

static void frame_require(const struct frame *f, uint64_t offset, uint64_t length,
                          const char *field)
{
    if (offset > f->length || length > f->length - offset)
        verify_failed("%s (%llu bytes at %llu) runs past the body of %llu bytes", field,
                      (unsigned long long) length, (unsigned long long) offset,
                      (unsigned long long) f->length);
}

static void frame_require_end(const struct frame *f, uint64_t end)
{
    if (end != f->length) verify_failed("frame of kind %u ends at %llu, body_length %llu",
                                        f->kind, (unsigned long long) end,
                                        (unsigned long long) f->length);
}

static uint32_t frame_u32(const struct frame *f, uint64_t offset, const char *field)
{
    frame_require(f, offset, 4, field);
    return rd32(f->body + offset);
}

static uint8_t frame_u8(const struct frame *f, uint64_t offset, const char *field)
{
    frame_require(f, offset, 1, field);
    return f->body[offset];
}

/* Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF). */
static int utf8_valid(const uint8_t *s, uint64_t n)
{
    uint64_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) { i++; continue; }
        int extra;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if ((uint64_t) extra > n - i - 1) return 0;
        for (int k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += (uint64_t) extra + 1;
    }
    return 1;
}

static struct value frame_value(const struct frame *f, uint64_t offset, const char *field)
{
    frame_require(f, offset, VALUE_HEADER, field);
    const uint8_t *h = f->body + offset;
    struct value v = { h[0], rd32(h + 4), h + VALUE_HEADER, 0 };
    if (v.tag >= T_COUNT) verify_failed("%s: unknown type tag %u", field, v.tag);
    if (h[1] != 0 || h[2] != 0 || h[3] != 0) verify_failed("%s: reserved byte not 0", field);
    if (FIXED_LENGTH[v.tag] >= 0 && v.length != (uint32_t) FIXED_LENGTH[v.tag])
        verify_failed("%s: tag %u with length %u", field, v.tag, v.length);
    frame_require(f, offset + VALUE_HEADER, pad8(v.length), field);
    if (v.tag == T_BOOL && v.data[0] > 1) verify_failed("%s: bool byte %u", field, v.data[0]);
    if (v.tag == T_STRING && !utf8_valid(v.data, v.length))
        verify_failed("%s: not valid UTF-8", field);
    v.end = offset + VALUE_HEADER + pad8(v.length);
    return v;
}

/* A frame written straight into a guest buffer: header first reserved, body appended. */
struct writer { uint8_t *base; uint64_t at, capacity; };

static struct writer writer_begin(uint8_t *mem, uint64_t buffer, uint64_t size)
{
    return (struct writer) { mem + buffer, HEADER, size };
}

static void writer_need(const struct writer *w, uint64_t n)
{
    if (n > w->capacity - w->at) verify_failed("a frame does not fit the %llu-byte input buffer",
                                               (unsigned long long) w->capacity);
}

static void put_u32(struct writer *w, uint32_t v)
{
    writer_need(w, 4);
    wr32(w->base + w->at, v);
    w->at += 4;
}

static void put_value(struct writer *w, unsigned tag, const void *data, uint32_t length)
{
    uint64_t padded = pad8(length);
    writer_need(w, VALUE_HEADER + padded);
    uint8_t *p = w->base + w->at;
    wr32(p, tag);               /* tag, then three zero bytes */
    wr32(p + 4, length);
    memcpy(p + VALUE_HEADER, data, length);
    memset(p + VALUE_HEADER + length, 0, padded - length);
    w->at += VALUE_HEADER + padded;
}

static void writer_finish(struct writer *w, unsigned kind)
{
    wr32(w->base, FRAME_MAGIC);
    wr16(w->base + 4, ABI_VERSION);
    wr16(w->base + 6, (uint16_t) kind);
    wr32(w->base + 8, (uint32_t) (w->at - HEADER));
    wr32(w->base + 12, 0);
}

/* ---- host functions ---------------------------------------------------------------------- */

struct host_fn {
    const char *name;
    unsigned result;
    unsigned count;
    unsigned params[2];
};
static const struct host_fn HOST_FUNCTIONS[] = {
    { "HostPrint", T_I32, 1, { T_STRING } },
    { "Add", T_I32, 2, { T_I32, T_I32 } },
};
static long host_calls;

static void reply_status(uint8_t *mem, uint32_t status, const char *message)
{
    struct writer w = writer_begin(mem, plan.input_addr, plan.input_size);
    put_u32(&w, status);
    put_u32(&w, 0);
    uint32_t n = (uint32_t) strlen(message);
    put_u32(&w, n);
    writer_need(&w, pad8(n));
    memcpy(w.base + w.at, message, n);
    memset(w.base + w.at + n, 0, pad8(n) - n);
    w.at += pad8(n);
    writer_finish(&w, K_HOSTRESULT);
}

/* Reads the HOSTCALL frame, checks it against the host function's signature, runs it and writes
 * the HOSTRESULT frame into the input buffer (what KvmGuestSubstrate.answerHostCall does). */
static void answer_host_call(uint8_t *mem)
{
    host_calls++;
    struct frame f = frame_open(mem, plan.output_addr, plan.output_size);
    if (f.kind != K_HOSTCALL) verify_failed("expected a HOSTCALL frame, found kind %u", f.kind);
    uint32_t name_length = frame_u32(&f, 0, "name_length");
    if (name_length < 1 || name_length > MAX_NAME) verify_failed("name_length %u", name_length);
    frame_require(&f, 4, name_length, "host function name");
    const uint8_t *name = f.body + 4;
    if (!utf8_valid(name, name_length)) verify_failed("host function name is not UTF-8");
    uint64_t n = pad8(4 + (uint64_t) name_length);
    uint32_t count = frame_u32(&f, n, "arg_count");
    unsigned result = frame_u8(&f, n + 4, "return_tag");
    if (result >= T_COUNT) verify_failed("return_tag %u", result);
    for (int i = 5; i < 8; i++)
        if (frame_u8(&f, n + (uint64_t) i, "reserved") != 0) verify_failed("reserved byte");
    if (count > MAX_HOST_ARGS) {
        reply_status(mem, 3, "too many arguments");
        return;
    }
    struct value args[MAX_HOST_ARGS];
    uint64_t at = n + 8;
    for (uint32_t i = 0; i < count; i++) {
        args[i] = frame_value(&f, at, "argument");
        if (args[i].tag == T_VOID) verify_failed("argument %u is void", i);
        at = args[i].end;
    }
    frame_require_end(&f, at);
    const struct host_fn *fn = NULL;
    for (size_t i = 0; i < sizeof HOST_FUNCTIONS / sizeof HOST_FUNCTIONS[0]; i++) {
        if (strlen(HOST_FUNCTIONS[i].name) == name_length
            && memcmp(HOST_FUNCTIONS[i].name, name, name_length) == 0)
            fn = &HOST_FUNCTIONS[i];
    }
    if (fn == NULL) {
        reply_status(mem, 2, "no host function of that name");
        return;
    }
    int match = fn->result == result && fn->count == count;
    for (uint32_t i = 0; match && i < count; i++) match = fn->params[i] == args[i].tag;
    if (!match) {
        reply_status(mem, 3, "arguments do not match the host function's signature");
        return;
    }
    int32_t value;
    if (fn->params[0] == T_STRING) {
        value = (int32_t) args[0].length;     /* HostPrint: the floor prints nothing */
    } else {
        value = (int32_t) (rd32(args[0].data) + rd32(args[1].data));
    }
    struct writer w = writer_begin(mem, plan.input_addr, plan.input_size);
    put_u32(&w, 0);
    put_u32(&w, 0);
    put_value(&w, T_I32, &value, 4);
    writer_finish(&w, K_HOSTRESULT);
}

/* ---- a guest VM ---------------------------------------------------------------------------- */

struct function { char name[MAX_NAME + 1]; unsigned result, count, params[MAX_PARAMS]; };

static struct guest {
    struct vm vm;
    struct elf_image image;
    uint64_t dispatch;
    uint32_t function_count;
    struct function functions[MAX_FUNCTIONS];
} guest;

/* UninitializedSandbox.create: VM, memory, writes, vCPU, ring-3 special registers. */
static void guest_create(struct guest *g)
{
    elf_parse(&g->image);
    struct vm *vm = &g->vm;
    vm->vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0) die_errno("KVM_CREATE_VM");
    void *mem = mmap(NULL, plan.memory_size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) die_errno("mmap guest memory");
    vm->mem = mem;
    struct kvm_userspace_memory_region region = {
        .slot = 0, .flags = 0, .guest_phys_addr = 0,
        .memory_size = plan.memory_size, .userspace_addr = (uint64_t) (uintptr_t) mem,
    };
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        die_errno("KVM_SET_USER_MEMORY_REGION");
    guest_write(vm->mem, &g->image);
    vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0) die_errno("KVM_CREATE_VCPU");
    void *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
    if (run == MAP_FAILED) die_errno("mmap kvm_run");
    vm->run = run;
    vm->run->s.regs.sregs = plan.sregs;
    vm->run->kvm_dirty_regs = KVM_SYNC_X86_SREGS;
    vm->run->kvm_valid_regs = 0;
}

static void guest_destroy(struct guest *g)
{
    if (munmap(g->vm.run, run_size) < 0) die_errno("munmap kvm_run");
    if (close(g->vm.vcpu_fd) < 0) die_errno("close vcpu");
    if (close(g->vm.vm_fd) < 0) die_errno("close vm");
    if (munmap(g->vm.mem, plan.memory_size) < 0) die_errno("munmap guest memory");
}

/* Runs until DONE, answering host calls; any other exit fails verification. */
static struct frame guest_run(struct guest *g)
{
    struct kvm_run *run = g->vm.run;
    for (;;) {
        if (ioctl(g->vm.vcpu_fd, KVM_RUN, 0) < 0) die_errno("KVM_RUN");
        if (run->exit_reason != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT
            || run->io.size != 1 || run->io.count != 1)
            verify_failed("exit reason %u (io dir %u size %u), expected a 1-byte out",
                          run->exit_reason, run->io.direction, run->io.size);
        switch (run->io.port) {
        case PORT_DONE_:
            return frame_open(g->vm.mem, plan.output_addr, plan.output_size);
        case PORT_HOSTCALL:
            answer_host_call(g->vm.mem);
            run->kvm_dirty_regs = 0;  /* resume right after the out, registers unchanged */
            break;
        case PORT_ABORT:
            verify_failed("the guest aborted");
        default:
            verify_failed("an out to port 0x%x (a fault reports on 0x80+vector)", run->io.port);
        }
    }
}

/* Checks the INIT frame as KvmGuestSubstrate.parseInit does and keeps the function table. */
static void parse_init(struct guest *g, const struct frame *f)
{
    if (f->kind != K_INIT) verify_failed("initialisation ended with frame kind %u, not INIT",
                                         f->kind);
    if (frame_u32(f, 0, "runtime_version") != ABI_VERSION) verify_failed("runtime_version");
    uint32_t count = frame_u32(f, 4, "function_count");
    if (count > MAX_FUNCTIONS) verify_failed("function_count %u", count);
    frame_require(f, 8, 8, "dispatch_addr");
    uint64_t dispatch = rd64(f->body + 8);
    int executable = 0;
    for (uint32_t i = 0; i < g->image.count; i++) {
        const struct segment *s = &g->image.segments[i];
        executable |= s->executable && dispatch >= s->vaddr && dispatch < s->vaddr + s->memsz;
    }
    if (!executable) verify_failed("dispatch_addr 0x%llx not executable",
                                   (unsigned long long) dispatch);
    uint64_t at = 16;
    for (uint32_t i = 0; i < count; i++) {
        struct function *fn = &g->functions[i];
        uint32_t name_length = frame_u32(f, at, "entry name_length");
        if (name_length < 1 || name_length > MAX_NAME) verify_failed("name_length %u",
                                                                     name_length);
        frame_require(f, at + 4, name_length, "entry name");
        const uint8_t *name = f->body + at + 4;
        if (!utf8_valid(name, name_length)) verify_failed("entry %u name is not UTF-8", i);
        memcpy(fn->name, name, name_length);
        fn->name[name_length] = '\0';
        uint64_t p = at + pad8(4 + (uint64_t) name_length);
        fn->result = frame_u8(f, p, "return tag");
        if (fn->result >= T_COUNT) verify_failed("entry %u return tag %u", i, fn->result);
        fn->count = frame_u8(f, p + 1, "param_count");
        if (fn->count > MAX_PARAMS) verify_failed("entry %u has %u parameters", i, fn->count);
        for (unsigned j = 0; j < fn->count; j++) {
            fn->params[j] = frame_u8(f, p + 2 + j, "parameter tag");
            if (fn->params[j] == T_VOID || fn->params[j] >= T_COUNT)
                verify_failed("entry %u parameter %u tag %u", i, j, fn->params[j]);
        }
        for (uint32_t k = 0; k < i; k++) {
            if (strcmp(g->functions[k].name, fn->name) == 0)
                verify_failed("INIT lists %s twice", fn->name);
        }
        at = p + pad8(2 + (uint64_t) fn->count);
    }
    frame_require_end(f, at);
    g->function_count = count;
    g->dispatch = dispatch;
}

/* UninitializedSandbox.evolve: run the guest's initialisation to its INIT frame. */
static void guest_initialise(struct guest *g)
{
    entry_regs(&g->vm.run->s.regs.regs, g->image.entry, BOOT_BLOCK);
    g->vm.run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
    struct frame f = guest_run(g);
    parse_init(g, &f);
}

/* The id of `name`, which must have the given signature (checked once, at setup). */
static uint32_t function_id(const struct guest *g, const char *name, unsigned result,
                            unsigned count, const unsigned *params)
{
    for (uint32_t i = 0; i < g->function_count; i++) {
        const struct function *fn = &g->functions[i];
        if (strcmp(fn->name, name) != 0) continue;
        int same = fn->result == result && fn->count == count;
        for (unsigned j = 0; same && j < count; j++) same = fn->params[j] == params[j];
        if (!same) verify_failed("guest function %s has another signature", name);
        return i;
    }
    verify_failed("the guest has no function %s (wrong --guest?)", name);
}

/* One call: CALL frame (arguments already appended to `w`), registers, run to DONE; returns the
 * RETURN value, checked to have the function's result type. */
static struct value guest_call(struct guest *g, struct writer *w, uint32_t id)
{
    writer_finish(w, K_CALL);
    struct kvm_run *run = g->vm.run;
    entry_regs(&run->s.regs.regs, g->dispatch, plan.input_addr);
    run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
    struct frame f = guest_run(g);
    if (f.kind != K_RETURN) verify_failed("call ended with frame kind %u, not RETURN", f.kind);
    struct value v = frame_value(&f, 0, "RETURN value");
    if (v.tag != g->functions[id].result)
        verify_failed("RETURN value tag %u, %s returns %u", v.tag, g->functions[id].name,
                      g->functions[id].result);
    frame_require_end(&f, v.end);
    return v;
}

static struct writer call_frame(struct guest *g, uint32_t id, uint32_t argc)
{
    struct writer w = writer_begin(g->vm.mem, plan.input_addr, plan.input_size);
    put_u32(&w, id);
    put_u32(&w, argc);
    return w;
}

/* ---- scenarios --------------------------------------------------------------------------- */

static void states_setup_common(void)
{
    plan_load();
    elf_bytes = read_file(states_guest_path, &elf_size);
}

/* create-and-evolve: UninitializedSandbox.create + evolve + close of the noop guest. */
void setup_states_create(struct bench *b)
{
    (void) b;
    states_setup_common();
}

uint64_t op_states_create_and_evolve(struct bench *b, long i)
{
    (void) b;
    (void) i;
    uint64_t t0 = now_ns();
    guest_create(&guest);
    guest_initialise(&guest);
    uint32_t count = guest.function_count;
    guest_destroy(&guest);
    uint64_t t1 = now_ns();
    static const unsigned i32[] = { T_I32 };
    if (count != 1 || function_id(&guest, "Noop", T_VOID, 1, i32) != 0)
        verify_failed("INIT listed %u functions, expected exactly Noop void(i32)", count);
    return t1 - t0;
}

static uint32_t noop_id, host_add_id, echo_id;
static uint8_t *payload, *echoed;
#define ECHO_BYTES (1u << 20)

static void setup_initialised(void)
{
    states_setup_common();
    guest_create(&guest);
    guest_initialise(&guest);
}

void setup_states_noop(struct bench *b)
{
    (void) b;
    setup_initialised();
    static const unsigned i32[] = { T_I32 };
    noop_id = function_id(&guest, "Noop", T_VOID, 1, i32);
}

/* call-noop-i32: Noop(i) → RETURN void. */
uint64_t op_states_call_noop_i32(struct bench *b, long i)
{
    (void) b;
    int32_t arg = (int32_t) i;
    uint64_t t0 = now_ns();
    struct writer w = call_frame(&guest, noop_id, 1);
    put_value(&w, T_I32, &arg, 4);
    struct value v = guest_call(&guest, &w, noop_id);
    uint64_t t1 = now_ns();
    if (v.tag != T_VOID || v.length != 0) verify_failed("Noop returned tag %u", v.tag);
    return t1 - t0;
}

void setup_states_host_call(struct bench *b)
{
    (void) b;
    setup_initialised();
    static const unsigned i32i32[] = { T_I32, T_I32 };
    host_add_id = function_id(&guest, "CallHostAdd", T_I32, 2, i32i32);
}

/* call-one-host-call: CallHostAdd(a, b) → HOSTCALL Add(a, b) → HOSTRESULT → RETURN a + b. */
uint64_t op_states_call_one_host_call(struct bench *b, long i)
{
    (void) b;
    int32_t x = (int32_t) (i * 7 + 1), y = (int32_t) (0x1000 + i);
    long calls_before = host_calls;
    uint64_t t0 = now_ns();
    struct writer w = call_frame(&guest, host_add_id, 2);
    put_value(&w, T_I32, &x, 4);
    put_value(&w, T_I32, &y, 4);
    struct value v = guest_call(&guest, &w, host_add_id);
    int32_t sum = (int32_t) rd32(v.data);
    uint64_t t1 = now_ns();
    int32_t expected = (int32_t) ((uint32_t) x + (uint32_t) y);
    if (sum != expected || host_calls != calls_before + 1)
        verify_failed("CallHostAdd(%d, %d) returned %d after %ld host calls, expected %d after 1",
                      x, y, sum, host_calls - calls_before, expected);
    return t1 - t0;
}

void setup_states_echo(struct bench *b)
{
    (void) b;
    setup_initialised();
    static const unsigned bytes[] = { T_BYTES };
    echo_id = function_id(&guest, "EchoBytes", T_BYTES, 1, bytes);
    payload = malloc(ECHO_BYTES);
    echoed = malloc(ECHO_BYTES);
    if (payload == NULL || echoed == NULL) die_errno("malloc payload");
    for (uint32_t k = 0; k < ECHO_BYTES; k++) payload[k] = (uint8_t) (k * 31 + 7);
}

/* echo-1mib: EchoBytes(1 MiB) → RETURN the same 1 MiB, copied out of guest memory. */
uint64_t op_states_echo_1mib(struct bench *b, long i)
{
    (void) b;
    memcpy(payload, &i, sizeof i);    /* a fresh payload each op */
    uint64_t t0 = now_ns();
    struct writer w = call_frame(&guest, echo_id, 1);
    put_value(&w, T_BYTES, payload, ECHO_BYTES);
    struct value v = guest_call(&guest, &w, echo_id);
    if (v.length != ECHO_BYTES) verify_failed("EchoBytes returned %u bytes", v.length);
    memcpy(echoed, v.data, v.length);
    uint64_t t1 = now_ns();
    if (memcmp(echoed, payload, ECHO_BYTES) != 0) verify_failed("EchoBytes changed the bytes");
    return t1 - t0;
}

void teardown_states(struct bench *b)
{
    (void) b;
    guest_destroy(&guest);
}

void states_dump(const char *image_path, const char *registers_path)
{
    plan_load();
    elf_bytes = read_file(states_guest_path, &elf_size);
    struct elf_image image;
    elf_parse(&image);
    uint8_t *mem = calloc(1, plan.memory_size);
    if (mem == NULL) die_errno("calloc image");
    guest_write(mem, &image);
    FILE *f = fopen(image_path, "wb");
    if (f == NULL) die_errno(image_path);
    if (fwrite(mem, 1, plan.memory_size, f) != plan.memory_size) die_errno("write image");
    if (fclose(f) != 0) die_errno("close image");
    free(mem);
    struct kvm_regs regs;
    entry_regs(&regs, image.entry, BOOT_BLOCK);
    f = fopen(registers_path, "wb");
    if (f == NULL) die_errno(registers_path);
    if (fwrite(&plan.sregs, sizeof plan.sregs, 1, f) != 1 || fwrite(&regs, sizeof regs, 1, f) != 1)
        die_errno("write registers");
    if (fclose(f) != 0) die_errno("close registers");
}
