/*
 * The floor of Molt's snapshot operations; see snapshot_floor.h and benchmarks/README.md
 * ("Snapshot scenarios"). Every scenario starts from the reference layout (layout.c, 16 MiB),
 * the page-dirtying user code at SNAP_DIRTY_ENTRY and SNAP_DATA_PAGES data pages the host wrote,
 * in a VM whose memory slot logs dirty pages in manual-protect mode, as Molt's vmm creates it.
 *
 * The snapshot's vCPU state enters the dirtying code with RDI = pages to dirty, RSI = the first
 * data page and xmm0 = SNAP_XMM0; the code computes RAX = xmm0 + [RSI] + 1, puts RAX back into
 * xmm0 and into the first qword of RDI consecutive pages, then `out`s to 0x10. A run from a
 * correctly restored snapshot therefore exits with RAX = SNAP_XMM0 + SNAP_DATA_VALUE + 1: a
 * restore that skipped the FPU, the registers or the first data page cannot produce it.
 */
#define _GNU_SOURCE
#include "snapshot_floor.h"
#include "layout.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SNAP_MEMORY   (16u << 20)
#define SNAP_PAGE     4096u
#define SNAP_PAGES    (SNAP_MEMORY / SNAP_PAGE)
#define SNAP_WORDS    (SNAP_PAGES / 64)
#define SNAP_CHUNK    (1u << 20)          /* Molt copies and hashes images in 1 MiB chunks */
#define SNAP_PF_PORT  (FAULT_PORT_BASE + 14u)

/* Exit codes as floor.c's. */
#define SNAP_EXIT_KVM    2
#define SNAP_EXIT_VERIFY 3

/* movq %xmm0,%rax; add (%rsi),%rax; inc %rax; movq %rax,%xmm0;
 * 1: mov %rax,(%rsi); add $0x1000,%rsi; dec %rdi; jnz 1b; out %al,$0x10; ud2 */
static const uint8_t SNAP_DIRTY_CODE[] = {
    0x66, 0x48, 0x0f, 0x7e, 0xc0, 0x48, 0x03, 0x06, 0x48, 0xff, 0xc0, 0x66, 0x48, 0x0f, 0x6e,
    0xc0, 0x48, 0x89, 0x06, 0x48, 0x81, 0xc6, 0x00, 0x10, 0x00, 0x00, 0x48, 0xff, 0xcf, 0x75,
    0xf1, 0xe6, 0x10, 0x0f, 0x0b,
};

static void snap_die(const char *what)
{
    int e = errno;
    fprintf(stderr, "floor: %s failed: %s (errno %d)\n", what, strerror(e), e);
    exit(SNAP_EXIT_KVM);
}

__attribute__((noreturn, format(printf, 1, 2)))
static void snap_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("floor: verification failed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(SNAP_EXIT_VERIFY);
}

static uint64_t snap_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

/* ---- VMs, images, vCPU state --------------------------------------------------------- */

struct svm {
    int vm_fd;
    int vcpu_fd;
    uint8_t *mem;
    struct kvm_run *run;
    uint64_t populated[SNAP_WORDS]; /* pages that may be non-zero (vmm's MemoryRegion.populated) */
    uint64_t since[SNAP_WORDS];     /* pages changed since the tracked image (vmm's changedSince) */
};

struct image {
    int fd;                          /* sealed memfd */
    uint8_t *map;                    /* read-only shared mapping of it */
    uint64_t populated[SNAP_WORDS];
};

struct state {
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_fpu fpu;
};

static int kfd = -1;
static size_t krun_size;
static struct svm vm;            /* the scenario's VM (snapshot, restore-N, save, load) */
static struct image snap;        /* the snapshot taken in setup */
static struct state snap_state;
static long dirty_count;         /* restore-N: N */
static uint64_t expected_rax;    /* what a run from the snapshot must exit with */
static uint64_t last_rax;        /* snapshot: RAX of the run before the capture */

static void kvm_init(void)
{
    kfd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kfd < 0) snap_die("open /dev/kvm");
    if (ioctl(kfd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) <= 0) {
        fprintf(stderr, "floor: this KVM lacks KVM_CAP_SYNC_REGS\n");
        exit(SNAP_EXIT_KVM);
    }
    if (ioctl(kfd, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) <= 0) {
        fprintf(stderr, "floor: this KVM lacks KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 (the snapshot"
                        " scenarios use manual-protect dirty logging, as Molt's vmm does)\n");
        exit(SNAP_EXIT_KVM);
    }
    int size = ioctl(kfd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size <= 0) snap_die("KVM_GET_VCPU_MMAP_SIZE");
    krun_size = (size_t) size;
}

/* A VM with one 16 MiB slot logging dirty pages (manual protect) and one vCPU. Memory is
 * anonymous (memfd < 0) or a private copy-on-write mapping of an image memfd. */
static void vm_new(struct svm *v, int memfd)
{
    memset(v->populated, 0, sizeof v->populated);
    memset(v->since, 0, sizeof v->since);
    v->vm_fd = ioctl(kfd, KVM_CREATE_VM, 0);
    if (v->vm_fd < 0) snap_die("KVM_CREATE_VM");
    struct kvm_enable_cap cap = {
        .cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, .args = { KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE },
    };
    if (ioctl(v->vm_fd, KVM_ENABLE_CAP, &cap) < 0) snap_die("KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2)");
    void *mem = memfd < 0
        ? mmap(NULL, SNAP_MEMORY, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        : mmap(NULL, SNAP_MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE, memfd, 0);
    if (mem == MAP_FAILED) snap_die("mmap guest memory");
    v->mem = mem;
    struct kvm_userspace_memory_region region = {
        .slot = 0, .flags = KVM_MEM_LOG_DIRTY_PAGES, .guest_phys_addr = 0,
        .memory_size = SNAP_MEMORY, .userspace_addr = (uint64_t) (uintptr_t) mem,
    };
    if (ioctl(v->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        snap_die("KVM_SET_USER_MEMORY_REGION");
    v->vcpu_fd = ioctl(v->vm_fd, KVM_CREATE_VCPU, 0);
    if (v->vcpu_fd < 0) snap_die("KVM_CREATE_VCPU");
    void *run = mmap(NULL, krun_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu_fd, 0);
    if (run == MAP_FAILED) snap_die("mmap kvm_run");
    v->run = run;
}

static void vm_free(struct svm *v)
{
    if (munmap(v->run, krun_size) < 0) snap_die("munmap kvm_run");
    if (close(v->vcpu_fd) < 0) snap_die("close vcpu");
    if (close(v->vm_fd) < 0) snap_die("close vm");
    if (munmap(v->mem, SNAP_MEMORY) < 0) snap_die("munmap guest memory");
}

/* KVM_RUN, asking for REGS|SREGS in s.regs on exit (what vmm asks for on every run). */
static void vm_run(struct svm *v)
{
    v->run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
    if (ioctl(v->vcpu_fd, KVM_RUN, 0) < 0) snap_die("KVM_RUN");
}

static void expect_out(const struct svm *v, unsigned port)
{
    const struct kvm_run *r = v->run;
    if (r->exit_reason != KVM_EXIT_IO || r->io.direction != KVM_EXIT_IO_OUT
        || r->io.port != port || r->io.size != 1) {
        snap_fail("exit reason %u (io dir %u port 0x%x), expected a 1-byte out to 0x%x",
                  r->exit_reason, r->io.direction, r->io.port, port);
    }
}

static void expect_done(const struct svm *v, uint64_t rax);

/* Runs from a restored snapshot whose xmm0 read as 0: KVM_SET_FPU's state did not reach the
 * guest. Seen on this PVM hypervisor about once in 2,000 VMs created from a snapshot; counted
 * and reported on stderr, and fatal above 1 % of the runs (see benchmarks/README.md). */
static long fpu_lost, restored_runs;

/* A run from a restored snapshot must exit with `rax` (xmm0 + data + 1). */
static void expect_restored(const struct svm *v, uint64_t rax)
{
    restored_runs++;
    if (v->run->exit_reason == KVM_EXIT_IO && v->run->s.regs.regs.rax == rax - SNAP_XMM0) {
        fpu_lost++;
        fprintf(stderr, "floor: warning: xmm0 was 0 in a run from the restored snapshot (KVM_SET_FPU"
                        " lost, %ld of %ld runs)\n", fpu_lost, restored_runs);
        if (fpu_lost * 100 > restored_runs && restored_runs >= 100)
            snap_fail("KVM_SET_FPU was lost in %ld of %ld runs", fpu_lost, restored_runs);
        expect_out(v, PORT_DONE);
        return;
    }
    expect_done(v, rax);
}

static void expect_done(const struct svm *v, uint64_t rax)
{
    expect_out(v, PORT_DONE);
    if (v->run->s.regs.regs.rax != rax) {
        snap_fail("RAX 0x%llx after the run, expected 0x%llx",
                  (unsigned long long) v->run->s.regs.regs.rax, (unsigned long long) rax);
    }
}

static inline int bit(const uint64_t *bits, uint32_t page)
{
    return (int) ((bits[page >> 6] >> (page & 63)) & 1);
}

static inline void set_bit(uint64_t *bits, uint32_t page)
{
    bits[page >> 6] |= 1ull << (page & 63);
}

static long count_bits(const uint64_t *bits)
{
    long n = 0;
    for (uint32_t w = 0; w < SNAP_WORDS; w++) n += __builtin_popcountll(bits[w]);
    return n;
}

/* vmm's harvest: the guest's dirty pages since the last harvest (KVM_GET_DIRTY_LOG, then
 * KVM_CLEAR_DIRTY_LOG for them when there are any), added to `populated` and `since`. */
static void harvest(struct svm *v)
{
    static uint64_t bitmap[SNAP_WORDS];
    struct kvm_dirty_log get = { .slot = 0 };
    get.dirty_bitmap = bitmap;
    if (ioctl(v->vm_fd, KVM_GET_DIRTY_LOG, &get) < 0) snap_die("KVM_GET_DIRTY_LOG");
    uint64_t any = 0;
    for (uint32_t w = 0; w < SNAP_WORDS; w++) {
        any |= bitmap[w];
        v->populated[w] |= bitmap[w];
        v->since[w] |= bitmap[w];
    }
    if (any != 0) {
        struct kvm_clear_dirty_log clear = { .slot = 0, .num_pages = SNAP_PAGES, .first_page = 0 };
        clear.dirty_bitmap = bitmap;
        if (ioctl(v->vm_fd, KVM_CLEAR_DIRTY_LOG, &clear) < 0) snap_die("KVM_CLEAR_DIRTY_LOG");
    }
}

/* vmm's captureMemory + Vcpu.captureState: the populated pages into a new sealed memfd (the
 * others stay holes), mapped read-only; REGS and SREGS from s.regs, the FPU by ioctl. */
static void capture(struct svm *v, struct image *img, struct state *st)
{
    harvest(v);
    int fd = memfd_create("molt-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) snap_die("memfd_create");
    if (ftruncate(fd, SNAP_MEMORY) < 0) snap_die("ftruncate memfd");
    uint32_t page = 0;
    while (page < SNAP_PAGES) {
        if (!bit(v->populated, page)) {
            page++;
            continue;
        }
        uint32_t start = page;
        while (page < SNAP_PAGES && bit(v->populated, page)) page++;
        size_t length = (size_t) (page - start) * SNAP_PAGE, done = 0;
        off_t at = (off_t) start * SNAP_PAGE;
        while (done < length) {
            ssize_t n = pwrite(fd, v->mem + at + done, length - done, at + (off_t) done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) snap_die("pwrite snapshot image");
            done += (size_t) n;
        }
    }
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
        snap_die("F_ADD_SEALS");
    void *map = mmap(NULL, SNAP_MEMORY, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) snap_die("mmap snapshot image");
    img->fd = fd;
    img->map = map;
    memcpy(img->populated, v->populated, sizeof img->populated);
    memset(v->since, 0, sizeof v->since);
    st->regs = v->run->s.regs.regs;
    st->sregs = v->run->s.regs.sregs;
    if (ioctl(v->vcpu_fd, KVM_GET_FPU, &st->fpu) < 0) snap_die("KVM_GET_FPU");
}

static void image_free(struct image *img)
{
    if (munmap(img->map, SNAP_MEMORY) < 0) snap_die("munmap snapshot image");
    if (close(img->fd) < 0) snap_die("close snapshot memfd");
}

/* vmm's restoreMemory (tracked image: copy back the pages changed since, guest- or host-written)
 * + Vcpu.restoreState (FPU by KVM_SET_FPU, SREGS and REGS through s.regs for the next run).
 * Returns the pages copied. */
static long restore(struct svm *v, const struct image *img, const struct state *st)
{
    harvest(v);
    long copied = 0;
    uint32_t page = 0;
    while (page < SNAP_PAGES) {
        if (!bit(v->since, page)) {
            page++;
            continue;
        }
        uint32_t start = page;
        while (page < SNAP_PAGES && bit(v->since, page)) page++;
        memcpy(v->mem + (size_t) start * SNAP_PAGE, img->map + (size_t) start * SNAP_PAGE,
               (size_t) (page - start) * SNAP_PAGE);
        copied += page - start;
    }
    for (uint32_t w = 0; w < SNAP_WORDS; w++) {
        v->populated[w] = (v->populated[w] & ~v->since[w]) | (img->populated[w] & v->since[w]);
        v->since[w] = 0;
    }
    if (ioctl(v->vcpu_fd, KVM_SET_FPU, &st->fpu) < 0) snap_die("KVM_SET_FPU");
    v->run->s.regs.sregs = st->sregs;
    v->run->s.regs.regs = st->regs;
    v->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
    return copied;
}

/* Entry registers of the dirtying code: RDI = pages, RSI = first data page. */
static void dirty_regs(struct kvm_regs *regs, uint64_t pages)
{
    layout_regs(regs, SNAP_DIRTY_ENTRY);
    regs->rdi = pages;
    regs->rsi = SNAP_DATA_BASE;
}

/* Marks the pages of [gpa, gpa + length) populated (host writes, as vmm's GuestMemory does). */
static void host_wrote(struct svm *v, uint64_t gpa, uint64_t length)
{
    for (uint64_t p = gpa / SNAP_PAGE; p <= (gpa + length - 1) / SNAP_PAGE; p++)
        set_bit(v->populated, (uint32_t) p);
}

/* The reference VM of every scenario, ready to capture: layout + dirtying code + data pages
 * written by the host; entered once (FPU state set before a first entry is lost on PVM); then
 * xmm0 = SNAP_XMM0 and registers at the dirtying code for `pages` pages (in s.regs). */
static void setup_reference(uint64_t pages)
{
    kvm_init();
    vm_new(&vm, -1);
    if (layout_build(vm.mem, SNAP_MEMORY) != 0) snap_fail("layout_build rejected 16 MiB");
    /* The pages vmm's LongModeImage.writeTo writes (GDT, IDT, TSS + I/O bitmap, stubs, page
     * tables; not the null page or the two ring-0 stacks), then the user code page. */
    host_wrote(&vm, LAYOUT_GDT, LAYOUT_RING0_STACK - LAYOUT_GDT);
    host_wrote(&vm, LAYOUT_PML4, LAYOUT_PT + 8u * SNAP_PAGE - LAYOUT_PML4);
    memcpy(vm.mem + SNAP_DIRTY_ENTRY, SNAP_DIRTY_CODE, sizeof SNAP_DIRTY_CODE);
    host_wrote(&vm, LAYOUT_USER_CODE, SNAP_DIRTY_ENTRY + sizeof SNAP_DIRTY_CODE - LAYOUT_USER_CODE);
    for (uint32_t k = 0; k < SNAP_DATA_PAGES; k++) {
        uint64_t value = SNAP_DATA_VALUE + k;
        memcpy(vm.mem + SNAP_DATA_BASE + (size_t) k * SNAP_PAGE, &value, sizeof value);
        host_wrote(&vm, SNAP_DATA_BASE + (uint64_t) k * SNAP_PAGE, sizeof value);
    }
    layout_sregs(&vm.run->s.regs.sregs);
    layout_regs(&vm.run->s.regs.regs, ENTRY_FIRST_EXIT);
    vm.run->kvm_dirty_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
    vm_run(&vm);
    expect_done(&vm, FIRST_EXIT_VALUE);
    struct kvm_fpu fpu;
    if (ioctl(vm.vcpu_fd, KVM_GET_FPU, &fpu) < 0) snap_die("KVM_GET_FPU");
    uint64_t x0 = SNAP_XMM0;
    memset(fpu.xmm[0], 0, sizeof fpu.xmm[0]);
    memcpy(fpu.xmm[0], &x0, sizeof x0);
    if (ioctl(vm.vcpu_fd, KVM_SET_FPU, &fpu) < 0) snap_die("KVM_SET_FPU");
    layout_sregs(&vm.run->s.regs.sregs);
    dirty_regs(&vm.run->s.regs.regs, pages);
    vm.run->kvm_dirty_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
    expected_rax = SNAP_XMM0 + SNAP_DATA_VALUE + 1;
}

static uint64_t image_qword(const struct image *img, uint64_t gpa)
{
    uint64_t value;
    memcpy(&value, img->map + gpa, sizeof value);
    return value;
}

static uint64_t xmm0_low(const struct kvm_fpu *fpu)
{
    uint64_t value;
    memcpy(&value, fpu->xmm[0], sizeof value);
    return value;
}

/* ---- snapshot ------------------------------------------------------------------------ */

void snap_setup_snapshot(struct bench *b)
{
    (void) b;
    setup_reference(1);
    last_rax = SNAP_XMM0 + SNAP_DATA_VALUE;   /* "xmm0 + [data page 0]" before the first run */
}

/* Unmeasured: a run dirtying data page 0 (so memory differs from every earlier image and the
 * capture must copy). Measured: capture memory + vCPU state. Verified: the image holds the value
 * the guest wrote, the state its registers and xmm0. */
uint64_t snap_op_snapshot(struct bench *b, long i)
{
    (void) b;
    (void) i;
    dirty_regs(&vm.run->s.regs.regs, 1);
    vm.run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
    vm_run(&vm);
    uint64_t rax = vm.run->s.regs.regs.rax;
    expect_done(&vm, last_rax + 1);
    struct image img;
    struct state st;
    uint64_t t0 = snap_now();
    capture(&vm, &img, &st);
    uint64_t t1 = snap_now();
    if (image_qword(&img, SNAP_DATA_BASE) != rax || st.regs.rax != rax || xmm0_low(&st.fpu) != rax
        || image_qword(&img, SNAP_DATA_BASE + SNAP_PAGE) != SNAP_DATA_VALUE + 1
        || memcmp(img.map + LAYOUT_PT, vm.mem + LAYOUT_PT, SNAP_PAGE) != 0) {
        snap_fail("the captured image or state differs from the VM (rax 0x%llx)",
                  (unsigned long long) rax);
    }
    long populated = count_bits(img.populated);
    if (populated != SNAP_POPULATED) snap_fail("%ld pages captured, expected %u", populated, SNAP_POPULATED);
    image_free(&img);
    last_rax = rax + rax;   /* next run: xmm0 (= rax) + [data page 0] (= rax) */
    return t1 - t0;
}

/* ---- restore-N ----------------------------------------------------------------------- */

static void setup_restore(long pages)
{
    dirty_count = pages;
    setup_reference((uint64_t) pages);
    capture(&vm, &snap, &snap_state);
}

void snap_setup_restore_1(struct bench *b) { (void) b; setup_restore(1); }
void snap_setup_restore_16(struct bench *b) { (void) b; setup_restore(16); }
void snap_setup_restore_256(struct bench *b) { (void) b; setup_restore(256); }

/* Unmeasured: a run from the snapshot state dirtying N data pages (checked: RAX proves memory,
 * registers and xmm0 were the snapshot's). Measured: restore memory + REGS + SREGS + FPU.
 * Verified: at least N pages copied and every dirtied page holds the image's value again. */
uint64_t snap_op_restore(struct bench *b, long i)
{
    (void) b;
    (void) i;
    vm_run(&vm);
    expect_restored(&vm, expected_rax);
    uint64_t t0 = snap_now();
    long copied = restore(&vm, &snap, &snap_state);
    uint64_t t1 = snap_now();
    if (copied < dirty_count) snap_fail("restore copied %ld pages, the guest dirtied %ld", copied, dirty_count);
    for (long k = 0; k < dirty_count; k++) {
        uint64_t value;
        memcpy(&value, vm.mem + SNAP_DATA_BASE + (size_t) k * SNAP_PAGE, sizeof value);
        if (value != SNAP_DATA_VALUE + (uint64_t) k) snap_fail("data page %ld not restored", k);
    }
    return t1 - t0;
}

/* ---- create-from-snapshot ------------------------------------------------------------ */

void snap_setup_create(struct bench *b)
{
    (void) b;
    setup_restore(1);
}

/* Measured: a new VM whose memory maps the image copy-on-write, its vCPU, the warm-up entry
 * (snapshot sregs, RIP 0: the #PF stub reports at once) and the restore (the stub's stack page
 * back, FPU, SREGS, REGS) — what states' fromSnapshot does. Unmeasured and verified: a run from
 * the restored state exits with the snapshot's RAX; then the VM is torn down. */
uint64_t snap_op_create(struct bench *b, long i)
{
    (void) b;
    (void) i;
    struct svm nv;
    uint64_t t0 = snap_now();
    vm_new(&nv, snap.fd);
    memcpy(nv.populated, snap.populated, sizeof nv.populated);
    nv.run->s.regs.sregs = snap_state.sregs;
    memset(&nv.run->s.regs.regs, 0, sizeof nv.run->s.regs.regs);
    nv.run->s.regs.regs.rip = 0;
    nv.run->s.regs.regs.rsp = LAYOUT_USER_RSP;
    nv.run->s.regs.regs.rflags = 0x2;
    nv.run->kvm_dirty_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
    vm_run(&nv);
    expect_out(&nv, SNAP_PF_PORT);
    long copied = restore(&nv, &snap, &snap_state);
    uint64_t t1 = snap_now();
    if (copied < 1) snap_fail("the warm-up entry dirtied no page (the #PF frame is on the stack)");
    vm_run(&nv);
    expect_restored(&nv, expected_rax);
    vm_free(&nv);
    return t1 - t0;
}

/* ---- snapshot files (docs/snapshot-format.md, version 2.0) ---------------------------- */

#define FILE_MAJOR 2u
#define FILE_MINOR 0u
#define FILE_SECTIONS 4u
#define FILE_HEADER (32u + FILE_SECTIONS * 56u + 32u)
#define FILE_ALIGN 4096u

static EVP_MD_CTX *sha;
static uint8_t sections[3][FILE_ALIGN];   /* metadata, vcpus, memory-layout */
static size_t section_length[3];
static uint8_t image_digest[32];          /* SHA-256 of the 16 MiB image, for verification */
static char file_dir[256];
static char file_path[300];
static long image_nonzero;                /* non-zero pages of the image */

static void sha256(const void *data, size_t length, uint8_t out[32])
{
    if (EVP_DigestInit_ex(sha, EVP_sha256(), NULL) != 1 || EVP_DigestUpdate(sha, data, length) != 1
        || EVP_DigestFinal_ex(sha, out, NULL) != 1) {
        snap_fail("SHA-256 (OpenSSL EVP) failed");
    }
}

struct out { uint8_t *p; size_t n; };
static void put(struct out *o, const void *data, size_t length)
{
    if (o->n + length > FILE_ALIGN) snap_fail("a small section exceeds 4 KiB");
    memcpy(o->p + o->n, data, length);
    o->n += length;
}
static void put_u8(struct out *o, uint8_t v) { put(o, &v, 1); }
static void put_u16(struct out *o, uint16_t v) { put(o, &v, 2); }
static void put_u32(struct out *o, uint32_t v) { put(o, &v, 4); }
static void put_u64(struct out *o, uint64_t v) { put(o, &v, 8); }
static void put_string(struct out *o, const char *s)
{
    put_u32(o, (uint32_t) strlen(s));
    put(o, s, strlen(s));
}

static void put_segment(struct out *o, const struct kvm_segment *s)
{
    put_u64(o, s->base);
    put_u32(o, s->limit);
    put_u16(o, s->selector);
    put_u8(o, s->type);
    put_u8(o, s->present);
    put_u8(o, s->dpl);
    put_u8(o, s->db);
    put_u8(o, s->s);
    put_u8(o, s->l);
    put_u8(o, s->g);
    put_u8(o, s->avl);
    put_u8(o, s->unusable);
}

/* The three small sections of the reference snapshot, in the documented encoding. */
static void build_sections(void)
{
    unsigned a, b, c, d;
    char vendor[13] = { 0 };
    __cpuid(0, a, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    struct out m = { sections[0], 0 };
    put_string(&m, "dev.molt.states.MultiUseSandbox");
    put_u64(&m, 0x6d6f6c742d666c6full);
    put_u64(&m, 0x6f722d6c696e6561ull);
    put_string(&m, "molt-reference-16m");
    put_u64(&m, 1);
    put_string(&m, vendor);
    put_u32(&m, 0);   /* CPU features: none recorded */
    put_u32(&m, 0);   /* host functions: none */
    section_length[0] = m.n;

    struct out v = { sections[1], 0 };
    put_u32(&v, 1);
    put(&v, &snap_state.regs, sizeof snap_state.regs);   /* 18 x u64 in kvm_regs order */
    const struct kvm_sregs *s = &snap_state.sregs;
    const struct kvm_segment *segs[] = { &s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldt };
    for (size_t k = 0; k < 8; k++) put_segment(&v, segs[k]);
    put_u64(&v, s->gdt.base);
    put_u16(&v, s->gdt.limit);
    put_u64(&v, s->idt.base);
    put_u16(&v, s->idt.limit);
    uint64_t crs[] = { s->cr0, s->cr2, s->cr3, s->cr4, s->cr8, s->efer, s->apic_base };
    for (size_t k = 0; k < 7; k++) put_u64(&v, crs[k]);
    const struct kvm_fpu *f = &snap_state.fpu;
    put(&v, f->fpr, sizeof f->fpr);
    put_u16(&v, f->fcw);
    put_u16(&v, f->fsw);
    put_u8(&v, f->ftwx);
    put_u16(&v, f->last_opcode);
    put_u64(&v, f->last_ip);
    put_u64(&v, f->last_dp);
    put(&v, f->xmm, sizeof f->xmm);
    put_u32(&v, f->mxcsr);
    section_length[1] = v.n;

    struct out l = { sections[2], 0 };
    put_u32(&l, 1);
    put_u64(&l, 0);
    put_u64(&l, SNAP_MEMORY);
    put_u8(&l, 1);   /* memfd-backed */
    put_u8(&l, 0);
    put_u16(&l, 0);
    put_u32(&l, 0);
    section_length[2] = l.n;
}

static uint64_t section_offset(unsigned k) { return FILE_ALIGN * (1u + k); }
#define MEMORY_OFFSET (FILE_ALIGN * 4u)
#define FILE_SIZE ((uint64_t) MEMORY_OFFSET + SNAP_MEMORY)

static void pwrite_all(int fd, const void *data, size_t length, off_t at, const char *what)
{
    size_t done = 0;
    while (done < length) {
        ssize_t n = pwrite(fd, (const uint8_t *) data + done, length - done, at + (off_t) done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) snap_die(what);
        done += (size_t) n;
    }
}

static void pread_all(int fd, void *data, size_t length, off_t at, const char *what)
{
    size_t done = 0;
    while (done < length) {
        ssize_t n = pread(fd, (uint8_t *) data + done, length - done, at + (off_t) done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) snap_fail("%s: file ended early", what);
        done += (size_t) n;
    }
}

static void le16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void le32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void le64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* What states' SnapshotFileWriter does: a temporary file in the target's directory, the small
 * sections (each hashed), the memory image in 1 MiB writes hashed as written, the header with
 * its digest, fsync, rename over the target. Returns the memory section's digest. */
static void save_file(const char *target, uint8_t memory_digest[32])
{
    char temporary[sizeof file_path + 32];
    snprintf(temporary, sizeof temporary, "%s/.molt-snapshot-XXXXXX.tmp", file_dir);
    int fd = mkostemps(temporary, 4, O_CLOEXEC);
    if (fd < 0) snap_die("mkostemps");
    uint8_t header[FILE_HEADER];
    memset(header, 0, sizeof header);
    memcpy(header, "MOLTSNAP", 8);
    le16(header + 8, FILE_MAJOR);
    le16(header + 10, FILE_MINOR);
    le32(header + 12, FILE_HEADER);
    le64(header + 16, FILE_SIZE);
    le32(header + 24, FILE_SECTIONS);
    for (unsigned k = 0; k < 3; k++) {
        uint8_t *entry = header + 32 + 56 * k;
        le32(entry, k + 1);
        le64(entry + 8, section_offset(k));
        le64(entry + 16, section_length[k]);
        sha256(sections[k], section_length[k], entry + 24);
        pwrite_all(fd, sections[k], section_length[k], (off_t) section_offset(k), "write section");
    }
    if (lseek(fd, MEMORY_OFFSET, SEEK_SET) < 0) snap_die("lseek");
    if (EVP_DigestInit_ex(sha, EVP_sha256(), NULL) != 1) snap_fail("SHA-256 init failed");
    for (size_t at = 0; at < SNAP_MEMORY; at += SNAP_CHUNK) {
        size_t done = 0;
        while (done < SNAP_CHUNK) {
            ssize_t n = write(fd, snap.map + at + done, SNAP_CHUNK - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) snap_die("write memory section");
            if (EVP_DigestUpdate(sha, snap.map + at + done, (size_t) n) != 1) snap_fail("SHA-256 update");
            done += (size_t) n;
        }
    }
    uint8_t *entry = header + 32 + 56 * 3;
    le32(entry, 4);
    le64(entry + 8, MEMORY_OFFSET);
    le64(entry + 16, SNAP_MEMORY);
    if (EVP_DigestFinal_ex(sha, entry + 24, NULL) != 1) snap_fail("SHA-256 final failed");
    memcpy(memory_digest, entry + 24, 32);
    sha256(header, FILE_HEADER - 32, header + FILE_HEADER - 32);
    pwrite_all(fd, header, sizeof header, 0, "write header");
    if (fsync(fd) < 0) snap_die("fsync");
    if (close(fd) < 0) snap_die("close snapshot file");
    if (rename(temporary, target) < 0) snap_die("rename snapshot file");
}

static void setup_files(void)
{
    setup_restore(1);
    sha = EVP_MD_CTX_new();
    if (sha == NULL) snap_fail("EVP_MD_CTX_new failed");
    build_sections();
    sha256(snap.map, SNAP_MEMORY, image_digest);
    image_nonzero = 0;
    static const uint8_t zero[SNAP_PAGE];
    for (uint32_t p = 0; p < SNAP_PAGES; p++)
        if (memcmp(snap.map + (size_t) p * SNAP_PAGE, zero, SNAP_PAGE) != 0) image_nonzero++;
    const char *tmp = getenv("TMPDIR");
    snprintf(file_dir, sizeof file_dir, "%s/molt-floor-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
    if (mkdtemp(file_dir) == NULL) snap_die("mkdtemp");
    snprintf(file_path, sizeof file_path, "%s/reference.moltsnap", file_dir);
}

void snap_setup_save(struct bench *b)
{
    (void) b;
    setup_files();
}

/* Measured: save_file. Verified: the file's size, header digest and memory digest (equal to the
 * image's SHA-256 computed in setup); on the first op, the whole file re-read and re-hashed. */
uint64_t snap_op_save(struct bench *b, long i)
{
    (void) b;
    uint8_t digest[32];
    uint64_t t0 = snap_now();
    save_file(file_path, digest);
    uint64_t t1 = snap_now();
    if (memcmp(digest, image_digest, 32) != 0) snap_fail("memory section digest differs from the image's");
    int fd = open(file_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) snap_die("open saved file");
    struct stat st;
    if (fstat(fd, &st) < 0) snap_die("fstat");
    if ((uint64_t) st.st_size != FILE_SIZE) snap_fail("saved file has %lld bytes", (long long) st.st_size);
    uint8_t header[FILE_HEADER], check[32];
    pread_all(fd, header, sizeof header, 0, "header");
    sha256(header, FILE_HEADER - 32, check);
    if (memcmp(check, header + FILE_HEADER - 32, 32) != 0) snap_fail("header digest wrong");
    if (memcmp(header + 32 + 56 * 3 + 24, image_digest, 32) != 0) snap_fail("memory digest wrong");
    if (i == 0) {
        uint8_t *bytes = malloc(SNAP_MEMORY);
        if (bytes == NULL) snap_die("malloc");
        pread_all(fd, bytes, SNAP_MEMORY, MEMORY_OFFSET, "memory section");
        if (memcmp(bytes, snap.map, SNAP_MEMORY) != 0) snap_fail("memory section differs from the image");
        free(bytes);
    }
    if (close(fd) < 0) snap_die("close");
    return t1 - t0;
}

void snap_setup_load(struct bench *b)
{
    (void) b;
    setup_files();
    uint8_t digest[32];
    save_file(file_path, digest);
}

/* What states' SnapshotFileReader does with a valid file: open, size, header (magic, version,
 * sizes, digest, section table), the header padding and each small section read once with its
 * padding (checked zero) and hashed; then the memory image read in 1 MiB chunks into a new memfd
 * mapping, hashed from there, its non-zero pages noted, unmapped, digest compared, memfd sealed
 * and mapped read-only. */
static void load_file(struct image *img)
{
    static uint8_t block[FILE_ALIGN];
    int fd = open(file_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) snap_die("open snapshot file");
    struct stat st;
    if (fstat(fd, &st) < 0) snap_die("fstat snapshot file");
    pread_all(fd, block, FILE_ALIGN, 0, "header");
    uint8_t digest[32];
    if (memcmp(block, "MOLTSNAP", 8) != 0 || rd32(block + 8) != (FILE_MAJOR | FILE_MINOR << 16)
        || rd32(block + 12) != FILE_HEADER || rd64(block + 16) != (uint64_t) st.st_size
        || rd32(block + 24) != FILE_SECTIONS || rd32(block + 28) != 0) {
        snap_fail("bad snapshot header");
    }
    sha256(block, FILE_HEADER - 32, digest);
    if (memcmp(digest, block + FILE_HEADER - 32, 32) != 0) snap_fail("header digest");
    uint8_t table[FILE_SECTIONS][56];
    memcpy(table, block + 32, sizeof table);
    for (size_t k = FILE_HEADER; k < FILE_ALIGN; k++)
        if (block[k] != 0) snap_fail("header padding");
    for (unsigned k = 0; k < FILE_SECTIONS; k++) {
        if (rd32(table[k]) != k + 1 || rd32(table[k] + 4) != 0 || rd64(table[k] + 8) != section_offset(k))
            snap_fail("section table entry %u", k);
    }
    for (unsigned k = 0; k < 3; k++) {
        uint64_t length = rd64(table[k] + 16);
        if (length > FILE_ALIGN) snap_fail("section %u too long for this floor", k);
        pread_all(fd, block, FILE_ALIGN, (off_t) section_offset(k), "small section");
        for (size_t p = length; p < FILE_ALIGN; p++)
            if (block[p] != 0) snap_fail("section %u padding", k);
        sha256(block, length, digest);
        if (memcmp(digest, table[k] + 24, 32) != 0) snap_fail("section %u digest", k);
        if (k == 1 && (rd32(block) != 1 || rd64(block + 4 + 16 * 8) != snap_state.regs.rip))
            snap_fail("vcpus section");
        if (k == 2 && (rd32(block) != 1 || rd64(block + 12) != SNAP_MEMORY)) snap_fail("memory-layout section");
    }
    if (rd64(table[3] + 16) != SNAP_MEMORY || MEMORY_OFFSET + SNAP_MEMORY != (uint64_t) st.st_size)
        snap_fail("memory section size");
    int mfd = memfd_create("molt-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0) snap_die("memfd_create");
    if (ftruncate(mfd, SNAP_MEMORY) < 0) snap_die("ftruncate memfd");
    uint8_t *target = mmap(NULL, SNAP_MEMORY, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    if (target == MAP_FAILED) snap_die("mmap memfd");
    memset(img->populated, 0, sizeof img->populated);
    static const uint8_t zero[SNAP_PAGE];
    if (EVP_DigestInit_ex(sha, EVP_sha256(), NULL) != 1) snap_fail("SHA-256 init failed");
    for (size_t at = 0; at < SNAP_MEMORY; at += SNAP_CHUNK) {
        size_t done = 0;
        while (done < SNAP_CHUNK) {
            ssize_t n = pread(fd, target + at + done, SNAP_CHUNK - done,
                              (off_t) (MEMORY_OFFSET + at + done));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) snap_fail("memory section ended early");
            if (EVP_DigestUpdate(sha, target + at + done, (size_t) n) != 1) snap_fail("SHA-256 update");
            done += (size_t) n;
        }
        for (size_t p = at; p < at + SNAP_CHUNK; p += SNAP_PAGE)
            if (memcmp(target + p, zero, SNAP_PAGE) != 0) set_bit(img->populated, (uint32_t) (p / SNAP_PAGE));
    }
    if (munmap(target, SNAP_MEMORY) < 0) snap_die("munmap memfd");
    if (EVP_DigestFinal_ex(sha, digest, NULL) != 1) snap_fail("SHA-256 final failed");
    if (memcmp(digest, table[3] + 24, 32) != 0) snap_fail("memory digest");
    if (fcntl(mfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
        snap_die("F_ADD_SEALS");
    void *map = mmap(NULL, SNAP_MEMORY, PROT_READ, MAP_SHARED, mfd, 0);
    if (map == MAP_FAILED) snap_die("mmap image");
    img->fd = mfd;
    img->map = map;
    if (close(fd) < 0) snap_die("close snapshot file");
}

/* Measured: load_file. Verified: the sealed image equals the saved one byte for byte and its
 * non-zero page count is the image's. */
uint64_t snap_op_load(struct bench *b, long i)
{
    (void) b;
    (void) i;
    struct image img;
    uint64_t t0 = snap_now();
    load_file(&img);
    uint64_t t1 = snap_now();
    if (count_bits(img.populated) != image_nonzero) snap_fail("non-zero page count differs");
    if (memcmp(img.map, snap.map, SNAP_MEMORY) != 0) snap_fail("loaded image differs");
    int seals = fcntl(img.fd, F_GET_SEALS);
    if (seals < 0 || (seals & F_SEAL_WRITE) == 0) snap_fail("loaded image is not sealed");
    image_free(&img);
    return t1 - t0;
}

/* Checks one last run from the snapshot (restore-N: the last op's restore), frees everything. */
void snap_teardown(struct bench *b)
{
    (void) b;
    if (snap.map != NULL) {
        if (dirty_count > 0) {
            vm_run(&vm);
            expect_restored(&vm, expected_rax);
        }
        image_free(&snap);
        snap.map = NULL;
    }
    vm_free(&vm);
    if (file_path[0] != '\0') {
        unlink(file_path);
        if (rmdir(file_dir) < 0) snap_die("rmdir");
        file_path[0] = '\0';
    }
    if (sha != NULL) EVP_MD_CTX_free(sha);
    sha = NULL;
    if (close(kfd) < 0) snap_die("close /dev/kvm");
}
