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

