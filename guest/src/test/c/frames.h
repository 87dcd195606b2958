/*
 * Frames of guest ABI v1 built and read with explicit byte offsets, independently of the
 * runtime's own codec: the host side of the protocol in the C tests.
 */
#ifndef FRAMES_H
#define FRAMES_H

#include <stdint.h>

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
