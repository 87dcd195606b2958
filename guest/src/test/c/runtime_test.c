/*
 * Host-side unit tests of the Molt guest runtime: the runtime's own sources compiled for the host
 * (under AddressSanitizer and UBSan), with the host side of the protocol played by host_double.c.
 * Prints one line per failed check and a closing "N passed, N failed"; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_double.h"

void *molt_test_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *molt_test_memmove(void *dst, const void *src, size_t n);
void *molt_test_memset(void *dst, int c, size_t n);
int molt_test_memcmp(const void *a, const void *b, size_t n);
size_t molt_test_strlen(const char *s);
int molt_test_strcmp(const char *a, const char *b);
int molt_test_strncmp(const char *a, const char *b, size_t n);
void *molt_test_calloc(size_t count, size_t size);

static int checks_failed_in_test;
static const char *current_test;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("FAIL %s: %s:%d: %s\n", current_test, __FILE__, __LINE__, #cond);               \
            checks_failed_in_test++;                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (strcmp(a_, e_) != 0) {                                                                 \
            printf("FAIL %s: %s:%d: got \"%s\", expected \"%s\"\n", current_test, __FILE__,        \
                   __LINE__, a_, e_);                                                              \
            checks_failed_in_test++;                                                               \
        }                                                                                          \
    } while (0)

/* ---- helpers ------------------------------------------------------------------------------- */

static const uint64_t IN = 4096, OUT = 4096, HEAP = 64 * 1024;

static molt_value echo(const molt_value *args) { return args[0]; }
static molt_value add(const molt_value *args) { return molt_i32(args[0].as.i32 + args[1].as.i32); }
static molt_value nothing(const molt_value *args) { (void)args; return molt_void(); }

/* The report (code, message) of an ERROR or ABORT frame in the output buffer. */
static char report_text[4096];
static int32_t report(uint16_t expected_kind) {
    frame_view f = read_frame(host.output, host.boot.output_size);
    report_text[0] = 0;
    if (!f.ok || f.kind != expected_kind || f.length < 8) return INT32_MIN;
    uint32_t length = get_u32(f.body + 4);
    if (length > f.length - 8) return INT32_MIN;
    memcpy(report_text, f.body + 8, length);
    report_text[length] = 0;
    return (int32_t)get_u32(f.body);
}

/* The RETURN value in the output buffer: tag, length and a pointer to its data. */
typedef struct returned {
    int ok;
    uint8_t tag;
    uint32_t length;
    const uint8_t *data;
} returned;
static returned return_value(void) {
    returned r = {0, 0, 0, NULL};
    frame_view f = read_frame(host.output, host.boot.output_size);
    if (!f.ok || f.kind != MOLT_FRAME_RETURN || f.length < 8) return r;
    r.tag = f.body[0];
    r.length = get_u32(f.body + 4);
    r.data = f.body + 8;
    r.ok = ((r.length + 7u) & ~7u) + 8 == f.length;
    return r;
}

static void (*boot_registrations)(void);
static void register_basics(void) {
    molt_register("EchoI32", "i32(i32)", echo);
    molt_register("Add", "i32(i32,i32)", add);
    molt_register("Nothing", "void()", nothing);
}

/* Sets up buffers and boots with `registrations`; returns the exit port. */
static int boot_with(void (*registrations)(void), uint64_t in, uint64_t out, uint64_t heap) {
    host_setup(in, out, heap);
    host.registrations = registrations;
    boot_registrations = registrations;
    return host_boot();
}

/* Writes a CALL frame for function `id` with the given values (tag, data, length triples). */
static builder call_frame(uint32_t id, uint32_t argc) {
    builder b = begin(host.input);
    put_u32(&b, id);
    put_u32(&b, argc);
    return b;
}

static int call_i32(uint32_t id, int32_t x) {
    builder b = call_frame(id, 1);
    put_value(&b, MOLT_I32, &x, 4);
    finish(&b, MOLT_FRAME_CALL);
    return host_dispatch();
}

/* ---- boot ---------------------------------------------------------------------------------- */

static void boot_writes_init_frame_with_the_function_table(void) {
    CHECK(boot_with(register_basics, IN, OUT, HEAP) == MOLT_PORT_DONE);
    frame_view f = read_frame(host.output, OUT);
    CHECK(f.ok && f.kind == MOLT_FRAME_INIT);
    CHECK(get_u32(f.body) == MOLT_RUNTIME_VERSION);
    CHECK(get_u32(f.body + 4) == 3);
    CHECK(get_u64(f.body + 8) == (uint64_t)(uintptr_t)&_molt_dispatch);
    /* EchoI32: name_len 7 at +16, name at +20..+27, pad to +32, ret tag, count, params, pad */
    CHECK(get_u32(f.body + 16) == 7 && memcmp(f.body + 20, "EchoI32", 7) == 0);
    CHECK(f.body[27] == 0);
    CHECK(f.body[32] == MOLT_I32 && f.body[33] == 1 && f.body[34] == MOLT_I32);
    /* Add: starts at +40: len 3, "Add" at +44, pad to +48, tags at +48 */
    CHECK(get_u32(f.body + 40) == 3 && memcmp(f.body + 44, "Add", 3) == 0);
    CHECK(f.body[48] == MOLT_I32 && f.body[49] == 2 && f.body[50] == MOLT_I32 && f.body[51] == MOLT_I32);
    /* Nothing: at +56: len 7, name at +60, pad to +72, void with no params, pad to +80 */
    CHECK(get_u32(f.body + 56) == 7 && memcmp(f.body + 60, "Nothing", 7) == 0);
    CHECK(f.body[72] == MOLT_VOID && f.body[73] == 0);
    CHECK(f.length == 80);
}

static void boot_rejects_a_block_with_a_wrong_magic_without_touching_the_output(void) {
    host_setup(IN, OUT, HEAP);
    host.boot.magic = 0x1234;
    CHECK(host_boot() == MOLT_PORT_ABORT);
    CHECK(host.abort_eax == MOLT_ERR_BOOT);
    CHECK(get_u32(host.output) == 0);
}

static void boot_rejects_another_abi_version_with_an_abort_frame(void) {
    host_setup(IN, OUT, HEAP);
    host.boot.abi_version = 2;
    CHECK(host_boot() == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_BOOT);
    CHECK_STR(report_text, "boot block: abi_version is not 1");
}

static void boot_rejects_inconsistent_buffers(void) {
    struct { void (*mutate)(molt_boot_block *); const char *message; } cases[4];
    (void)cases;
    host_setup(IN, OUT, HEAP);
    host.boot.memory_size = host.boot.input_addr + 16; /* input past the end of memory */
    if (host.boot.output_addr + OUT > host.boot.memory_size) host.boot.memory_size = UINT64_MAX;
    host.boot.input_size = UINT64_MAX - host.boot.input_addr + 2; /* overflows */
    CHECK(host_boot() == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_BOOT);
    CHECK_STR(report_text, "boot block: input buffer lies outside guest memory");

    host_setup(IN, OUT, HEAP);
    host.boot.output_size = 100;
    CHECK(host_boot() == MOLT_PORT_ABORT);
    CHECK(host.abort_eax == MOLT_ERR_BOOT);

    host_setup(IN, OUT, HEAP);
    host.boot.stack_size = host.boot.stack_top + 1;
    CHECK(host_boot() == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_BOOT);
    CHECK_STR(report_text, "boot block: stack lies outside guest memory");
}

static void register_many(void) {
    static char names[MOLT_MAX_FUNCTIONS][24];
    for (int i = 0; i < MOLT_MAX_FUNCTIONS; i++) {
        snprintf(names[i], sizeof names[i], "Function%03d", i);
        molt_register(names[i], "i32(i32,i32,i32,i32,i32,i32,i32,i32)", add);
    }
}

static void boot_aborts_when_the_function_table_overflows_the_output_buffer(void) {
    CHECK(boot_with(register_many, IN, 1024, HEAP) == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_OVERFLOW);
    CHECK(strstr(report_text, "256 functions") != NULL);
    CHECK(boot_with(register_many, IN, 64 * 1024, HEAP) == MOLT_PORT_DONE);
    CHECK(get_u32(read_frame(host.output, 64 * 1024).body + 4) == MOLT_MAX_FUNCTIONS);
}

static void register_one_too_many(void) {
    register_many();
    molt_register("OneTooMany", "void()", nothing);
}
static void register_duplicate(void) {
    molt_register("Same", "void()", nothing);
    molt_register("Same", "i32()", nothing);
}
static const char *bad_signature;
static void register_bad_signature(void) { molt_register("F", bad_signature, nothing); }
static void register_empty_name(void) { molt_register("", "void()", nothing); }
static void register_spaced(void) { molt_register("F", " i64 ( i32 , bytes ) ", nothing); }
static void init_fails(void) { molt_fail(1234, "init went wrong"); }

static void registration_rejects_bad_input_at_init(void) {
    CHECK(boot_with(register_duplicate, IN, OUT, HEAP) == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_REGISTER);
    CHECK_STR(report_text, "molt_register: Same is registered twice");
    CHECK(boot_with(register_one_too_many, IN, 64 * 1024, HEAP) == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_REGISTER);
    CHECK(boot_with(register_empty_name, IN, OUT, HEAP) == MOLT_PORT_ABORT);
    const char *bad[] = {"", "i32", "i32(", "i32(void)", "x()", "i32(i32,)", "i32(i32)x",
                         "i32(i32 i32)", "i32((i32)", "i32(i32,i32,i32,i32,i32,i32,i32,i32,i32,"
                         "i32,i32,i32,i32,i32,i32,i32,i32)", "i3(i32)", "i32(i32"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bad_signature = bad[i];
        int port = boot_with(register_bad_signature, IN, OUT, HEAP);
        CHECK(port == MOLT_PORT_ABORT);
        CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_REGISTER);
        if (port != MOLT_PORT_ABORT) printf("  accepted signature \"%s\"\n", bad[i]);
    }
}

static void registration_accepts_spaces_in_signatures(void) {
    CHECK(boot_with(register_spaced, IN, OUT, HEAP) == MOLT_PORT_DONE);
    frame_view f = read_frame(host.output, OUT);
    CHECK(f.body[24] == MOLT_I64 && f.body[25] == 2 && f.body[26] == MOLT_I32 &&
          f.body[27] == MOLT_BYTES);
}

static void registration_outside_init_aborts(void) {
    CHECK(boot_with(register_basics, IN, OUT, HEAP) == MOLT_PORT_DONE);
    host.exit_port = 0;
    if (setjmp(host.exit) == 0) molt_register("Late", "void()", nothing);
    CHECK(host.exit_port == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_REGISTER);
}

static void molt_fail_during_init_reports_an_error_frame(void) {
    CHECK(boot_with(init_fails, IN, OUT, HEAP) == MOLT_PORT_DONE);
    CHECK(report(MOLT_FRAME_ERROR) == 1234);
    CHECK_STR(report_text, "init went wrong");
}

/* ---- calls: values --------------------------------------------------------------------------- */

static void register_echoes(void) {
    const char *signatures[] = {"void()", "i32(i32)", "u32(u32)", "i64(i64)", "u64(u64)",
                                "f32(f32)", "f64(f64)", "bool(bool)", "string(string)",
                                "bytes(bytes)"};
    static const char *names[] = {"V", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"};
    molt_register(names[0], signatures[0], nothing);
    for (int t = 1; t <= 9; t++) molt_register(names[t], signatures[t], echo);
}

static void each_value_type_round_trips_through_an_echo(void) {
    CHECK(boot_with(register_echoes, IN, OUT, HEAP) == MOLT_PORT_DONE);
    int32_t i32 = -5;
    uint32_t u32 = 0xFFFFFFF0u;
    int64_t i64 = INT64_MIN + 3;
    uint64_t u64 = UINT64_MAX - 1;
    float f32 = -1.5f;
    double f64 = 6.02e23;
    uint8_t b = 1;
    const char *s = "h\xC3\xA9llo";
    uint8_t bytes[13] = {0, 1, 2, 3, 0xFF, 5, 6, 7, 8, 9, 10, 11, 0};
    const void *data[] = {NULL, &i32, &u32, &i64, &u64, &f32, &f64, &b, s, bytes};
    uint32_t lengths[] = {0, 4, 4, 8, 8, 4, 8, 1, 6, 13};
    for (uint32_t t = 0; t <= 9; t++) {
        builder c = call_frame(t, t == 0 ? 0 : 1);
        if (t) put_value(&c, (uint8_t)t, data[t], lengths[t]);
        finish(&c, MOLT_FRAME_CALL);
        CHECK(host_dispatch() == MOLT_PORT_DONE);
        returned r = return_value();
        CHECK(r.ok && r.tag == t && r.length == lengths[t]);
        CHECK(t == 0 || memcmp(r.data, data[t], lengths[t]) == 0);
        for (uint32_t p = r.length; p % 8; p++) CHECK(r.data[p] == 0); /* padding is zero */
    }
    CHECK(molt_heap_statistics().used == 0); /* argument copies released */
}

static void add_returns_the_sum(void) {
    CHECK(boot_with(register_basics, IN, OUT, HEAP) == MOLT_PORT_DONE);
    builder c = call_frame(1, 2);
    int32_t x = 40, y = 2;
    put_value(&c, MOLT_I32, &x, 4);
    put_value(&c, MOLT_I32, &y, 4);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    returned r = return_value();
    CHECK(r.ok && r.tag == MOLT_I32 && (int32_t)get_u32(r.data) == 42);
}

static int copies_in_heap, copies_terminated;
static molt_value keep_string(const molt_value *args) {
    const char *s = args[0].as.str;
    copies_in_heap = s >= (const char *)host.heap && s < (const char *)host.heap + HEAP &&
                     args[1].as.bytes >= host.heap && args[1].as.bytes < host.heap + HEAP;
    copies_terminated = args[0].length == 8 && memcmp(s, "abcdefgh", 9) == 0 &&
                        args[1].length == 0 && args[1].as.bytes[0] == 0;
    return molt_u32(args[0].length);
}
static void register_keep_string(void) { molt_register("Keep", "u32(string,bytes)", keep_string); }

static void string_arguments_are_nul_terminated_heap_copies(void) {
    CHECK(boot_with(register_keep_string, IN, OUT, HEAP) == MOLT_PORT_DONE);
    builder c = call_frame(0, 2);
    put_value(&c, MOLT_STRING, "abcdefgh", 8);
    put_value(&c, MOLT_BYTES, "", 0);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(copies_in_heap);
    CHECK(copies_terminated); /* including the NUL */
}

static molt_value big_result(const molt_value *args) {
    static uint8_t data[8192];
    return molt_bytes(data, args[0].as.u32);
}
static molt_value wrong_type(const molt_value *args) { (void)args; return molt_i64(1); }
static molt_value fails(const molt_value *args) { molt_fail(args[0].as.i32, "reported"); }
static void register_results(void) {
    molt_register("Big", "bytes(u32)", big_result);
    molt_register("Wrong", "i32()", wrong_type);
    molt_register("Fails", "void(i32,string)", fails);
}

static void a_result_larger_than_the_output_buffer_is_an_overflow_error(void) {
    CHECK(boot_with(register_results, IN, OUT, HEAP) == MOLT_PORT_DONE);
    uint32_t fits = OUT - 16 - 8, too_big = fits + 1;
    builder c = call_frame(0, 1);
    put_value(&c, MOLT_U32, &fits, 4);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(return_value().ok && return_value().length == fits);
    c = call_frame(0, 1);
    put_value(&c, MOLT_U32, &too_big, 4);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(report(MOLT_FRAME_ERROR) == MOLT_ERR_OVERFLOW);
    CHECK_STR(report_text, "Big returned 4073 bytes, more than the output buffer of 4096 bytes holds");
}

static void a_result_of_the_wrong_type_aborts(void) {
    CHECK(boot_with(register_results, IN, OUT, HEAP) == MOLT_PORT_DONE);
    builder c = call_frame(1, 0);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_ABORT);
    CHECK(report(MOLT_FRAME_ABORT) == MOLT_ERR_BAD_RESULT);
    CHECK_STR(report_text, "Wrong returned a i64 value, its signature says i32");
}

static void molt_fail_reports_an_error_and_the_next_call_frees_its_argument_copies(void) {
    CHECK(boot_with(register_results, IN, OUT, HEAP) == MOLT_PORT_DONE);
    builder c = call_frame(2, 2);
    int32_t code = 1001;
    put_value(&c, MOLT_I32, &code, 4);
    put_value(&c, MOLT_STRING, "some text", 9);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(report(MOLT_FRAME_ERROR) == 1001);
    CHECK_STR(report_text, "reported");
    CHECK(molt_heap_statistics().used > 0);
    c = call_frame(1, 0);
    finish(&c, MOLT_FRAME_CALL);
    host_dispatch();
    CHECK(molt_heap_statistics().used == 0);
}

static void arguments_larger_than_the_heap_are_a_nomem_error(void) {
    CHECK(boot_with(register_keep_string, 8192, OUT, 1024) == MOLT_PORT_DONE);
    static uint8_t big[4000];
    builder c = call_frame(0, 2);
    put_value(&c, MOLT_STRING, big, sizeof big);
    put_value(&c, MOLT_BYTES, "", 0);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(report(MOLT_FRAME_ERROR) == MOLT_ERR_NOMEM);
}

/* ---- calls: corrupt frames ------------------------------------------------------------------- */

/* Dispatches whatever is in the input buffer; expects an ERROR with BAD_CALL and `message`. */
static void expect_bad_call(const char *message) {
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(report(MOLT_FRAME_ERROR) == MOLT_ERR_BAD_CALL);
    CHECK_STR(report_text, message);
}

static void corrupt_call_frames_are_bad_call_errors(void) {
    CHECK(boot_with(register_basics, IN, OUT, HEAP) == MOLT_PORT_DONE);
    int32_t x = 1, y = 2;
    builder c;

    memset(host.input, 0, IN);
    expect_bad_call("CALL frame: bad frame magic");

    c = call_frame(0, 1);
    put_value(&c, MOLT_I32, &x, 4);
    finish(&c, MOLT_FRAME_RETURN);
    expect_bad_call("CALL frame: unexpected frame kind");

    finish(&c, MOLT_FRAME_CALL);
    host.input[4] = 2;
    expect_bad_call("CALL frame: unsupported frame ABI version");

    finish(&c, MOLT_FRAME_CALL);
    host.input[12] = 1;
    expect_bad_call("CALL frame: reserved frame header field is not zero");

    finish(&c, MOLT_FRAME_CALL);
    uint32_t huge = (uint32_t)IN - 15;
    memcpy(host.input + 8, &huge, 4);
    expect_bad_call("CALL frame: frame body extends past the buffer");
    huge = UINT32_MAX;
    memcpy(host.input + 8, &huge, 4);
    expect_bad_call("CALL frame: frame body extends past the buffer");

    c = begin(host.input);
    put_u32(&c, 0);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("CALL frame: frame body truncated");

    c = call_frame(7, 0);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("unknown function id 7 (the guest has 3 functions)");

    c = call_frame(1, 1);
    put_value(&c, MOLT_I32, &x, 4);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("Add takes 2 arguments, the call has 1");

    c = call_frame(1, 2);
    put_value(&c, MOLT_I32, &x, 4);
    put_value(&c, MOLT_U32, &y, 4);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("Add argument 1 is u32, the signature says i32");

    c = call_frame(0, 1);
    put_value(&c, MOLT_I32, &x, 3);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("EchoI32 argument 0: scalar value has the wrong length");

    c = call_frame(0, 1);
    put_value(&c, 10, &x, 4);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("EchoI32 argument 0: unknown value type tag");

    c = call_frame(0, 1);
    put_value(&c, MOLT_I32, &x, 4);
    host.input[16 + 8 + 1] = 1;
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("EchoI32 argument 0: value header reserved bytes are not zero");

    c = call_frame(0, 1); /* value header cut off by the body length */
    put_u32(&c, MOLT_I32);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("EchoI32 argument 0: frame body truncated in a value header");

    c = call_frame(0, 1);
    put_value(&c, MOLT_I32, &x, 4);
    put_value(&c, MOLT_I32, &x, 4);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("CALL frame: 16 bytes after the last argument");
}

static void register_bool_and_string(void) {
    molt_register("B", "bool(bool)", echo);
    molt_register("S", "string(string)", echo);
}

static void malformed_values_are_bad_call_errors(void) {
    CHECK(boot_with(register_bool_and_string, IN, OUT, HEAP) == MOLT_PORT_DONE);
    uint8_t two = 2;
    builder c = call_frame(0, 1);
    put_value(&c, MOLT_BOOL, &two, 1);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("B argument 0: bool value is neither 0 nor 1");

    c = call_frame(1, 1); /* string length larger than the body */
    put_value(&c, MOLT_STRING, "abc", 3);
    uint32_t lie = 1000;
    memcpy(host.input + 16 + 8 + 4, &lie, 4);
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("S argument 0: value extends past the frame body");

    lie = UINT32_MAX; /* padding would overflow 32 bits */
    memcpy(host.input + 16 + 8 + 4, &lie, 4);
    expect_bad_call("S argument 0: value extends past the frame body");

    c = call_frame(1, 1); /* the padding of the last value is cut off by the body length */
    put_value(&c, MOLT_STRING, "abc", 3);
    c.pos -= 5;
    finish(&c, MOLT_FRAME_CALL);
    expect_bad_call("S argument 0: value extends past the frame body");
}

static uint32_t next_random = 12345;
static uint32_t random_u32(void) {
    next_random ^= next_random << 13;
    next_random ^= next_random >> 17;
    next_random ^= next_random << 5;
    return next_random;
}

static void randomly_corrupted_call_frames_never_crash_the_dispatcher(void) {
    CHECK(boot_with(register_echoes, 256, OUT, HEAP) == MOLT_PORT_DONE);
    uint8_t valid[256];
    builder c = call_frame(8, 1);
    put_value(&c, MOLT_STRING, "a string argument", 17);
    finish(&c, MOLT_FRAME_CALL);
    memcpy(valid, host.input, sizeof valid);
    int returns = 0, errors = 0, other = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(host.input, valid, sizeof valid);
        int flips = 1 + (int)(random_u32() % 4);
        for (int i = 0; i < flips; i++) {
            uint32_t at = random_u32() % 64; /* header, ids and the value header */
            host.input[at] = (uint8_t)random_u32();
        }
        int port = host_dispatch();
        frame_view f = read_frame(host.output, OUT);
        if (port == MOLT_PORT_DONE && f.ok && f.kind == MOLT_FRAME_RETURN) returns++;
        else if (port == MOLT_PORT_DONE && f.ok && f.kind == MOLT_FRAME_ERROR) errors++;
        else other++;
    }
    CHECK(other == 0);
    CHECK(returns > 0 && errors > 0);
    CHECK(molt__heap_check() == NULL);
}

/* ---- host calls ------------------------------------------------------------------------------ */

/* Answers by echoing the first argument back, checking the request layout on the way. */
static int request_ok;
static uint8_t last_request[4096];
static void host_echoes_first_argument(void) {
    memcpy(last_request, host.output, sizeof last_request);
    frame_view f = read_frame(host.output, OUT);
    request_ok = f.ok && f.kind == MOLT_FRAME_HOSTCALL;
    uint32_t name_length = get_u32(f.body);
    uint32_t at = (4 + name_length + 7) & ~7u;
    uint32_t argc = get_u32(f.body + at);
    uint8_t ret = f.body[at + 4];
    const uint8_t *value = f.body + at + 8;
    builder b = begin(host.input);
    put_u32(&b, 0);
    put_u32(&b, 0);
    if (argc == 0) put_value(&b, ret, NULL, 0);
    else put_value(&b, value[0], value + 8, get_u32(value + 4));
    finish(&b, MOLT_FRAME_HOSTRESULT);
}

static molt_host_result last_result;
static molt_value call_echo_host(const molt_value *args) {
    last_result = MOLT_CALL_HOST("EchoHost", args[0].type, args[0]);
    return last_result.status == MOLT_HOST_OK ? last_result.value : molt_cstring("failed");
}
static void register_host_caller(void) { molt_register("CallHost", "string(string)", call_echo_host); }

static void a_host_call_sends_a_hostcall_frame_and_returns_the_host_result(void) {
    CHECK(boot_with(register_host_caller, IN, OUT, HEAP) == MOLT_PORT_DONE);
    host.on_hostcall = host_echoes_first_argument;
    builder c = call_frame(0, 1);
    put_value(&c, MOLT_STRING, "through the host", 16);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(host.hostcalls == 1 && request_ok);
    returned r = return_value();
    CHECK(r.ok && r.tag == MOLT_STRING && r.length == 16 && memcmp(r.data, "through the host", 16) == 0);
}

static void hostcall_frame_has_the_documented_layout(void) {
    CHECK(boot_with(register_host_caller, IN, OUT, HEAP) == MOLT_PORT_DONE);
    host.on_hostcall = host_echoes_first_argument;
    builder c = call_frame(0, 1);
    put_value(&c, MOLT_STRING, "xy", 2);
    finish(&c, MOLT_FRAME_CALL);
    host_dispatch();
    /* name_len 8 at body+0, "EchoHost" at +4..+12, pad to +16, argc at +16, ret tag at +20 */
    const uint8_t *body = last_request + 16;
    CHECK(get_u32(body) == 8 && memcmp(body + 4, "EchoHost", 8) == 0);
    CHECK(get_u32(body + 16) == 1 && body[20] == MOLT_STRING && body[21] == 0);
    CHECK(body[24] == MOLT_STRING && get_u32(body + 28) == 2 && memcmp(body + 32, "xy", 2) == 0);
    CHECK(get_u32(last_request + 8) == 40);
}

static uint32_t reply_status;
static void host_replies_with_status(void) {
    builder b = begin(host.input);
    put_u32(&b, reply_status);
    put_u32(&b, 0);
    put_u32(&b, 11);
    put_bytes(&b, "host failed", 11);
    put_pad(&b);
    finish(&b, MOLT_FRAME_HOSTRESULT);
}

static void host_error_statuses_reach_the_guest_with_their_message(void) {
    CHECK(boot_with(register_host_caller, IN, OUT, HEAP) == MOLT_PORT_DONE);
    host.on_hostcall = host_replies_with_status;
    for (reply_status = 1; reply_status <= 3; reply_status++) {
        builder c = call_frame(0, 1);
        put_value(&c, MOLT_STRING, "x", 1);
        finish(&c, MOLT_FRAME_CALL);
        CHECK(host_dispatch() == MOLT_PORT_DONE);
        CHECK(last_result.status == reply_status);
        CHECK(last_result.message_length == 11 && memcmp(last_result.message, "host failed", 11) == 0);
    }
}

static int reply_defect;
static void host_replies_malformed(void) {
    builder b = begin(host.input);
    uint8_t wrong_type_tag = MOLT_I32;
    int32_t x = 5;
    switch (reply_defect) {
    case 0: put_u32(&b, 0); put_u32(&b, 0); put_value(&b, wrong_type_tag, &x, 4); break;
    case 1: put_u32(&b, 9); put_u32(&b, 0); put_u32(&b, 0); put_u32(&b, 0); break;
    case 2: put_u32(&b, 1); put_u32(&b, 0); put_u32(&b, 500); put_u32(&b, 0); break;
    case 3: put_u32(&b, 0); put_u32(&b, 0); put_value(&b, MOLT_STRING, "ab", 2); put_u64(&b, 0); break;
    case 4: put_u32(&b, 0); break;
    }
    finish(&b, MOLT_FRAME_HOSTRESULT);
    if (reply_defect == 5) host.input[0] = 'X';
}

static void malformed_host_results_are_bad_reply_not_a_crash(void) {
    CHECK(boot_with(register_host_caller, IN, OUT, HEAP) == MOLT_PORT_DONE);
    host.on_hostcall = host_replies_malformed;
    const char *messages[] = {"result has another type than requested", "unknown status",
                              "message extends past the frame body",
                              "bytes after the end of the result", "frame body truncated",
                              "bad frame magic"};
    for (reply_defect = 0; reply_defect <= 5; reply_defect++) {
        builder c = call_frame(0, 1);
        put_value(&c, MOLT_STRING, "x", 1);
        finish(&c, MOLT_FRAME_CALL);
        CHECK(host_dispatch() == MOLT_PORT_DONE);
        CHECK(last_result.status == MOLT_HOST_BAD_REPLY);
        CHECK(last_result.message_length == strlen(messages[reply_defect]) &&
              memcmp(last_result.message, messages[reply_defect], last_result.message_length) == 0);
    }
}


static uint8_t valid_reply[64];
static uint32_t valid_reply_length;
static void host_replies_with_a_corrupted_copy(void) {
    memcpy(host.input, valid_reply, sizeof valid_reply);
    int flips = 1 + (int)(random_u32() % 3);
    for (int i = 0; i < flips; i++) host.input[random_u32() % valid_reply_length] = (uint8_t)random_u32();
}

static void randomly_corrupted_host_results_never_crash_the_guest(void) {
    CHECK(boot_with(register_host_caller, 64, OUT, HEAP) == MOLT_PORT_DONE);
    builder b = begin(valid_reply);
    put_u32(&b, 0);
    put_u32(&b, 0);
    put_value(&b, MOLT_STRING, "0123456789", 10);
    finish(&b, MOLT_FRAME_HOSTRESULT);
    valid_reply_length = b.pos;
    host.on_hostcall = host_replies_with_a_corrupted_copy;
    int ok = 0, refused = 0, other = 0;
    for (int round = 0; round < 20000; round++) {
        builder c = call_frame(0, 1);
        put_value(&c, MOLT_STRING, "x", 1);
        finish(&c, MOLT_FRAME_CALL);
        int port = host_dispatch();
        if (port != MOLT_PORT_DONE) other++;
        else if (last_result.status == MOLT_HOST_OK) ok++;
        else if (last_result.status <= MOLT_HOST_BAD_REPLY) refused++;
        else other++;
        if (last_result.status == MOLT_HOST_OK &&
            (last_result.value.type != MOLT_STRING ||
             last_result.value.as.str + last_result.value.length > (const char *)host.input + 64))
            other++;
    }
    CHECK(other == 0);
    CHECK(ok > 0 && refused > 0);
}

static void a_host_call_that_does_not_fit_is_refused_without_an_exit(void) {
    CHECK(boot_with(register_host_caller, 8192, OUT, HEAP) == MOLT_PORT_DONE);
    host.on_hostcall = host_echoes_first_argument;
    static char big[5000];
    builder c = call_frame(0, 1);
    put_value(&c, MOLT_STRING, big, sizeof big);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(host.hostcalls == 0);
    CHECK(last_result.status == MOLT_HOST_TOO_LARGE);
}

static int printed_ok;
static void host_prints(void) {
    frame_view f = read_frame(host.output, OUT);
    printed_ok = get_u32(f.body) == 9 && memcmp(f.body + 4, "HostPrint", 9) == 0 &&
                 get_u32(f.body + 16) == 1 && f.body[20] == MOLT_I32 && f.body[24] == MOLT_STRING &&
                 get_u32(f.body + 28) == 14 && memcmp(f.body + 32, "value=7 x=0007", 14) == 0;
    builder b = begin(host.input);
    put_u32(&b, 0);
    put_u32(&b, 0);
    int32_t printed = 14;
    put_value(&b, MOLT_I32, &printed, 4);
    finish(&b, MOLT_FRAME_HOSTRESULT);
}
static molt_value print_it(const molt_value *args) {
    return molt_i32(molt_printf("value=%d x=%04x", args[0].as.i32, (unsigned)args[0].as.i32));
}
static void register_print(void) { molt_register("Print", "i32(i32)", print_it); }

static void molt_printf_calls_host_print(void) {
    CHECK(boot_with(register_print, IN, OUT, HEAP) == MOLT_PORT_DONE);
    host.on_hostcall = host_prints;
    CHECK(call_i32(0, 7) == MOLT_PORT_DONE);
    CHECK(printed_ok);
    returned r = return_value();
    CHECK(r.ok && get_u32(r.data) == 14);
}

static void host_increments(void) {
    frame_view f = read_frame(host.output, OUT);
    int64_t v = (int64_t)get_u64(f.body + 24); /* "Inc": name to +8, argc/ret to +16, value */
    builder b = begin(host.input);
    put_u32(&b, 0);
    put_u32(&b, 0);
    v++;
    put_value(&b, MOLT_I64, &v, 8);
    finish(&b, MOLT_FRAME_HOSTRESULT);
}
static molt_value count_up(const molt_value *args) {
    int64_t v = 0;
    for (int32_t i = 0; i < args[0].as.i32; i++) {
        molt_host_result r = MOLT_CALL_HOST("Inc", MOLT_I64, molt_i64(v));
        if (r.status != MOLT_HOST_OK) molt_fail(1000, "Inc failed");
        v = r.value.as.i64;
    }
    return molt_i32((int32_t)v);
}
static void register_count_up(void) { molt_register("CountUp", "i32(i32)", count_up); }

static void many_host_calls_in_one_call(void) {
    CHECK(boot_with(register_count_up, IN, OUT, HEAP) == MOLT_PORT_DONE);
    host.on_hostcall = host_increments;
    CHECK(call_i32(0, 1000) == MOLT_PORT_DONE);
    CHECK(host.hostcalls == 1000);
    returned r = return_value();
    CHECK(r.ok && (int32_t)get_u32(r.data) == 1000);
}


static molt_value fail_long(const molt_value *args) {
    (void)args;
    static char message[1000];
    memset(message, 'm', sizeof message - 1);
    molt_fail(MOLT_ERR_USER, message);
}
static void register_fail_long(void) { molt_register("FailLong", "void()", fail_long); }

static void a_message_longer_than_the_output_buffer_is_truncated_to_fit(void) {
    CHECK(boot_with(register_fail_long, IN, 256, HEAP) == MOLT_PORT_DONE);
    builder c = call_frame(0, 0);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(report(MOLT_FRAME_ERROR) == MOLT_ERR_USER);
    CHECK(strlen(report_text) == 256 - 16 - 8 - 8);
    CHECK(get_u32(host.output + 8) + 16 <= 256);
}

static molt_host_result refused[3];
static molt_value call_host_badly(const molt_value *args) {
    (void)args;
    molt_value bad = molt_void();
    refused[0] = molt_call_host("X", MOLT_I32, 1, &bad);
    refused[1] = molt_call_host("", MOLT_I32, 0, NULL);
    refused[2] = molt_call_host("X", (molt_type)42, 0, NULL);
    return molt_void();
}
static void register_call_host_badly(void) { molt_register("Bad", "void()", call_host_badly); }

static void host_calls_with_bad_arguments_are_refused_without_an_exit(void) {
    CHECK(boot_with(register_call_host_badly, IN, OUT, HEAP) == MOLT_PORT_DONE);
    builder c = call_frame(0, 0);
    finish(&c, MOLT_FRAME_CALL);
    CHECK(host_dispatch() == MOLT_PORT_DONE);
    CHECK(host.hostcalls == 0);
    for (int i = 0; i < 3; i++) CHECK(refused[i].status == MOLT_HOST_BAD_ARGS);
    CHECK(strncmp(refused[0].message, "an argument has no valid type", refused[0].message_length) == 0);
}

/* ---- heap ---------------------------------------------------------------------------------- */

static uint8_t *heap_area;
static void heap_with(uint64_t size) {
    free(heap_area);
    heap_area = malloc(size);
    molt__reset_runtime();
    host_setup(IN, OUT, 0);
    molt__heap_init(heap_area, size);
}

static void allocations_are_aligned_distinct_and_inside_the_heap(void) {
    heap_with(4096);
    uint8_t *a = molt__heap_alloc(1), *b = molt__heap_alloc(100), *c = molt__heap_alloc(0);
    CHECK(a && b && c && a != b && b != c);
    CHECK(((uintptr_t)a | (uintptr_t)b | (uintptr_t)c) % 16 == 0);
    CHECK(a >= heap_area && b + 100 <= heap_area + 4096);
    CHECK(b >= a + 1 || a >= b + 100);
    memset(b, 0xEE, 100);
    CHECK(molt__heap_check() == NULL);
}

static void exhaustion_returns_null_and_freeing_everything_coalesces(void) {
    heap_with(64 * 1024);
    size_t capacity = molt_heap_statistics().capacity;
    void *blocks[4096];
    int n = 0;
    while (n < 4096 && (blocks[n] = molt__heap_alloc(100)) != NULL) n++;
    CHECK(n > 400 && n < 4096);
    CHECK(molt__heap_alloc(100) == NULL);
    CHECK(molt__heap_alloc(SIZE_MAX) == NULL);
    for (int i = 0; i < n; i += 2) molt__heap_free(blocks[i]); /* every other: no merging */
    CHECK(molt_heap_statistics().free_blocks >= (size_t)n / 2 - 1);
    CHECK(molt__heap_alloc(1000) == NULL); /* fragmented: no hole is large enough */
    for (int i = 1; i < n; i += 2) molt__heap_free(blocks[i]);
    molt_heap_stats s = molt_heap_statistics();
    CHECK(s.free_blocks == 1 && s.largest_free == capacity && s.used == 0);
    CHECK(molt__heap_check() == NULL);
    CHECK(molt__heap_alloc(capacity - 8) != NULL); /* the whole heap in one block */
}

static void realloc_grows_in_place_moves_and_shrinks_keeping_the_data(void) {
    heap_with(8192);
    uint8_t *a = molt__heap_alloc(32);
    for (int i = 0; i < 32; i++) a[i] = (uint8_t)i;
    uint8_t *grown = molt__heap_realloc(a, 1000); /* the space after a is free */
    CHECK(grown == a);
    uint8_t *blocker = molt__heap_alloc(16);
    (void)blocker;
    uint8_t *moved = molt__heap_realloc(grown, 2000); /* blocked: must move */
    CHECK(moved != NULL && moved != grown);
    int same = 1;
    for (int i = 0; i < 32; i++) same &= moved[i] == i;
    CHECK(same);
    uint8_t *shrunk = molt__heap_realloc(moved, 40);
    CHECK(shrunk == moved);
    CHECK(molt__heap_check() == NULL);
    CHECK(molt__heap_realloc(NULL, 10) != NULL);
    CHECK(molt__heap_realloc(shrunk, 0) == NULL);
    CHECK(molt__heap_realloc(blocker, 1u << 20) == NULL); /* too large: old block kept */
    CHECK(molt__heap_check() == NULL);
}

static void calloc_zeroes_and_rejects_overflow(void) {
    heap_with(8192);
    uint8_t *p = molt__heap_alloc(256);
    memset(p, 0xFF, 256);
    molt__heap_free(p);
    uint8_t *z = molt_test_calloc(16, 16);
    int zero = 1;
    for (int i = 0; i < 256; i++) zero &= z[i] == 0;
    CHECK(z && zero);
    CHECK(molt_test_calloc(SIZE_MAX / 2, 4) == NULL);
}

static void freeing_a_foreign_or_freed_pointer_aborts(void) {
    heap_with(8192);
    host.boot.output_size = OUT; /* so the abort frame can be written */
    uint8_t *p = molt__heap_alloc(64);
    molt__heap_free(p);
    host.exit_port = 0;
    if (setjmp(host.exit) == 0) molt__heap_free(p);
    CHECK(host.exit_port == MOLT_PORT_ABORT && host.abort_eax == MOLT_ERR_HEAP);
    uint8_t outside[32];
    host.exit_port = 0;
    if (setjmp(host.exit) == 0) molt__heap_free(outside + 16);
    CHECK(host.exit_port == MOLT_PORT_ABORT && host.abort_eax == MOLT_ERR_HEAP);
    host.exit_port = 0;
    if (setjmp(host.exit) == 0) molt__heap_realloc(heap_area + 4000, 8);
    CHECK(host.exit_port == MOLT_PORT_ABORT);
}

static void tiny_or_missing_heaps_allocate_nothing(void) {
    molt__heap_init(NULL, 0);
    CHECK(molt__heap_alloc(1) == NULL);
    CHECK(molt__heap_check() == NULL);
    heap_with(40);
    CHECK(molt__heap_alloc(1) == NULL);
}

static void random_allocation_patterns_keep_the_heap_consistent_and_data_intact(void) {
    heap_with(256 * 1024);
    enum { SLOTS = 64 };
    uint8_t *slot[SLOTS] = {0};
    size_t size[SLOTS] = {0};
    int corrupt = 0;
    for (int step = 0; step < 20000; step++) {
        int i = (int)(random_u32() % SLOTS);
        for (size_t k = 0; k < size[i]; k++) corrupt |= slot[i][k] != (uint8_t)(i + k);
        size_t n = random_u32() % (random_u32() % 4 == 0 ? 20000 : 300);
        if (random_u32() % 3 == 0 && slot[i]) {
            uint8_t *q = molt__heap_realloc(slot[i], n);
            if (q || n == 0) {
                slot[i] = q;
                size[i] = q ? n : 0;
            }
        } else {
            molt__heap_free(slot[i]);
            slot[i] = molt__heap_alloc(n);
            size[i] = slot[i] ? n : 0;
        }
        for (size_t k = 0; k < size[i]; k++) slot[i][k] = (uint8_t)(i + k);
        if (step % 500 == 0 && molt__heap_check() != NULL) corrupt = 2;
    }
    CHECK(corrupt == 0);
    for (int i = 0; i < SLOTS; i++) molt__heap_free(slot[i]);
    CHECK(molt__heap_check() == NULL);
    CHECK(molt_heap_statistics().free_blocks == 1);
}

/* ---- C library subset ---------------------------------------------------------------------- */

static void memory_functions_handle_overlap_and_tails(void) {
    uint8_t buf[64];
    for (int i = 0; i < 64; i++) buf[i] = (uint8_t)i;
    molt_test_memmove(buf + 3, buf, 40); /* destination above source */
    int ok = 1;
    for (int i = 0; i < 40; i++) ok &= buf[3 + i] == i;
    CHECK(ok);
    for (int i = 0; i < 64; i++) buf[i] = (uint8_t)i;
    molt_test_memmove(buf, buf + 5, 50); /* destination below source */
    ok = 1;
    for (int i = 0; i < 50; i++) ok &= buf[i] == i + 5;
    CHECK(ok);
    uint8_t dst[23];
    molt_test_memset(dst, 0x7B, sizeof dst);
    ok = 1;
    for (int i = 0; i < 23; i++) ok &= dst[i] == 0x7B;
    CHECK(ok);
    CHECK(molt_test_memcpy(dst, "0123456789abcdefghijklm", 23) == dst && memcmp(dst, "0123456789abcdefghijklm", 23) == 0);
    CHECK(molt_test_memcmp("abc", "abd", 3) < 0 && molt_test_memcmp("abd", "abc", 3) > 0);
    CHECK(molt_test_memcmp("\xFF", "\x01", 1) > 0 && molt_test_memcmp("x", "y", 0) == 0);
}

static void string_functions_compare_as_unsigned_bytes(void) {
    CHECK(molt_test_strlen("") == 0 && molt_test_strlen("hello") == 5);
    CHECK(molt_test_strcmp("abc", "abc") == 0 && molt_test_strcmp("ab", "abc") < 0);
    CHECK(molt_test_strcmp("\xC3", "a") > 0);
    CHECK(molt_test_strncmp("abcX", "abcY", 3) == 0 && molt_test_strncmp("abcX", "abcY", 4) < 0);
}

static void snprintf_formats_the_documented_conversions(void) {
    char buf[128];
    CHECK(molt_snprintf(buf, sizeof buf, "%d %i %u", -42, 7, 3000000000u) == 16);
    CHECK_STR(buf, "-42 7 3000000000");
    molt_snprintf(buf, sizeof buf, "%x %X %08x %lld %llu %zu", 255u, 255u, 0xBEEFu,
                  (long long)INT64_MIN, (unsigned long long)UINT64_MAX, (size_t)12);
    CHECK_STR(buf, "ff FF 0000beef -9223372036854775808 18446744073709551615 12");
    const char *volatile null_string = NULL;
    molt_snprintf(buf, sizeof buf, "[%5d][%c][%s][%.*s][%%][%s]", 42, 'z', "str", 3, "abcdef",
                  null_string);
    CHECK_STR(buf, "[   42][z][str][abc][%][(null)]");
    const char *unknown = "[%q]";
    molt_snprintf(buf, sizeof buf, unknown, 1);
    CHECK_STR(buf, "[%q]");
    molt_snprintf(buf, sizeof buf, "%p", (void *)0x1234);
    CHECK_STR(buf, "0x1234");
    molt_snprintf(buf, sizeof buf, "%05d", -42);
    CHECK_STR(buf, "-0042");
}

static void snprintf_truncates_and_returns_the_full_length(void) {
    char buf[8];
    CHECK(molt_snprintf(buf, sizeof buf, "%s", "0123456789") == 10);
    CHECK_STR(buf, "0123456");
    CHECK(molt_snprintf(buf, 0, "abc") == 3);
    CHECK(molt_snprintf(NULL, 0, "%d", 12345) == 5);
}

/* ---- runner -------------------------------------------------------------------------------- */

#define TEST(f) {#f, f}
static const struct { const char *name; void (*run)(void); } tests[] = {
    TEST(boot_writes_init_frame_with_the_function_table),
    TEST(boot_rejects_a_block_with_a_wrong_magic_without_touching_the_output),
    TEST(boot_rejects_another_abi_version_with_an_abort_frame),
    TEST(boot_rejects_inconsistent_buffers),
    TEST(boot_aborts_when_the_function_table_overflows_the_output_buffer),
    TEST(registration_rejects_bad_input_at_init),
    TEST(registration_accepts_spaces_in_signatures),
    TEST(registration_outside_init_aborts),
    TEST(molt_fail_during_init_reports_an_error_frame),
    TEST(each_value_type_round_trips_through_an_echo),
    TEST(add_returns_the_sum),
    TEST(string_arguments_are_nul_terminated_heap_copies),
    TEST(a_result_larger_than_the_output_buffer_is_an_overflow_error),
    TEST(a_result_of_the_wrong_type_aborts),
    TEST(molt_fail_reports_an_error_and_the_next_call_frees_its_argument_copies),
    TEST(arguments_larger_than_the_heap_are_a_nomem_error),
    TEST(corrupt_call_frames_are_bad_call_errors),
    TEST(malformed_values_are_bad_call_errors),
    TEST(randomly_corrupted_call_frames_never_crash_the_dispatcher),
    TEST(a_host_call_sends_a_hostcall_frame_and_returns_the_host_result),
    TEST(hostcall_frame_has_the_documented_layout),
    TEST(host_error_statuses_reach_the_guest_with_their_message),
    TEST(malformed_host_results_are_bad_reply_not_a_crash),
    TEST(randomly_corrupted_host_results_never_crash_the_guest),
    TEST(a_host_call_that_does_not_fit_is_refused_without_an_exit),
    TEST(molt_printf_calls_host_print),
    TEST(many_host_calls_in_one_call),
    TEST(a_message_longer_than_the_output_buffer_is_truncated_to_fit),
    TEST(host_calls_with_bad_arguments_are_refused_without_an_exit),
    TEST(allocations_are_aligned_distinct_and_inside_the_heap),
    TEST(exhaustion_returns_null_and_freeing_everything_coalesces),
    TEST(realloc_grows_in_place_moves_and_shrinks_keeping_the_data),
    TEST(calloc_zeroes_and_rejects_overflow),
    TEST(freeing_a_foreign_or_freed_pointer_aborts),
    TEST(tiny_or_missing_heaps_allocate_nothing),
    TEST(random_allocation_patterns_keep_the_heap_consistent_and_data_intact),
    TEST(memory_functions_handle_overlap_and_tails),
    TEST(string_functions_compare_as_unsigned_bytes),
    TEST(snprintf_formats_the_documented_conversions),
    TEST(snprintf_truncates_and_returns_the_full_length),
};

int main(void) {
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        current_test = tests[i].name;
        checks_failed_in_test = 0;
        tests[i].run();
        if (checks_failed_in_test) failed++; else passed++;
    }
    host_teardown();
    free(heap_area);
    printf("runtime host tests: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
