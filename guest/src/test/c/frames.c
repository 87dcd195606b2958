/* Frame builder and reader of the C tests (see frames.h). */
#include "frames.h"

#include <string.h>

uint32_t get_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

uint64_t get_u64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

frame_view read_frame(const uint8_t *buffer, uint64_t size) {
    frame_view f = {0, 0, NULL, 0};
    if (size < 16 || get_u32(buffer) != 0x464C4F4Du || buffer[4] != 1 || buffer[5] != 0) return f;
    uint32_t length = get_u32(buffer + 8);
    if (length > size - 16 || length % 8 != 0 || get_u32(buffer + 12) != 0) return f;
    f.ok = 1;
    f.kind = (uint16_t)(buffer[6] | buffer[7] << 8);
    f.body = buffer + 16;
    f.length = length;
    return f;
}

builder begin(uint8_t *buffer) {
    builder b = {buffer, 16};
    return b;
}

void put_bytes(builder *b, const void *p, uint32_t n) {
    memcpy(b->base + b->pos, p, n);
    b->pos += n;
}
void put_u8(builder *b, uint8_t v) { put_bytes(b, &v, 1); }
void put_u32(builder *b, uint32_t v) { put_bytes(b, &v, 4); }
void put_u64(builder *b, uint64_t v) { put_bytes(b, &v, 8); }
void put_pad(builder *b) {
    while (b->pos % 8) put_u8(b, 0);
}

void put_value(builder *b, uint8_t tag, const void *data, uint32_t length) {
    put_u8(b, tag);
    put_u8(b, 0);
    put_u8(b, 0);
    put_u8(b, 0);
    put_u32(b, length);
    put_bytes(b, data, length);
    put_pad(b);
}

void finish(builder *b, uint16_t kind) {
    uint32_t magic = 0x464C4F4Du, length = b->pos - 16, zero = 0;
    uint16_t version = 1;
    memcpy(b->base, &magic, 4);
    memcpy(b->base + 4, &version, 2);
    memcpy(b->base + 6, &kind, 2);
    memcpy(b->base + 8, &length, 4);
    memcpy(b->base + 12, &zero, 4);
}
