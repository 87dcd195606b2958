/*
 * The host side of guest ABI v1, played in-process for the runtime's host-side unit tests:
 * the runtime's port-out primitives (molt__out_*) are replaced by functions that record the exit
 * and unwind back into the test (longjmp), or answer a HOSTCALL with a test-chosen HOSTRESULT.
 */
#ifndef HOST_DOUBLE_H
#define HOST_DOUBLE_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "molt_internal.h"
#include "frames.h"

typedef struct host_state {
    molt_boot_block boot;
    uint8_t *input;
    uint8_t *output;
    uint8_t *heap;
    jmp_buf exit;
    int exit_port;      /* MOLT_PORT_DONE or MOLT_PORT_ABORT after a run */
    int32_t abort_eax;  /* EAX at an ABORT exit */
    int hostcalls;      /* HOSTCALL exits during the run */
    /* Answers a HOSTCALL: reads the request from output, writes the reply into input. */
    void (*on_hostcall)(void);
    void (*registrations)(void); /* what molt_init registers */
} host_state;

extern host_state host;

/* Allocates fresh buffers of exactly these sizes (AddressSanitizer sees every overrun). */
void host_setup(uint64_t input_size, uint64_t output_size, uint64_t heap_size);
void host_teardown(void);
/* Runs molt__start on host.boot, or molt__dispatch on the input buffer; returns the exit port. */
int host_boot(void);
int host_dispatch(void);

#endif
