/*
 * The host side of guest ABI v1, played in-process for the runtime's host-side unit tests:
 * the runtime's port-out primitives (molt__out_*) are replaced by functions that record the exit
 * and unwind back into the test (longjmp), or answer a HOSTCALL with a test-chosen HOSTRESULT.
 * Frames are built and read here with explicit byte offsets, independently of the runtime's codec.
 */
#ifndef HOST_DOUBLE_H
#define HOST_DOUBLE_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "molt_internal.h"

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

/* A frame read back from a buffer; `ok` is false when the header is malformed. */
typedef struct frame_view {
    int ok;
    uint16_t kind;
    const uint8_t *body;
    uint32_t length;
} frame_view;
frame_view read_frame(const uint8_t *buffer, uint64_t size);
uint32_t get_u32(const uint8_t *p);
uint64_t get_u64(const uint8_t *p);

/* Little frame builder writing straight into a buffer. */
typedef struct builder {
    uint8_t *base;
    uint32_t pos;
} builder;
builder begin(uint8_t *buffer);              /* leaves room for the header */
void put_u8(builder *b, uint8_t v);
void put_u32(builder *b, uint32_t v);
void put_u64(builder *b, uint64_t v);
void put_bytes(builder *b, const void *p, uint32_t n);
void put_pad(builder *b);
void put_value(builder *b, uint8_t tag, const void *data, uint32_t length);
void finish(builder *b, uint16_t kind);     /* writes the header with the body length */

#endif
