/*
 * Molt's native floor: performs the six benchmark scenarios of the reference ring-3 layout
 * and the four states operations (states_floor.c) with raw KVM ioctls, verifies each operation's result, and prints one JSON line of
 * per-operation timings. See benchmarks/README.md for the scenarios and the output schema.
 *
 *   floor <scenario> --ops N [--warmup W] [--guest ELF --plan FILE]  (states scenarios)
 *   floor dump-guest-image --guest ELF --plan FILE IMAGE REGISTERS
 *                              (guest memory + entry registers before initialisation)
 *   floor dump-image FILE      (the initial 16 MiB guest image, for byte-for-byte comparison)
 *   floor dump-registers FILE  (struct kvm_sregs, then struct kvm_regs for ENTRY_FIRST_EXIT)
 *   floor list                 (scenario names, one per line)
 */
#define _GNU_SOURCE
#include "floor.h"
#include "layout.h"
#include "states_floor.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MEMORY_SIZE   (16u << 20)          /* benchmarks use 16 MiB of guest memory */
#define MAX_OPS       10000000L
#define KICK_SIGNAL   (SIGRTMIN + 2)
#define KICK_DELAY_NS 1000000L             /* let the vCPU settle in the guest before a kick */

void die_errno(const char *what)
{
    int e = errno;
    fprintf(stderr, "floor: %s failed: %s (errno %d)\n", what, strerror(e), e);
    exit(EXIT_KVM);
}

void verify_failed(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("floor: verification failed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(EXIT_VERIFY);
}

void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("floor: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\nusage: floor <scenario> --ops N [--warmup W] [--guest ELF --plan FILE]"
          " | floor dump-image FILE | floor dump-registers FILE"
          " | floor dump-guest-image --guest ELF --plan FILE IMAGE REGISTERS | floor list\n",
          stderr);
    va_end(ap);
    exit(EXIT_USAGE);
}

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* ---- KVM objects -------------------------------------------------------------------- */

int kvm_fd = -1;
size_t run_size;

static void kvm_open(void)
{
    kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm_fd < 0) die_errno("open /dev/kvm");
    int api = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION) {
        fprintf(stderr, "floor: KVM API version %d, expected %d\n", api, KVM_API_VERSION);
        exit(EXIT_KVM);
    }
    if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) <= 0) {
        fprintf(stderr, "floor: this KVM lacks KVM_CAP_SYNC_REGS, which the scenarios use\n");
        exit(EXIT_KVM);
    }
    int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size <= 0) die_errno("KVM_GET_VCPU_MMAP_SIZE");
    run_size = (size_t) size;
}

/* How vm_create hands the entry registers to KVM. */
enum set_registers {
    BY_IOCTL,      /* KVM_SET_SREGS + KVM_SET_REGS */
    BY_SYNC_REGS,  /* kvm_run->s.regs with kvm_dirty_regs = REGS|SREGS: applied by the next
                      KVM_RUN, without two vCPU ioctls (what Molt's vmm does) */
};

/* Creates a VM with 16 MiB of memory holding the reference layout and one vCPU whose
 * registers are set to enter ring 3 at `rip`. */
static void vm_create(struct vm *vm, uint64_t rip, enum set_registers how)
{
    vm->vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0) die_errno("KVM_CREATE_VM");
    void *mem = mmap(NULL, MEMORY_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) die_errno("mmap guest memory");
    vm->mem = mem;
    struct kvm_userspace_memory_region region = {
        .slot = 0, .flags = 0, .guest_phys_addr = 0,
        .memory_size = MEMORY_SIZE, .userspace_addr = (uint64_t) (uintptr_t) mem,
    };
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        die_errno("KVM_SET_USER_MEMORY_REGION");
    if (layout_build(vm->mem, MEMORY_SIZE) != 0) {
        fprintf(stderr, "floor: layout_build rejected %u bytes\n", MEMORY_SIZE);
        exit(EXIT_KVM);
    }
    vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0) die_errno("KVM_CREATE_VCPU");
    void *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
    if (run == MAP_FAILED) die_errno("mmap kvm_run");
    vm->run = run;
    if (how == BY_SYNC_REGS) {
        layout_sregs(&vm->run->s.regs.sregs);
        layout_regs(&vm->run->s.regs.regs, rip);
        vm->run->kvm_dirty_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
        return;
    }
    struct kvm_sregs sregs;
    layout_sregs(&sregs);
    if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0) die_errno("KVM_SET_SREGS");
    struct kvm_regs regs;
    layout_regs(&regs, rip);
    if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0) die_errno("KVM_SET_REGS");
}

/* Tears down in the order Molt's VirtualMachine.close() does: the VM descriptor goes before the
 * guest memory is unmapped (also ≈ 35 µs cheaper here than unmapping first). */
static void vm_destroy(struct vm *vm)
{
    if (munmap(vm->run, run_size) < 0) die_errno("munmap kvm_run");
    if (close(vm->vcpu_fd) < 0) die_errno("close vcpu");
    if (close(vm->vm_fd) < 0) die_errno("close vm");
    if (munmap(vm->mem, MEMORY_SIZE) < 0) die_errno("munmap guest memory");
}

static void vm_run(struct vm *vm)
{
    if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) die_errno("KVM_RUN");
}

/* The exit must be a one-byte `out` to `port`. */
static void expect_out(const struct vm *vm, uint16_t port)
{
    const struct kvm_run *run = vm->run;
    if (run->exit_reason != KVM_EXIT_IO) {
        verify_failed("exit reason %u, expected KVM_EXIT_IO (%d) on port 0x%x",
                      run->exit_reason, KVM_EXIT_IO, port);
    }
    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != port || run->io.size != 1
        || run->io.count != 1) {
        verify_failed("IO exit dir=%u port=0x%x size=%u count=%u, expected a 1-byte out to 0x%x",
                      run->io.direction, run->io.port, run->io.size, run->io.count, port);
    }
}

/* Guest memory as 64-bit cells, read and written as volatile (the guest shares them). */
static volatile uint64_t *cell(const struct vm *vm, uint64_t gpa)
{
    if (gpa % 8 != 0 || gpa + 8 > MEMORY_SIZE) {
        verify_failed("guest address 0x%llx is not an aligned cell inside guest memory",
                      (unsigned long long) gpa);
    }
    return (volatile uint64_t *) (void *) (vm->mem + gpa);
}

/* ---- scenarios ---------------------------------------------------------------------- */

/* 1. create-to-first-exit */
static uint64_t op_create_to_first_exit(struct bench *b, long i)
{
    (void) i;
    struct vm vm;
    uint64_t t0 = now_ns();
    vm_create(&vm, ENTRY_FIRST_EXIT, BY_SYNC_REGS);
    vm.run->kvm_valid_regs = KVM_SYNC_X86_REGS;
    vm_run(&vm);
    expect_out(&vm, PORT_DONE);
    uint64_t rax = vm.run->s.regs.regs.rax;
    vm_destroy(&vm);
    uint64_t t1 = now_ns();
    (void) b;
    if (rax != FIRST_EXIT_VALUE) {
        verify_failed("first exit RAX=%llu, expected %u", (unsigned long long) rax,
                      FIRST_EXIT_VALUE);
    }
    return t1 - t0;
}

static void setup_vm_at(struct bench *b, uint64_t rip) { vm_create(&b->vm, rip, BY_IOCTL); }
static void teardown_vm(struct bench *b) { vm_destroy(&b->vm); }

/* 2. io-exit-round-trip */
static void setup_io(struct bench *b) { setup_vm_at(b, ENTRY_IO_LOOP); }
static uint64_t op_io(struct bench *b, long i)
{
    (void) i;
    uint64_t t0 = now_ns();
    vm_run(&b->vm);
    uint64_t t1 = now_ns();
    expect_out(&b->vm, PORT_DONE);
    return t1 - t0;
}

/* 3. dispatch-sync-regs */
static void setup_dispatch(struct bench *b)
{
    setup_vm_at(b, ENTRY_ECHO_RDI);
    /* s.regs must hold a complete register file before the first dirty KVM_RUN. */
    layout_regs(&b->vm.run->s.regs.regs, ENTRY_ECHO_RDI);
    b->vm.run->kvm_valid_regs = KVM_SYNC_X86_REGS;
}
static uint64_t op_dispatch(struct bench *b, long i)
{
    struct kvm_run *run = b->vm.run;
    uint64_t arg = 0x5afe000000000000ull + (uint64_t) i;
    uint64_t t0 = now_ns();
    run->s.regs.regs.rip = ENTRY_ECHO_RDI;
    run->s.regs.regs.rsp = LAYOUT_USER_RSP;
    run->s.regs.regs.rdi = arg;
    run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
    vm_run(&b->vm);
    uint64_t rax = run->s.regs.regs.rax;
    uint64_t t1 = now_ns();
    expect_out(&b->vm, PORT_DONE);
    if (rax != arg) {
        verify_failed("dispatch returned RAX=0x%llx, expected RDI=0x%llx",
                      (unsigned long long) rax, (unsigned long long) arg);
    }
    return t1 - t0;
}

/* 4. fault-round-trip */
struct fault_report {
    uint32_t vector;
    uint64_t error_code;    /* 0 for vectors without one */
    uint64_t rip, cs, rflags, rsp, ss, cr2;
};

static int has_error_code(uint32_t vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21
        || vector == 29 || vector == 30;
}

static struct kvm_regs fault_reset_regs;
static struct kvm_sregs fault_reset_sregs;

/* Resets the vCPU to ring 3 at ENTRY_UD2 through s.regs (applied on the next KVM_RUN). */
static void fault_reset(struct kvm_run *run)
{
    run->s.regs.regs = fault_reset_regs;
    run->s.regs.sregs = fault_reset_sregs;
    run->kvm_dirty_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
}

static void setup_fault(struct bench *b)
{
    setup_vm_at(b, ENTRY_UD2);
    layout_regs(&fault_reset_regs, ENTRY_UD2);
    layout_sregs(&fault_reset_sregs);
    b->vm.run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
    fault_reset(b->vm.run);
}

/* Decodes a fault-port exit: accepted only for ports 0x80+v at CPL 0; the frame is read
 * from the ring-0 stack in guest memory, CR2 from s.regs. */
static struct fault_report fault_decode(const struct vm *vm)
{
    const struct kvm_run *run = vm->run;
    if (run->exit_reason != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT
        || run->io.port < FAULT_PORT_BASE || run->io.port >= FAULT_PORT_BASE + FAULT_VECTORS) {
        verify_failed("expected a fault-port exit, got exit reason %u port 0x%x",
                      run->exit_reason, run->io.port);
    }
    if ((run->s.regs.sregs.cs.selector & 3u) != 0) {
        verify_failed("fault-port exit at CPL %u, accepted only at CPL 0",
                      run->s.regs.sregs.cs.selector & 3u);
    }
    struct fault_report r;
    r.vector = run->io.port - FAULT_PORT_BASE;
    uint64_t sp = run->s.regs.regs.rsp;
    if (sp < LAYOUT_RING0_STACK || sp + 6 * 8 > LAYOUT_IST1_TOP) {
        verify_failed("ring-0 stack pointer 0x%llx is outside the ring-0 stacks",
                      (unsigned long long) sp);
    }
    if (has_error_code(r.vector)) {
        r.error_code = *cell(vm, sp);
        sp += 8;
    } else {
        r.error_code = 0;
    }
    r.rip = *cell(vm, sp);
    r.cs = *cell(vm, sp + 8);
    r.rflags = *cell(vm, sp + 16);
    r.rsp = *cell(vm, sp + 24);
    r.ss = *cell(vm, sp + 32);
    r.cr2 = run->s.regs.sregs.cr2;
    return r;
}

static uint64_t op_fault(struct bench *b, long i)
{
    (void) i;
    uint64_t t0 = now_ns();
    vm_run(&b->vm);
    struct fault_report r = fault_decode(&b->vm);
    fault_reset(b->vm.run);
    uint64_t t1 = now_ns();
    if (r.vector != 6 || r.rip != ENTRY_UD2 || r.cs != SEL_USER_CODE || r.ss != SEL_USER_DATA
        || r.rsp != LAYOUT_USER_RSP) {
        verify_failed("fault report vector=%u rip=0x%llx cs=0x%llx ss=0x%llx rsp=0x%llx, "
                      "expected #UD (6) at 0x%x from cs=0x23 ss=0x1b rsp=0x200000",
                      r.vector, (unsigned long long) r.rip, (unsigned long long) r.cs,
                      (unsigned long long) r.ss, (unsigned long long) r.rsp, ENTRY_UD2);
    }
    return t1 - t0;
}

/* 5. kill-to-eintr */
struct kicker {
    pthread_t thread;
    pid_t pid, tid;
    struct kvm_run *run;
    long kicks;
    sem_t armed;
    uint64_t kick_time;     /* written by the kicker before each tgkill */
};
static struct kicker kicker;

static void *kicker_main(void *arg)
{
    struct kicker *k = arg;
    for (long n = 0; n < k->kicks; n++) {
        while (sem_wait(&k->armed) < 0) {
            if (errno != EINTR) die_errno("sem_wait");
        }
        struct timespec delay = { 0, KICK_DELAY_NS };
        while (nanosleep(&delay, &delay) < 0) {
            if (errno != EINTR) die_errno("nanosleep");
        }
        __atomic_store_n(&k->kick_time, now_ns(), __ATOMIC_SEQ_CST);
        __atomic_store_n(&k->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
        if (syscall(SYS_tgkill, k->pid, k->tid, KICK_SIGNAL) < 0) die_errno("tgkill");
    }
    return NULL;
}

static void setup_kill(struct bench *b)
{
    setup_vm_at(b, ENTRY_SPIN);
    /* Block the kick signal in this (the vCPU) thread; unblock it only inside KVM_RUN. */
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, KICK_SIGNAL);
    if (pthread_sigmask(SIG_BLOCK, &block, NULL) != 0) die_errno("pthread_sigmask");
    sigset_t during_run;
    if (pthread_sigmask(SIG_BLOCK, NULL, &during_run) != 0) die_errno("pthread_sigmask");
    sigdelset(&during_run, KICK_SIGNAL);
    struct {
        struct kvm_signal_mask head;
        uint8_t bits[8];                 /* the kernel's sigset is 64 bits on x86-64 */
    } mask;
    mask.head.len = sizeof mask.bits;
    memcpy(mask.bits, &during_run, sizeof mask.bits);
    if (ioctl(b->vm.vcpu_fd, KVM_SET_SIGNAL_MASK, &mask) < 0) die_errno("KVM_SET_SIGNAL_MASK");

    kicker.pid = getpid();
    kicker.tid = (pid_t) syscall(SYS_gettid);
    kicker.run = b->vm.run;
    kicker.kicks = b->warmup + b->ops;
    if (sem_init(&kicker.armed, 0, 0) < 0) die_errno("sem_init");
    int err = pthread_create(&kicker.thread, NULL, kicker_main, &kicker);
    if (err != 0) {
        errno = err;
        die_errno("pthread_create");
    }
}

static uint64_t op_kill(struct bench *b, long i)
{
    (void) i;
    struct kvm_run *run = b->vm.run;
    if (sem_post(&kicker.armed) < 0) die_errno("sem_post");
    int rc = ioctl(b->vm.vcpu_fd, KVM_RUN, 0);
    int err = errno;
    /* Ready to run again: the signal drained and immediate_exit cleared, as Molt's Vcpu.run()
     * does before it returns; the op ends here (timestamp in this, the vCPU, thread). */
    sigset_t kick;
    sigemptyset(&kick);
    sigaddset(&kick, KICK_SIGNAL);
    struct timespec zero = { 0, 0 };
    int sig = sigtimedwait(&kick, NULL, &zero);
    int drain_err = errno;
    __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
    uint64_t t1 = now_ns();
    uint64_t t0 = __atomic_load_n(&kicker.kick_time, __ATOMIC_SEQ_CST);
    if (rc != -1 || err != EINTR) {
        verify_failed("KVM_RUN returned %d (errno %d, exit reason %u), expected EINTR", rc, err,
                      run->exit_reason);
    }
    if (run->exit_reason != KVM_EXIT_INTR) {
        verify_failed("exit reason %u after the kick, expected KVM_EXIT_INTR (%d)",
                      run->exit_reason, KVM_EXIT_INTR);
    }
    if (sig != KICK_SIGNAL) {
        verify_failed("draining the kick signal returned %d (errno %d), expected %d", sig,
                      drain_err, KICK_SIGNAL);
    }
    if (t0 == 0 || t1 < t0) {
        verify_failed("KVM_RUN returned before the kick was recorded");
    }
    __atomic_store_n(&kicker.kick_time, 0, __ATOMIC_SEQ_CST);
    return t1 - t0;
}

static void teardown_kill(struct bench *b)
{
    int err = pthread_join(kicker.thread, NULL);
    if (err != 0) {
        errno = err;
        die_errno("pthread_join");
    }
    sem_destroy(&kicker.armed);
    teardown_vm(b);
}

/* 6. memory-cells */
static void setup_cells(struct bench *b) { setup_vm_at(b, ENTRY_CELLS_LOOP); }
static uint64_t op_cells(struct bench *b, long i)
{
    uint64_t value = 0xce11000000000000ull + (uint64_t) i;
    uint64_t t0 = now_ns();
    *cell(&b->vm, LAYOUT_CELLS) = value;
    vm_run(&b->vm);
    uint64_t result = *cell(&b->vm, LAYOUT_CELLS + 8);
    uint64_t t1 = now_ns();
    expect_out(&b->vm, PORT_DONE);
    if (result != value + 1) {
        verify_failed("guest wrote 0x%llx into cell 0x110008, expected 0x%llx",
                      (unsigned long long) result, (unsigned long long) (value + 1));
    }
    return t1 - t0;
}

/* Extra row (not a layout scenario): the cheapest KVM ioctl, the floor for one jnr-ffi call. */
static uint64_t op_api_version(struct bench *b, long i)
{
    (void) b;
    (void) i;
    uint64_t t0 = now_ns();
    int api = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
    uint64_t t1 = now_ns();
    if (api != KVM_API_VERSION) {
        verify_failed("KVM_GET_API_VERSION returned %d, expected %d", api, KVM_API_VERSION);
    }
    return t1 - t0;
}

static void no_setup(struct bench *b) { (void) b; }
static void no_teardown(struct bench *b) { (void) b; }

struct scenario {
    const char *name;
    const char *check;    /* what each op verifies, echoed in the JSON */
    setup_fn setup;
    op_fn op;
    teardown_fn teardown;
};

static const struct scenario SCENARIOS[] = {
    { "create-to-first-exit", "out 0x10 with RAX=42 from s.regs",
      no_setup, op_create_to_first_exit, no_teardown },
    { "io-exit-round-trip", "KVM_EXIT_IO out 0x10",
      setup_io, op_io, teardown_vm },
    { "dispatch-sync-regs", "out 0x10 with RAX == RDI from s.regs",
      setup_dispatch, op_dispatch, teardown_vm },
    { "fault-round-trip", "port 0x86 at CPL 0, frame #UD rip=0x100030 cs=0x23",
      setup_fault, op_fault, teardown_vm },
    { "kill-to-eintr", "KVM_RUN -1/EINTR, exit KVM_EXIT_INTR, signal drained",
      setup_kill, op_kill, teardown_kill },
    { "memory-cells", "cell 0x110008 == host value + 1 after out 0x10",
      setup_cells, op_cells, teardown_vm },
    /* Molt's states operations over guest ABI v1 (states_floor.c; need --guest and --plan). */
    { "create-and-evolve", "INIT frame checked: exactly Noop void(i32), dispatch executable",
      setup_states_create, op_states_create_and_evolve, no_teardown },
    { "call-noop-i32", "CALL Noop(i) -> DONE, RETURN frame void, body fully checked",
      setup_states_noop, op_states_call_noop_i32, teardown_states },
    { "call-one-host-call", "CallHostAdd(a,b): one HOSTCALL Add answered, RETURN i32 == a+b",
      setup_states_host_call, op_states_call_one_host_call, teardown_states },
    { "echo-1mib", "EchoBytes(1 MiB, fresh each op): RETURN bytes equal to the argument",
      setup_states_echo, op_states_echo_1mib, teardown_states },
    { "api-version", "KVM_GET_API_VERSION == 12",
      no_setup, op_api_version, no_teardown },
};
#define SCENARIO_COUNT (sizeof SCENARIOS / sizeof SCENARIOS[0])

/* ---- statistics and output ---------------------------------------------------------- */

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

static void report(const struct scenario *s, struct bench *b)
{
    long n = b->ops;
    qsort(b->samples, (size_t) n, sizeof b->samples[0], compare_u64);
    /* Median as the harness defines it: the middle sample, or the mean of the two middle ones. */
    double median = n % 2 == 1 ? (double) b->samples[n / 2]
                               : ((double) b->samples[n / 2 - 1] + (double) b->samples[n / 2]) / 2;
    double sum = 0;
    for (long i = 0; i < n; i++) sum += (double) b->samples[i];
    printf("{\"scenario\":\"%s\",\"unit\":\"ns\",\"ops\":%ld,\"warmup\":%ld,"
           "\"median\":%.1f,\"min\":%llu,\"max\":%llu,\"mean\":%.1f,"
           "\"verified\":true,\"check\":\"%s\",\"memoryBytes\":%llu}\n",
           s->name, n, b->warmup, median, (unsigned long long) b->samples[0],
           (unsigned long long) b->samples[n - 1], sum / (double) n, s->check,
           states_memory_bytes != 0 ? (unsigned long long) states_memory_bytes
                                    : (unsigned long long) MEMORY_SIZE);
}

static void run_scenario(const struct scenario *s, long ops, long warmup)
{
    struct bench b;
    memset(&b, 0, sizeof b);
    b.ops = ops;
    b.warmup = warmup;
    b.samples = calloc((size_t) ops, sizeof b.samples[0]);
    if (b.samples == NULL) die_errno("calloc samples");
    kvm_open();
    s->setup(&b);
    for (long i = 0; i < warmup; i++) s->op(&b, i);
    for (long i = 0; i < ops; i++) b.samples[i] = s->op(&b, warmup + i);
    s->teardown(&b);
    report(s, &b);
    free(b.samples);
    if (close(kvm_fd) < 0) die_errno("close /dev/kvm");
}

static void dump_image(const char *path)
{
    uint8_t *mem = calloc(1, MEMORY_SIZE);
    if (mem == NULL) die_errno("calloc image");
    if (layout_build(mem, MEMORY_SIZE) != 0) {
        fprintf(stderr, "floor: layout_build rejected %u bytes\n", MEMORY_SIZE);
        exit(EXIT_KVM);
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) die_errno(path);
    if (fwrite(mem, 1, MEMORY_SIZE, f) != MEMORY_SIZE) die_errno("write image");
    if (fclose(f) != 0) die_errno("close image");
    free(mem);
}

/* The entry registers as the kernel structs (x86-64 layout): kvm_sregs then kvm_regs. */
static void dump_registers(const char *path)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs;
    layout_sregs(&sregs);
    layout_regs(&regs, ENTRY_FIRST_EXIT);
    FILE *f = fopen(path, "wb");
    if (f == NULL) die_errno(path);
    if (fwrite(&sregs, sizeof sregs, 1, f) != 1 || fwrite(&regs, sizeof regs, 1, f) != 1)
        die_errno("write registers");
    if (fclose(f) != 0) die_errno("close registers");
}

static long parse_count(const char *option, const char *text, long min)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > MAX_OPS) {
        usage_error("%s needs an integer from %ld to %ld, got '%s'", option, min, MAX_OPS, text);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 2) usage_error("missing command");
    const char *command = argv[1];
    if (strcmp(command, "list") == 0) {
        if (argc != 2) usage_error("list takes no arguments");
        for (size_t i = 0; i < SCENARIO_COUNT; i++) puts(SCENARIOS[i].name);
        return EXIT_OK;
    }
    if (strcmp(command, "dump-registers") == 0) {
        if (argc != 3) usage_error("dump-registers needs exactly one FILE argument");
        dump_registers(argv[2]);
        return EXIT_OK;
    }
    if (strcmp(command, "dump-image") == 0) {
        if (argc != 3) usage_error("dump-image needs exactly one FILE argument");
        dump_image(argv[2]);
        return EXIT_OK;
    }
    if (strcmp(command, "dump-guest-image") == 0) {
        if (argc != 8 || strcmp(argv[2], "--guest") != 0 || strcmp(argv[4], "--plan") != 0)
            usage_error("dump-guest-image needs --guest ELF --plan FILE IMAGE REGISTERS");
        states_guest_path = argv[3];
        states_plan_path = argv[5];
        states_dump(argv[6], argv[7]);
        return EXIT_OK;
    }
    const struct scenario *s = NULL;
    for (size_t i = 0; i < SCENARIO_COUNT; i++) {
        if (strcmp(command, SCENARIOS[i].name) == 0) s = &SCENARIOS[i];
    }
    if (s == NULL) usage_error("unknown scenario '%s' (see 'floor list')", command);
    long ops = -1, warmup = 20;
    for (int a = 2; a < argc; a++) {
        if (a + 1 >= argc) usage_error("option '%s' needs a value", argv[a]);
        if (strcmp(argv[a], "--ops") == 0) {
            ops = parse_count("--ops", argv[++a], 1);
        } else if (strcmp(argv[a], "--warmup") == 0) {
            warmup = parse_count("--warmup", argv[++a], 0);
        } else if (strcmp(argv[a], "--guest") == 0) {
            states_guest_path = argv[++a];
        } else if (strcmp(argv[a], "--plan") == 0) {
            states_plan_path = argv[++a];
        } else {
            usage_error("unknown option '%s'", argv[a]);
        }
    }
    if (ops < 0) usage_error("--ops N is required");
    setvbuf(stdout, NULL, _IOLBF, 0);
    run_scenario(s, ops, warmup);
    return EXIT_OK;
}
