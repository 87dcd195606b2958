/*
 * The "behaviours" test guest: one function per behaviour the host must handle, well-behaved
 * and hostile. Host functions it expects (the tests register them): Add i32(i32,i32),
 * Increment i64(i64), and Echo<Type> for each value type (EchoI32 i32(i32) ... EchoBytes
 * bytes(bytes)). Functions are listed in docs/guest-abi.md and guest/README.md.
 */
#include "molt_guest.h"

/* ---- echoes and plain results -------------------------------------------------------------- */

static molt_value echo(const molt_value *args) { return args[0]; }

static molt_value add(const molt_value *args) {
    return molt_i32((int32_t)((uint32_t)args[0].as.i32 + (uint32_t)args[1].as.i32));
}

static molt_value nothing(const molt_value *args) {
    (void)args;
    return molt_void();
}

/* bytes(u32 n): n bytes 0, 1, 2, ... (mod 251) from the heap. */
static molt_value make_bytes(const molt_value *args) {
    uint32_t n = args[0].as.u32;
    uint8_t *p = malloc(n ? n : 1);
    if (!p) molt_fail(MOLT_ERR_NOMEM, "MakeBytes: the heap cannot hold the result");
    for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)(i % 251);
    static uint8_t *previous; /* freed on the next call: the runtime copies the result out */
    free(previous);
    previous = p;
    return molt_bytes(p, n);
}

/* u64(): how often it has been called; globals persist between calls. */
static molt_value counter(const molt_value *args) {
    (void)args;
    static uint64_t count;
    return molt_u64(++count);
}

/* ---- host calls ---------------------------------------------------------------------------- */

static _Noreturn void fail_with_host_result(const char *what, molt_host_result r) {
    char message[512];
    molt_snprintf(message, sizeof message, "%s: host call failed with status %d: %.*s", what,
                  (int)r.status, (int)r.message_length, r.message);
    molt_fail(MOLT_ERR_USER + (int32_t)r.status, message);
}

static molt_value call_host_add(const molt_value *args) {
    molt_host_result r = MOLT_CALL_HOST("Add", MOLT_I32, args[0], args[1]);
    if (r.status != MOLT_HOST_OK) fail_with_host_result("Add", r);
    return r.value;
}

/* i64(u32 n): calls host Increment n times, starting from 0. */
static molt_value call_host_repeatedly(const molt_value *args) {
    int64_t value = 0;
    for (uint32_t i = 0; i < args[0].as.u32; i++) {
        molt_host_result r = MOLT_CALL_HOST("Increment", MOLT_I64, molt_i64(value));
        if (r.status != MOLT_HOST_OK) fail_with_host_result("Increment", r);
        value = r.value.as.i64;
    }
    return molt_i64(value);
}

static bool same_value(const molt_value *a, const molt_value *b) {
    if (a->type != b->type) return false;
    switch (a->type) {
    case MOLT_VOID: return true;
    case MOLT_I32: case MOLT_U32: case MOLT_F32: return memcmp(&a->as, &b->as, 4) == 0;
    case MOLT_I64: case MOLT_U64: case MOLT_F64: return memcmp(&a->as, &b->as, 8) == 0;
    case MOLT_BOOL: return a->as.b == b->as.b;
    case MOLT_STRING: case MOLT_BYTES:
        return a->length == b->length && memcmp(a->as.bytes, b->as.bytes, a->length) == 0;
    }
    return false;
}

/* string(): sends one value of each type to host Echo<Type> and checks each comes back. */
static molt_value call_host_with_each_type(const molt_value *args) {
    (void)args;
    static const uint8_t blob[] = {0, 1, 2, 0xFF, 0x80};
    const struct { const char *host; molt_value v; } cases[] = {
        {"EchoI32", molt_i32(-123456789)},
        {"EchoU32", molt_u32(4000000000u)},
        {"EchoI64", molt_i64(-1234567890123456789LL)},
        {"EchoU64", molt_u64(18000000000000000000ULL)},
        {"EchoF32", molt_f32(3.25f)},
        {"EchoF64", molt_f64(-2.5e300)},
        {"EchoBool", molt_bool(true)},
        {"EchoString", molt_cstring("h\xC3\xA9llo, w\xC3\xB6rld")},
        {"EchoBytes", molt_bytes(blob, sizeof blob)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        molt_host_result r = molt_call_host(cases[i].host, cases[i].v.type, 1, &cases[i].v);
        if (r.status != MOLT_HOST_OK) fail_with_host_result(cases[i].host, r);
        if (!same_value(&r.value, &cases[i].v)) {
            char message[128];
            molt_snprintf(message, sizeof message, "%s returned another value", cases[i].host);
            molt_fail(MOLT_ERR_USER, message);
        }
    }
    return molt_cstring("ok");
}

/* i32(string name): calls host function `name` (no arguments, i32 result); fails on error. */
static molt_value call_host_or_fail(const molt_value *args) {
    molt_host_result r = molt_call_host(args[0].as.str, MOLT_I32, 0, NULL);
    if (r.status != MOLT_HOST_OK) fail_with_host_result(args[0].as.str, r);
    return r.value;
}

/* i32(): the status of a call to a host function nobody registered (MOLT_HOST_UNKNOWN = 2). */
static molt_value call_unknown_host(const molt_value *args) {
    (void)args;
    return molt_i32((int32_t)molt_call_host("NoSuchHostFunction", MOLT_I32, 0, NULL).status);
}

static molt_value print(const molt_value *args) { return molt_i32(molt_print(args[0].as.str)); }

static molt_value print_formatted(const molt_value *args) {
    return molt_i32(molt_printf("value=%d hex=0x%08x", args[0].as.i32, (unsigned)args[0].as.i32));
}

/* ---- reported errors and aborts ------------------------------------------------------------ */

static molt_value abort_now(const molt_value *args) { molt_abort(args[0].as.i32, args[1].as.str); }
static molt_value fail_now(const molt_value *args) { molt_fail(args[0].as.i32, args[1].as.str); }

/* ---- faults -------------------------------------------------------------------------------- */

static molt_value null_deref(const molt_value *args) {
    (void)args;
    return molt_i64(*(volatile int64_t *)0);
}

/* u64(u64 address): reads 8 bytes at any address (e.g. the supervisor area: a #PF). */
static molt_value read_address(const molt_value *args) {
    return molt_u64(*(volatile uint64_t *)(uintptr_t)args[0].as.u64);
}

/* void(u64 address, u64 value): writes anywhere (e.g. the boot block or code: a #PF). */
static molt_value write_address(const molt_value *args) {
    *(volatile uint64_t *)(uintptr_t)args[0].as.u64 = args[1].as.u64;
    return molt_void();
}

static molt_value touch_stack_guard(const molt_value *args) {
    (void)args;
    const molt_boot_block *boot = molt_boot();
    volatile uint8_t *guard = (volatile uint8_t *)(uintptr_t)(boot->stack_top - boot->stack_size - 8);
    *guard = 1;
    return molt_void();
}

static molt_value divide_by_zero(const molt_value *args) {
    int32_t quotient;
    __asm__ volatile("cltd; idivl %2" : "=a"(quotient) : "a"(1), "r"(args[0].as.i32) : "edx");
    return molt_i32(quotient);
}

static molt_value invalid_opcode(const molt_value *args) {
    (void)args;
    __asm__ volatile("ud2");
    return molt_void();
}

/* hlt is privileged: #GP in ring 3. */
static molt_value privileged_instruction(const molt_value *args) {
    (void)args;
    __asm__ volatile("hlt");
    return molt_void();
}

static molt_value spin_forever(const molt_value *args) {
    (void)args;
    for (;;) __asm__ volatile("pause");
    return molt_void(); /* not reached */
}

/* u64(): allocates 64 KiB blocks until malloc returns NULL, frees them, returns the total. */
static molt_value exhaust_heap(const molt_value *args) {
    (void)args;
    void **chain = NULL;
    uint64_t total = 0;
    for (;;) {
        void **block = malloc(64 * 1024);
        if (!block) break;
        *block = chain;
        chain = block;
        total += 64 * 1024;
    }
    while (chain) {
        void **next = *chain;
        free(chain);
        chain = next;
    }
    return molt_u64(total);
}

static uint64_t __attribute__((noinline)) recurse(uint64_t depth, uint64_t limit) {
    volatile uint8_t frame[4096];
    frame[depth % sizeof frame] = 1;
    if (depth >= limit) return depth;
    uint64_t deeper = recurse(depth + 1, limit); /* not a tail call: the frame is read after */
    return deeper + frame[depth % sizeof frame] - 1;
}

/* u64(u64 limit): recurses with 4 KiB frames; a limit beyond the stack hits the guard page. */
static molt_value recurse_into_stack_guard(const molt_value *args) {
    return molt_u64(recurse(0, args[0].as.u64));
}

/* ---- protocol violations ------------------------------------------------------------------- */

static uint8_t *output_buffer(void) { return (uint8_t *)(uintptr_t)molt_boot()->output_addr; }

static _Noreturn void raw_done(void) {
    __asm__ volatile("outb %%al, $0x10\n\tud2" : : "a"(0) : "memory");
    __builtin_unreachable();
}

/* Writes garbage where the RETURN frame goes and reports DONE. */
static molt_value corrupt_result_frame(const molt_value *args) {
    (void)args;
    memset(output_buffer(), 0xA5, 64);
    raw_done();
}

/* Writes a RETURN frame that claims more bytes than there are: variant 0 in the frame header
 * (body_length past the output buffer), variant 1 in the value (length past the body). */
static molt_value lie_about_result_length(const molt_value *args) {
    uint8_t *out = output_buffer();
    uint32_t header[4] = {0x464C4F4Du, 1u | (2u << 16), 16, 0};
    uint32_t value[2] = {MOLT_BYTES, 8};
    if (args[0].as.u32 == 0) {
        header[2] = (uint32_t)molt_boot()->output_size;
    } else {
        value[1] = (uint32_t)molt_boot()->output_size * 2;
    }
    memcpy(out, header, sizeof header);
    memcpy(out + 16, value, sizeof value);
    memset(out + 24, 0x5A, 8);
    raw_done();
}

/* bytes(): a result one byte larger than the output buffer: the runtime reports OVERFLOW. */
static molt_value oversized_result(const molt_value *args) {
    (void)args;
    const molt_boot_block *boot = molt_boot();
    return molt_bytes((const void *)(uintptr_t)boot->heap_addr, (uint32_t)boot->output_size + 1);
}

/* i32() that returns a string: the runtime aborts with MOLT_ERR_BAD_RESULT. */
static molt_value wrong_result_type(const molt_value *args) {
    (void)args;
    return molt_cstring("not an i32");
}

/* An `out` to a port the ABI does not define. */
static molt_value unknown_port(const molt_value *args) {
    (void)args;
    __asm__ volatile("outl %%eax, $0x13" : : "a"(0) : "memory");
    return molt_void();
}

void molt_init(void) {
    molt_register("EchoI32", "i32(i32)", echo);
    molt_register("EchoU32", "u32(u32)", echo);
    molt_register("EchoI64", "i64(i64)", echo);
    molt_register("EchoU64", "u64(u64)", echo);
    molt_register("EchoF32", "f32(f32)", echo);
    molt_register("EchoF64", "f64(f64)", echo);
    molt_register("EchoBool", "bool(bool)", echo);
    molt_register("EchoString", "string(string)", echo);
    molt_register("EchoBytes", "bytes(bytes)", echo);
    molt_register("Add", "i32(i32,i32)", add);
    molt_register("Nothing", "void()", nothing);
    molt_register("MakeBytes", "bytes(u32)", make_bytes);
    molt_register("Counter", "u64()", counter);
    molt_register("CallHostAdd", "i32(i32,i32)", call_host_add);
    molt_register("CallHostRepeatedly", "i64(u32)", call_host_repeatedly);
    molt_register("CallHostWithEachType", "string()", call_host_with_each_type);
    molt_register("CallHostOrFail", "i32(string)", call_host_or_fail);
    molt_register("CallUnknownHost", "i32()", call_unknown_host);
    molt_register("Print", "i32(string)", print);
    molt_register("PrintFormatted", "i32(i32)", print_formatted);
    molt_register("Abort", "void(i32,string)", abort_now);
    molt_register("Fail", "void(i32,string)", fail_now);
    molt_register("NullDeref", "i64()", null_deref);
    molt_register("ReadAddress", "u64(u64)", read_address);
    molt_register("WriteAddress", "void(u64,u64)", write_address);
    molt_register("TouchStackGuard", "void()", touch_stack_guard);
    molt_register("DivideByZero", "i32(i32)", divide_by_zero);
    molt_register("InvalidOpcode", "void()", invalid_opcode);
    molt_register("PrivilegedInstruction", "void()", privileged_instruction);
    molt_register("SpinForever", "void()", spin_forever);
    molt_register("ExhaustHeap", "u64()", exhaust_heap);
    molt_register("RecurseIntoStackGuard", "u64(u64)", recurse_into_stack_guard);
    molt_register("CorruptResultFrame", "void()", corrupt_result_frame);
    molt_register("LieAboutResultLength", "void(u32)", lie_about_result_length);
    molt_register("OversizedResult", "bytes()", oversized_result);
    molt_register("WrongResultType", "i32()", wrong_result_type);
    molt_register("UnknownPort", "void()", unknown_port);
}
