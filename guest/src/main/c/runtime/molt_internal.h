/* Internals of the Molt guest runtime shared by its sources and its host-side unit tests. */
#ifndef MOLT_INTERNAL_H
#define MOLT_INTERNAL_H

#include "molt_guest.h"

/* Boot block */
#define MOLT_BOOT_ADDR 0x100000u
#define MOLT_BOOT_MAGIC 0x544F4F42544C4F4DULL /* "MOLTBOOT" little-endian */
/* Smallest buffers the runtime accepts: room for an ABORT or ERROR frame with a short message. */
#define MOLT_MIN_INPUT_SIZE 64u
#define MOLT_MIN_OUTPUT_SIZE 256u

/* Ports (a 1-byte `out %al, $port`: a wider out would need more ports allowed in the I/O bitmap) */
#define MOLT_PORT_DONE 0x10
#define MOLT_PORT_HOSTCALL 0x11
#define MOLT_PORT_ABORT 0x12

/* Frames */
#define MOLT_FRAME_MAGIC 0x464C4F4Du /* "MOLF" */
#define MOLT_FRAME_HEADER 16u
enum molt_frame_kind {
    MOLT_FRAME_CALL = 1,
    MOLT_FRAME_RETURN = 2,
    MOLT_FRAME_ERROR = 3,
    MOLT_FRAME_HOSTCALL = 4,
    MOLT_FRAME_HOSTRESULT = 5,
    MOLT_FRAME_ABORT = 6,
    MOLT_FRAME_INIT = 7,
};
#define MOLT_VALUE_HEADER 8u

/* Transfers to the host: start.S in the guest, a test double in the host-side tests. */
_Noreturn void molt__out_done(void);
_Noreturn void molt__out_abort(int32_t code);
void molt__out_hostcall(void);
/* The dispatcher's entry (start.S); its address goes into the INIT frame. */
void _molt_dispatch(void);

/* Entered from start.S. */
_Noreturn void molt__start(const molt_boot_block *boot);
_Noreturn void molt__dispatch(void);

/* Bounded little-endian reader over a frame body. */
typedef struct molt_reader {
    const uint8_t *base;
    uint32_t length;
    uint32_t pos;
} molt_reader;

/* Bounded writer into a buffer; `failed` latches when a write would not fit. */
typedef struct molt_writer {
    uint8_t *base;
    uint64_t capacity;
    uint64_t pos;
    bool failed;
} molt_writer;

/* Wire codec (wire.c): NULL on success, else a static message naming the defect. */
const char *molt__read_frame_header(const uint8_t *buffer, uint64_t size, uint16_t kind,
                                    molt_reader *body);
const char *molt__read_u32(molt_reader *r, uint32_t *out);
const char *molt__read_value(molt_reader *r, molt_value *out);
const char *molt__read_padding(molt_reader *r);
void molt__write_u8(molt_writer *w, uint8_t v);
void molt__write_u32(molt_writer *w, uint32_t v);
void molt__write_u64(molt_writer *w, uint64_t v);
void molt__write_raw(molt_writer *w, const void *p, uint64_t n);
void molt__write_padding(molt_writer *w);
void molt__write_value(molt_writer *w, const molt_value *v);
uint64_t molt__value_wire_size(const molt_value *v);
/* Starts a frame: reserves the header; molt__end_frame fills it with the body length. */
void molt__begin_frame(molt_writer *w, uint8_t *buffer, uint64_t capacity);
void molt__end_frame(molt_writer *w, uint16_t kind);
bool molt__type_is_valid(uint32_t tag);
const char *molt__type_name(molt_type t);

/* Heap (heap.c) */
void molt__heap_init(void *base, uint64_t size);
void *molt__heap_alloc(size_t size);
void molt__heap_free(void *p);
void *molt__heap_realloc(void *p, size_t size);
/* Walks every block; NULL if the heap is consistent, else what is wrong (tests). */
const char *molt__heap_check(void);

/* Runtime state (runtime.c); reset by tests. */
void molt__reset_runtime(void);

#endif
