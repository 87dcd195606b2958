/*
 * What the floor's scenario units share: error exits, the clock, the open /dev/kvm and the
 * per-scenario benchmark state. floor.c owns main, the statistics and the reference-layout
 * scenarios; states_floor.c the scenarios over Molt's guest ABI.
 */
#ifndef MOLT_FLOOR_H
#define MOLT_FLOOR_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

enum exit_code { EXIT_OK = 0, EXIT_KVM = 2, EXIT_VERIFY = 3, EXIT_USAGE = 64 };

/* Exits with EXIT_KVM, naming the failed call and errno. */
__attribute__((noreturn)) void die_errno(const char *what);

/* Exits with EXIT_VERIFY (no JSON is printed): an operation's result was wrong. */
__attribute__((noreturn, format(printf, 1, 2))) void verify_failed(const char *fmt, ...);

/* Exits with EXIT_USAGE and the usage text. */
__attribute__((noreturn, format(printf, 1, 2))) void usage_error(const char *fmt, ...);

/* CLOCK_MONOTONIC in ns. */
uint64_t now_ns(void);

/* /dev/kvm (open while a scenario runs) and the size of a vCPU's kvm_run mapping. */
extern int kvm_fd;
extern size_t run_size;

struct vm {
    int vm_fd;
    int vcpu_fd;
    uint8_t *mem;
    struct kvm_run *run;
};

struct bench {
    struct vm vm;
    long warmup;
    long ops;
    uint64_t *samples;   /* ops durations in ns */
};

typedef void (*setup_fn)(struct bench *);
typedef uint64_t (*op_fn)(struct bench *, long i);   /* returns the op's duration in ns */
typedef void (*teardown_fn)(struct bench *);

#endif
