/* The Molt guest runtime: boot, function registry, call dispatch, host calls, fail and abort. */
#include "molt_internal.h"

typedef struct molt_entry {
    const char *name;
    uint32_t name_length;
    molt_function fn;
    molt_type ret;
    uint8_t param_count;
    molt_type params[MOLT_MAX_PARAMS];
} molt_entry;

static struct {
    molt_boot_block boot;        /* copy taken at start: the host cannot change it under us */
    molt_entry functions[MOLT_MAX_FUNCTIONS];
    uint32_t function_count;
    bool registering;            /* inside molt_init() */
    void *argument_copies;       /* heap block holding the current call's string/bytes args */
} rt;

void molt__reset_runtime(void) { memset(&rt, 0, sizeof rt); }

const molt_boot_block *molt_boot(void) { return &rt.boot; }

molt_value molt_cstring(const char *s) {
    return s ? molt_string(s, (uint32_t)strlen(s)) : molt_string("", 0);
}

static uint8_t *input_buffer(void) { return (uint8_t *)(uintptr_t)rt.boot.input_addr; }
static uint8_t *output_buffer(void) { return (uint8_t *)(uintptr_t)rt.boot.output_addr; }

/* Writes a frame of (i32 code, u32 length, message) truncated to fit the output buffer. */
static void write_report(uint16_t kind, int32_t code, const char *message) {
    uint64_t length = message ? strlen(message) : 0;
    uint64_t room = rt.boot.output_size - MOLT_FRAME_HEADER - 8;
    if (length > room - 8) length = room - 8; /* keep room for the padding */
    molt_writer w;
    molt__begin_frame(&w, output_buffer(), rt.boot.output_size);
    molt__write_u32(&w, (uint32_t)code);
    molt__write_u32(&w, (uint32_t)length);
    molt__write_raw(&w, message, length);
    molt__end_frame(&w, kind);
}

_Noreturn void molt_abort(int32_t code, const char *message) {
    if (rt.boot.output_size >= MOLT_MIN_OUTPUT_SIZE) write_report(MOLT_FRAME_ABORT, code, message);
    molt__out_abort(code);
}

_Noreturn void molt_fail(int32_t code, const char *message) {
    write_report(MOLT_FRAME_ERROR, code, message);
    molt__out_done();
}

/* A formatted failure or abort of the runtime itself. */
static _Noreturn void fail_call(int32_t code, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static _Noreturn void fail_call(int32_t code, const char *format, ...) {
    char message[256];
    va_list ap;
    va_start(ap, format);
    molt_vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    molt_fail(code, message);
}

static _Noreturn void abort_with(int32_t code, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static _Noreturn void abort_with(int32_t code, const char *format, ...) {
    char message[256];
    va_list ap;
    va_start(ap, format);
    molt_vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    molt_abort(code, message);
}

/* ---------------------------------------------------------------------------------------------
 * Boot
 */

/* start + size lies inside guest memory, without overflow. */
static bool inside_memory(uint64_t start, uint64_t size, uint64_t memory_size) {
    return start <= memory_size && size <= memory_size - start;
}

/* NULL when the boot block is usable, else which field is not. */
static const char *check_boot(const molt_boot_block *b) {
    if (b->magic != MOLT_BOOT_MAGIC) return "magic is not MOLTBOOT";
    if (b->abi_version != MOLT_ABI_VERSION) return "abi_version is not 1";
    if (b->output_size < MOLT_MIN_OUTPUT_SIZE) return "output_size is below 256";
    if (!inside_memory(b->output_addr, b->output_size, b->memory_size))
        return "output buffer lies outside guest memory";
    if (b->input_size < MOLT_MIN_INPUT_SIZE) return "input_size is below 64";
    if (!inside_memory(b->input_addr, b->input_size, b->memory_size))
        return "input buffer lies outside guest memory";
    if (!inside_memory(b->heap_addr, b->heap_size, b->memory_size))
        return "heap lies outside guest memory";
    if (b->stack_size > b->stack_top || !inside_memory(b->stack_top - b->stack_size, b->stack_size,
                                                        b->memory_size))
        return "stack lies outside guest memory";
    if (b->output_size > UINT32_MAX + (uint64_t)MOLT_FRAME_HEADER ||
        b->input_size > UINT32_MAX + (uint64_t)MOLT_FRAME_HEADER)
        return "a buffer is larger than a frame can describe";
    return NULL;
}

static void write_init_frame(void) {
    molt_writer w;
    molt__begin_frame(&w, output_buffer(), rt.boot.output_size);
    molt__write_u32(&w, MOLT_RUNTIME_VERSION);
    molt__write_u32(&w, rt.function_count);
    molt__write_u64(&w, (uint64_t)(uintptr_t)&_molt_dispatch);
    for (uint32_t i = 0; i < rt.function_count; i++) {
        const molt_entry *e = &rt.functions[i];
        molt__write_u32(&w, e->name_length);
        molt__write_raw(&w, e->name, e->name_length);
        molt__write_padding(&w);
        molt__write_u8(&w, (uint8_t)e->ret);
        molt__write_u8(&w, e->param_count);
        for (uint32_t p = 0; p < e->param_count; p++) molt__write_u8(&w, (uint8_t)e->params[p]);
        molt__write_padding(&w);
    }
    molt__end_frame(&w, MOLT_FRAME_INIT);
    if (w.failed)
        abort_with(MOLT_ERR_OVERFLOW, "the function table of %u functions does not fit the "
                   "output buffer of %llu bytes", rt.function_count,
                   (unsigned long long)rt.boot.output_size);
}

typedef void (*molt_constructor)(void);
#ifdef MOLT_HOSTED_TEST
static molt_constructor *const molt_init_array_start = NULL, *const molt_init_array_end = NULL;
#else
extern molt_constructor __init_array_start[], __init_array_end[]; /* molt_guest.ld */
#define molt_init_array_start __init_array_start
#define molt_init_array_end __init_array_end
#endif

_Noreturn void molt__start(const molt_boot_block *boot) {
    const char *defect = check_boot(boot);
    if (defect) {
        /* Report through the buffer only if it looks usable; EAX carries the code either way. */
        if (boot->magic == MOLT_BOOT_MAGIC && boot->output_size >= MOLT_MIN_OUTPUT_SIZE &&
            inside_memory(boot->output_addr, boot->output_size, boot->memory_size))
            rt.boot = *boot;
        abort_with(MOLT_ERR_BOOT, "boot block: %s", defect);
    }
    rt.boot = *boot;
    molt__heap_init((void *)(uintptr_t)rt.boot.heap_addr, rt.boot.heap_size);
    for (molt_constructor *c = molt_init_array_start; c != molt_init_array_end; c++) (*c)();
    rt.registering = true;
    molt_init();
    rt.registering = false;
    write_init_frame();
    molt__out_done();
}

/* ---------------------------------------------------------------------------------------------
 * Registration
 */

static bool parse_type(const char **s, molt_type *out) {
    static const struct { const char *name; molt_type type; } types[] = {
        {"void", MOLT_VOID}, {"i32", MOLT_I32},  {"u32", MOLT_U32},   {"i64", MOLT_I64},
        {"u64", MOLT_U64},   {"f32", MOLT_F32},  {"f64", MOLT_F64},   {"bool", MOLT_BOOL},
        {"string", MOLT_STRING}, {"bytes", MOLT_BYTES},
    };
    while (**s == ' ') (*s)++;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t n = strlen(types[i].name);
        if (strncmp(*s, types[i].name, n) != 0) continue; /* stops at the NUL of a short *s */
        char after = (*s)[n];
        if (after == '(' || after == ')' || after == ',' || after == ' ') {
            *s += n;
            while (**s == ' ') (*s)++;
            *out = types[i].type;
            return true;
        }
    }
    return false;
}

/* Parses "ret(p1,p2,...)" into the entry; false on any defect. */
static bool parse_signature(const char *s, molt_entry *e) {
    if (!parse_type(&s, &e->ret) || *s++ != '(') return false;
    e->param_count = 0;
    while (*s == ' ') s++;
    while (*s != ')') {
        molt_type t;
        if (e->param_count == MOLT_MAX_PARAMS || !parse_type(&s, &t) || t == MOLT_VOID) return false;
        e->params[e->param_count++] = t;
        if (*s == ',' && s[1] != ')') s++;
        else if (*s != ')') return false;
    }
    for (s++; *s == ' '; s++) {}
    return *s == '\0';
}

uint32_t molt_register(const char *name, const char *signature, molt_function fn) {
    if (!rt.registering) molt_abort(MOLT_ERR_REGISTER, "molt_register called outside molt_init");
    if (!name || !signature || !fn)
        molt_abort(MOLT_ERR_REGISTER, "molt_register: name, signature and function are required");
    size_t length = strlen(name);
    if (length == 0 || length > MOLT_MAX_NAME)
        abort_with(MOLT_ERR_REGISTER, "molt_register: a name must have 1..%d bytes", MOLT_MAX_NAME);
    for (uint32_t i = 0; i < rt.function_count; i++)
        if (strcmp(rt.functions[i].name, name) == 0)
            abort_with(MOLT_ERR_REGISTER, "molt_register: %s is registered twice", name);
    if (rt.function_count == MOLT_MAX_FUNCTIONS)
        abort_with(MOLT_ERR_REGISTER, "molt_register: %s: more than %d functions", name,
                   MOLT_MAX_FUNCTIONS);
    molt_entry *e = &rt.functions[rt.function_count];
    if (!parse_signature(signature, e))
        abort_with(MOLT_ERR_REGISTER, "molt_register: %s: bad signature \"%s\"", name, signature);
    e->name = name;
    e->name_length = (uint32_t)length;
    e->fn = fn;
    return rt.function_count++;
}

/* ---------------------------------------------------------------------------------------------
 * Dispatch
 */

static void release_argument_copies(void) {
    molt__heap_free(rt.argument_copies);
    rt.argument_copies = NULL;
}

/* Copies string/bytes arguments out of the input buffer, which host calls overwrite. */
static void copy_arguments(molt_value *args, uint32_t count) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < count; i++)
        if (args[i].type == MOLT_STRING || args[i].type == MOLT_BYTES) total += args[i].length + 1u;
    if (total == 0) return;
    uint8_t *copy = molt__heap_alloc(total);
    if (!copy)
        fail_call(MOLT_ERR_NOMEM, "the heap cannot hold the call's %llu bytes of arguments",
                  (unsigned long long)total);
    rt.argument_copies = copy;
    for (uint32_t i = 0; i < count; i++) {
        if (args[i].type != MOLT_STRING && args[i].type != MOLT_BYTES) continue;
        memcpy(copy, args[i].as.bytes, args[i].length);
        copy[args[i].length] = 0;
        args[i].as.bytes = copy;
        copy += args[i].length + 1u;
    }
}

static void write_return_frame(const molt_entry *e, const molt_value *result) {
    molt_writer w;
    molt__begin_frame(&w, output_buffer(), rt.boot.output_size);
    molt__write_value(&w, result);
    molt__end_frame(&w, MOLT_FRAME_RETURN);
    if (w.failed)
        fail_call(MOLT_ERR_OVERFLOW, "%s returned %llu bytes, more than the output buffer of %llu "
                  "bytes holds", e->name, (unsigned long long)result->length,
                  (unsigned long long)rt.boot.output_size);
}

_Noreturn void molt__dispatch(void) {
    release_argument_copies(); /* left over if the previous call ended in molt_fail */
    molt_reader body;
    const char *defect =
        molt__read_frame_header(input_buffer(), rt.boot.input_size, MOLT_FRAME_CALL, &body);
    if (defect) fail_call(MOLT_ERR_BAD_CALL, "CALL frame: %s", defect);
    uint32_t id, count;
    if ((defect = molt__read_u32(&body, &id)) || (defect = molt__read_u32(&body, &count)))
        fail_call(MOLT_ERR_BAD_CALL, "CALL frame: %s", defect);
    if (id >= rt.function_count)
        fail_call(MOLT_ERR_BAD_CALL, "unknown function id %u (the guest has %u functions)", id,
                  rt.function_count);
    const molt_entry *e = &rt.functions[id];
    if (count != e->param_count)
        fail_call(MOLT_ERR_BAD_CALL, "%s takes %u arguments, the call has %u", e->name,
                  e->param_count, count);
    molt_value args[MOLT_MAX_PARAMS];
    for (uint32_t i = 0; i < count; i++) {
        if ((defect = molt__read_value(&body, &args[i])))
            fail_call(MOLT_ERR_BAD_CALL, "%s argument %u: %s", e->name, i, defect);
        if (args[i].type != e->params[i])
            fail_call(MOLT_ERR_BAD_CALL, "%s argument %u is %s, the signature says %s", e->name, i,
                      molt__type_name(args[i].type), molt__type_name(e->params[i]));
    }
    if (body.pos != body.length)
        fail_call(MOLT_ERR_BAD_CALL, "CALL frame: %u bytes after the last argument",
                  body.length - body.pos);
    copy_arguments(args, count);
    molt_value result = e->fn(args);
    if (result.type != e->ret)
        abort_with(MOLT_ERR_BAD_RESULT, "%s returned a %s value, its signature says %s", e->name,
                   molt__type_name(result.type), molt__type_name(e->ret));
    write_return_frame(e, &result);
    release_argument_copies();
    molt__out_done();
}

/* ---------------------------------------------------------------------------------------------
 * Host calls
 */

static molt_host_result local_failure(molt_host_status status, const char *message) {
    molt_host_result r = {status, molt_void(), message, (uint32_t)strlen(message)};
    return r;
}

static molt_host_result read_host_result(molt_type ret) {
    molt_reader body;
    uint32_t status, reserved;
    const char *defect =
        molt__read_frame_header(input_buffer(), rt.boot.input_size, MOLT_FRAME_HOSTRESULT, &body);
    if (!defect && !(defect = molt__read_u32(&body, &status)))
        defect = molt__read_u32(&body, &reserved);
    if (defect) return local_failure(MOLT_HOST_BAD_REPLY, defect);
    if (status > MOLT_HOST_BAD_ARGS) return local_failure(MOLT_HOST_BAD_REPLY, "unknown status");
    molt_host_result r = {(molt_host_status)status, molt_void(), "", 0};
    if (status == MOLT_HOST_OK) {
        if ((defect = molt__read_value(&body, &r.value))) return local_failure(MOLT_HOST_BAD_REPLY, defect);
        if (r.value.type != ret)
            return local_failure(MOLT_HOST_BAD_REPLY, "result has another type than requested");
    } else {
        uint32_t length;
        if ((defect = molt__read_u32(&body, &length))) return local_failure(MOLT_HOST_BAD_REPLY, defect);
        if (length > body.length - body.pos)
            return local_failure(MOLT_HOST_BAD_REPLY, "message extends past the frame body");
        r.message = (const char *)body.base + body.pos;
        r.message_length = length;
        body.pos += length;
        if ((defect = molt__read_padding(&body))) return local_failure(MOLT_HOST_BAD_REPLY, defect);
    }
    if (body.pos != body.length)
        return local_failure(MOLT_HOST_BAD_REPLY, "bytes after the end of the result");
    return r;
}

molt_host_result molt_call_host(const char *name, molt_type ret, uint32_t argc,
                                const molt_value *argv) {
    size_t length = name ? strlen(name) : 0;
    if (length == 0 || length > MOLT_MAX_NAME)
        return local_failure(MOLT_HOST_BAD_ARGS, "a host function name must have 1..128 bytes");
    if (!molt__type_is_valid((uint32_t)ret))
        return local_failure(MOLT_HOST_BAD_ARGS, "invalid result type");
    for (uint32_t i = 0; i < argc; i++)
        if (argv[i].type == MOLT_VOID || !molt__type_is_valid((uint32_t)argv[i].type))
            return local_failure(MOLT_HOST_BAD_ARGS, "an argument has no valid type");
    molt_writer w;
    molt__begin_frame(&w, output_buffer(), rt.boot.output_size);
    molt__write_u32(&w, (uint32_t)length);
    molt__write_raw(&w, name, length);
    molt__write_padding(&w);
    molt__write_u32(&w, argc);
    molt__write_u8(&w, (uint8_t)ret);
    molt__write_u8(&w, 0);
    molt__write_u8(&w, 0);
    molt__write_u8(&w, 0);
    for (uint32_t i = 0; i < argc; i++) molt__write_value(&w, &argv[i]);
    molt__end_frame(&w, MOLT_FRAME_HOSTCALL);
    if (w.failed)
        return local_failure(MOLT_HOST_TOO_LARGE, "the request does not fit the output buffer");
    molt__out_hostcall();
    return read_host_result(ret);
}

int32_t molt_print(const char *text) {
    molt_host_result r = MOLT_CALL_HOST("HostPrint", MOLT_I32, molt_cstring(text ? text : ""));
    return r.status == MOLT_HOST_OK ? r.value.as.i32 : -1;
}

int32_t molt_printf(const char *format, ...) {
    char text[1024];
    va_list ap;
    va_start(ap, format);
    molt_vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    return molt_print(text);
}
