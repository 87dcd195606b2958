/* The wire format of guest ABI v1: frame headers and typed values, bounds-checked both ways. */
#include "molt_internal.h"

static uint64_t pad8(uint64_t n) { return (n + 7u) & ~(uint64_t)7u; }

static uint32_t load_u32(const uint8_t *p) {
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

static uint16_t load_u16(const uint8_t *p) {
    uint16_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

bool molt__type_is_valid(uint32_t tag) { return tag <= MOLT_BYTES; }

const char *molt__type_name(molt_type t) {
    static const char *const names[] = {"void", "i32", "u32", "i64", "u64",
                                        "f32",  "f64", "bool", "string", "bytes"};
    return molt__type_is_valid((uint32_t)t) ? names[t] : "invalid";
}

/* Fixed payload length of a scalar type; UINT32_MAX for string and bytes. */
static uint32_t fixed_length(molt_type t) {
    switch (t) {
    case MOLT_VOID: return 0;
    case MOLT_BOOL: return 1;
    case MOLT_I32: case MOLT_U32: case MOLT_F32: return 4;
    case MOLT_I64: case MOLT_U64: case MOLT_F64: return 8;
    default: return UINT32_MAX;
    }
}

const char *molt__read_frame_header(const uint8_t *buffer, uint64_t size, uint16_t kind,
                                    molt_reader *body) {
    if (size < MOLT_FRAME_HEADER) return "the buffer is smaller than a frame header";
    if (load_u32(buffer) != MOLT_FRAME_MAGIC) return "bad frame magic";
    if (load_u16(buffer + 4) != MOLT_ABI_VERSION) return "unsupported frame ABI version";
    if (load_u16(buffer + 6) != kind) return "unexpected frame kind";
    uint32_t length = load_u32(buffer + 8);
    if (length > size - MOLT_FRAME_HEADER) return "frame body extends past the buffer";
    if (load_u32(buffer + 12) != 0) return "reserved frame header field is not zero";
    body->base = buffer + MOLT_FRAME_HEADER;
    body->length = length;
    body->pos = 0;
    return NULL;
}

const char *molt__read_u32(molt_reader *r, uint32_t *out) {
    if (r->length - r->pos < 4) return "frame body truncated";
    *out = load_u32(r->base + r->pos);
    r->pos += 4;
    return NULL;
}

const char *molt__read_padding(molt_reader *r) {
    uint64_t to = pad8(r->pos); /* 64-bit: rounding up UINT32_MAX must not wrap to 0 */
    if (to > r->length) return "frame body truncated in padding";
    r->pos = (uint32_t)to;
    return NULL;
}

const char *molt__read_value(molt_reader *r, molt_value *out) {
    if (r->pos % 8 != 0) return "value not 8-byte aligned";
    if (r->length - r->pos < MOLT_VALUE_HEADER) return "frame body truncated in a value header";
    const uint8_t *h = r->base + r->pos;
    if (!molt__type_is_valid(h[0])) return "unknown value type tag";
    if (h[1] != 0 || h[2] != 0 || h[3] != 0) return "value header reserved bytes are not zero";
    molt_type type = (molt_type)h[0];
    uint32_t length = load_u32(h + 4);
    uint32_t fixed = fixed_length(type);
    if (fixed != UINT32_MAX && length != fixed) return "scalar value has the wrong length";
    uint64_t available = (uint64_t)r->length - r->pos - MOLT_VALUE_HEADER;
    if (pad8(length) > available) return "value extends past the frame body";
    const uint8_t *data = h + MOLT_VALUE_HEADER;
    molt_value v = {type, 0, {0}};
    switch (type) {
    case MOLT_VOID: break;
    case MOLT_I32: case MOLT_U32: case MOLT_F32: __builtin_memcpy(&v.as, data, 4); break;
    case MOLT_I64: case MOLT_U64: case MOLT_F64: __builtin_memcpy(&v.as, data, 8); break;
    case MOLT_BOOL:
        if (data[0] > 1) return "bool value is neither 0 nor 1";
        v.as.b = data[0] == 1;
        break;
    case MOLT_STRING: case MOLT_BYTES:
        v.length = length;
        v.as.bytes = data;
        break;
    }
    r->pos += MOLT_VALUE_HEADER + (uint32_t)pad8(length);
    *out = v;
    return NULL;
}

static void write_bytes(molt_writer *w, const void *p, uint64_t n) {
    if (w->failed || n > w->capacity - w->pos) {
        w->failed = true;
        return;
    }
    memmove(w->base + w->pos, p, n);
    w->pos += n;
}

void molt__write_u8(molt_writer *w, uint8_t v) { write_bytes(w, &v, 1); }
void molt__write_u32(molt_writer *w, uint32_t v) { write_bytes(w, &v, 4); }
void molt__write_u64(molt_writer *w, uint64_t v) { write_bytes(w, &v, 8); }
void molt__write_raw(molt_writer *w, const void *p, uint64_t n) { write_bytes(w, p, n); }

void molt__write_padding(molt_writer *w) {
    static const uint8_t zeros[8];
    write_bytes(w, zeros, pad8(w->pos) - w->pos);
}

uint64_t molt__value_wire_size(const molt_value *v) {
    uint32_t fixed = fixed_length(v->type);
    return MOLT_VALUE_HEADER + pad8(fixed == UINT32_MAX ? v->length : fixed);
}

void molt__write_value(molt_writer *w, const molt_value *v) {
    uint32_t fixed = fixed_length(v->type);
    uint32_t length = fixed == UINT32_MAX ? v->length : fixed;
    if (molt__value_wire_size(v) > w->capacity - w->pos) { /* check once, before any byte */
        w->failed = true;
        return;
    }
    molt__write_u8(w, (uint8_t)v->type);
    molt__write_u8(w, 0);
    molt__write_u8(w, 0);
    molt__write_u8(w, 0);
    molt__write_u32(w, length);
    if (v->type == MOLT_BOOL) {
        molt__write_u8(w, v->as.b ? 1 : 0);
    } else if (fixed == UINT32_MAX) {
        write_bytes(w, v->as.bytes, length);
    } else {
        write_bytes(w, &v->as, length);
    }
    molt__write_padding(w);
}

void molt__begin_frame(molt_writer *w, uint8_t *buffer, uint64_t capacity) {
    w->base = buffer;
    w->capacity = capacity;
    w->pos = 0;
    w->failed = capacity < MOLT_FRAME_HEADER;
    if (!w->failed) w->pos = MOLT_FRAME_HEADER;
}

void molt__end_frame(molt_writer *w, uint16_t kind) {
    if (w->failed) return;
    molt__write_padding(w);
    if (w->failed || w->pos - MOLT_FRAME_HEADER > UINT32_MAX) {
        w->failed = true;
        return;
    }
    uint32_t magic = MOLT_FRAME_MAGIC, length = (uint32_t)(w->pos - MOLT_FRAME_HEADER), zero = 0;
    uint16_t version = MOLT_ABI_VERSION;
    __builtin_memcpy(w->base, &magic, 4);
    __builtin_memcpy(w->base + 4, &version, 2);
    __builtin_memcpy(w->base + 6, &kind, 2);
    __builtin_memcpy(w->base + 8, &length, 4);
    __builtin_memcpy(w->base + 12, &zero, 4);
}
