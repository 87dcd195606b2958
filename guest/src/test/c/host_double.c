/* The in-process host of the runtime's unit tests (see host_double.h). */
#include "host_double.h"

#include <stdlib.h>
#include <string.h>

host_state host;

_Noreturn void molt__out_done(void) {
    host.exit_port = MOLT_PORT_DONE;
    longjmp(host.exit, 1);
}

_Noreturn void molt__out_abort(int32_t code) {
    host.exit_port = MOLT_PORT_ABORT;
    host.abort_eax = code;
    longjmp(host.exit, 1);
}

void molt__out_hostcall(void) {
    host.hostcalls++;
    if (host.on_hostcall) host.on_hostcall();
}

void _molt_dispatch(void) {} /* only its address is used (INIT frame) */

void molt_init(void) {
    if (host.registrations) host.registrations();
}

void host_setup(uint64_t input_size, uint64_t output_size, uint64_t heap_size) {
    host_teardown();
    host.input = malloc(input_size);
    host.output = malloc(output_size);
    host.heap = heap_size ? malloc(heap_size) : NULL;
    memset(host.input, 0, input_size);
    memset(host.output, 0, output_size);
    molt_boot_block *b = &host.boot;
    memset(b, 0, sizeof *b);
    b->magic = MOLT_BOOT_MAGIC;
    b->abi_version = 1;
    b->memory_size = UINT64_MAX;
    b->input_addr = (uintptr_t)host.input;
    b->input_size = input_size;
    b->output_addr = (uintptr_t)host.output;
    b->output_size = output_size;
    b->heap_addr = (uintptr_t)host.heap;
    b->heap_size = heap_size;
    b->stack_top = 0x200000; /* never touched by the runtime: any consistent values do */
    b->stack_size = 0x10000;
    b->log_level = 2;
    molt__reset_runtime();
}

void host_teardown(void) {
    free(host.input);
    free(host.output);
    free(host.heap);
    host.input = host.output = host.heap = NULL;
    host.exit_port = 0;
    host.abort_eax = 0;
    host.hostcalls = 0;
    host.on_hostcall = NULL;
    host.registrations = NULL;
}

int host_boot(void) {
    host.exit_port = 0;
    if (setjmp(host.exit) == 0) molt__start(&host.boot);
    return host.exit_port;
}

int host_dispatch(void) {
    host.exit_port = 0;
    host.hostcalls = 0;
    if (setjmp(host.exit) == 0) molt__dispatch();
    return host.exit_port;
}

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
