/*
 * molt_guest.h: the Molt guest runtime, guest ABI v1 (docs/guest-abi.md).
 *
 * A Molt guest is a freestanding x86-64 program that runs in ring 3 inside a Molt sandbox. It is
 * linked against libmoltguest.a with the linker script molt_guest.ld and provides one function:
 *
 *     void molt_init(void)    registers the guest's functions with molt_register()
 *
 * The runtime owns the entry point (_molt_start), the call dispatcher (_molt_dispatch), the heap
 * and the wire format. A guest function receives its decoded arguments and returns one value:
 *
 *     static molt_value add(const molt_value *args) {
 *         return molt_i32(args[0].as.i32 + args[1].as.i32);
 *     }
 *     void molt_init(void) { molt_register("Add", "i32(i32,i32)", add); }
 *
 * Rules for guest code: no libc (this header declares the C functions the runtime provides), no
 * privileged instructions (hlt, cli, in, out to other ports...), no thread-local storage; compile
 * with the flags of the SDK's Makefile.example (notably -fstack-clash-protection: the stack has
 * a single guard page).
 * Every call starts on a fresh stack: nothing on the stack survives between calls; globals and
 * the heap do. Build with gcc (GNU C: the MOLT_CALL_HOST macro uses GNU extensions); the header
 * also compiles as C++ (without MOLT_CALL_HOST).
 */
#ifndef MOLT_GUEST_H
#define MOLT_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define MOLT_NORETURN [[noreturn]]
extern "C" {
#else
#define MOLT_NORETURN _Noreturn
#endif

/** The guest ABI version this header implements (boot block and frame headers carry it). */
#define MOLT_ABI_VERSION 1
/** The version of this runtime, reported to the host in the INIT frame. */
#define MOLT_RUNTIME_VERSION 1

/** Largest number of functions a guest may register. */
#define MOLT_MAX_FUNCTIONS 256
/** Largest number of parameters of a guest function. */
#define MOLT_MAX_PARAMS 16
/** Longest function name (guest or host function), in bytes. */
#define MOLT_MAX_NAME 128

/* ---------------------------------------------------------------------------------------------
 * Values
 */

/** Value types; the numbers are the wire tags. */
typedef enum molt_type {
    MOLT_VOID = 0,
    MOLT_I32 = 1,
    MOLT_U32 = 2,
    MOLT_I64 = 3,
    MOLT_U64 = 4,
    MOLT_F32 = 5,
    MOLT_F64 = 6,
    MOLT_BOOL = 7,
    MOLT_STRING = 8, /* UTF-8 */
    MOLT_BYTES = 9,
} molt_type;

/**
 * A typed value: an argument, a result, a host-call argument or a host-call result.
 * For MOLT_STRING and MOLT_BYTES, `as.str` / `as.bytes` point to `length` bytes.
 */
typedef struct molt_value {
    molt_type type;
    uint32_t length; /* string and bytes only */
    union {
        int32_t i32;
        uint32_t u32;
        int64_t i64;
        uint64_t u64;
        float f32;
        double f64;
        bool b;
        const char *str;
        const uint8_t *bytes;
    } as;
} molt_value;

static inline molt_value molt_void(void) { molt_value v = {MOLT_VOID, 0, {0}}; return v; }
static inline molt_value molt_i32(int32_t x) { molt_value v = {MOLT_I32, 0, {.i32 = x}}; return v; }
static inline molt_value molt_u32(uint32_t x) { molt_value v = {MOLT_U32, 0, {.u32 = x}}; return v; }
static inline molt_value molt_i64(int64_t x) { molt_value v = {MOLT_I64, 0, {.i64 = x}}; return v; }
static inline molt_value molt_u64(uint64_t x) { molt_value v = {MOLT_U64, 0, {.u64 = x}}; return v; }
static inline molt_value molt_f32(float x) { molt_value v = {MOLT_F32, 0, {.f32 = x}}; return v; }
static inline molt_value molt_f64(double x) { molt_value v = {MOLT_F64, 0, {.f64 = x}}; return v; }
static inline molt_value molt_bool(bool x) { molt_value v = {MOLT_BOOL, 0, {.b = x}}; return v; }
/** A string of `length` UTF-8 bytes (need not be NUL-terminated). */
static inline molt_value molt_string(const char *s, uint32_t length) {
    molt_value v = {MOLT_STRING, length, {.str = s}};
    return v;
}
/** A NUL-terminated string (the NUL is not sent); NULL gives the empty string. */
molt_value molt_cstring(const char *s);
/** `length` bytes. */
static inline molt_value molt_bytes(const void *p, uint32_t length) {
    molt_value v = {MOLT_BYTES, length, {.bytes = (const uint8_t *)p}};
    return v;
}

/* ---------------------------------------------------------------------------------------------
 * Guest functions
 */

/**
 * A guest function. `args` holds as many values as the signature has parameters, each of the
 * declared type. String and bytes arguments are copies on the heap, valid until the function
 * returns; a string argument is followed by a NUL byte (it may contain NULs itself: use length).
 * The returned value must have the declared return type (molt_void() for void); a string or
 * bytes result may point into the arguments, the heap or static data: the runtime copies it into
 * the output buffer after the function returns.
 */
typedef molt_value (*molt_function)(const molt_value *args);

/** Provided by the guest author: registers the guest's functions. Runs once, at initialisation. */
void molt_init(void);

/**
 * Registers `fn` as `name` with a signature such as "i32(i32,i32)", "void()", "bytes(bytes)".
 * Type names: void (return only), i32, u32, i64, u64, f32, f64, bool, string, bytes.
 * `name` and `signature` must stay valid for the guest's life (string literals are).
 * Only valid inside molt_init(). Returns the function id (registration order, from 0). A bad
 * name, a duplicate, a bad signature or a full table aborts initialisation (MOLT_ERR_REGISTER).
 */
uint32_t molt_register(const char *name, const char *signature, molt_function fn);

/* ---------------------------------------------------------------------------------------------
 * Errors
 */

/** Error codes used by the runtime (ERROR and ABORT frames). Guest codes must be >= 1000. */
enum molt_error {
    MOLT_ERR_BOOT = 1,         /* boot block missing, of another ABI version, or inconsistent */
    MOLT_ERR_NOMEM = 2,        /* the heap cannot hold the call's string/bytes arguments */
    MOLT_ERR_BAD_CALL = 3,     /* malformed CALL frame, unknown function id, wrong arguments */
    MOLT_ERR_OVERFLOW = 4,     /* a result or the function table does not fit the output buffer */
    MOLT_ERR_REGISTER = 5,     /* bad molt_register() call */
    MOLT_ERR_BAD_RESULT = 6,   /* a function returned a value of another type than declared */
    MOLT_ERR_HEAP = 7,         /* free()/realloc() of a pointer the heap did not hand out */
    MOLT_ERR_USER = 1000,      /* first code for guest authors */
};

/**
 * Ends the current call (or initialisation) with an ERROR frame (code, message). This is a
 * normal, reported result: the sandbox stays Ready. Never returns.
 */
MOLT_NORETURN void molt_fail(int32_t code, const char *message);

/** Ends the sandbox's run with an ABORT frame: the host poisons the sandbox. Never returns. */
MOLT_NORETURN void molt_abort(int32_t code, const char *message);

/* ---------------------------------------------------------------------------------------------
 * Host calls
 */

/** Outcome of a host call. 0..3 come from the host; 4..5 are detected by the runtime. */
typedef enum molt_host_status {
    MOLT_HOST_OK = 0,
    MOLT_HOST_FAILED = 1,       /* the host function failed (e.g. a Java exception) */
    MOLT_HOST_UNKNOWN = 2,      /* no host function of that name */
    MOLT_HOST_BAD_ARGS = 3,     /* argument count/types or the return type do not match */
    MOLT_HOST_BAD_REPLY = 4,    /* the host's HOSTRESULT frame was malformed */
    MOLT_HOST_TOO_LARGE = 5,    /* the request does not fit the output buffer (nothing sent) */
} molt_host_status;

/**
 * Result of a host call. On MOLT_HOST_OK `value` has the requested type; a string or bytes value
 * points into the input buffer and stays valid until the next host call. Otherwise `message`
 * (`message_length` bytes, not NUL-terminated) says why; it is valid until the next host call.
 */
typedef struct molt_host_result {
    molt_host_status status;
    molt_value value;
    const char *message;
    uint32_t message_length;
} molt_host_result;

/** Calls host function `name` with `argc` arguments, expecting a result of type `ret`. */
molt_host_result molt_call_host(const char *name, molt_type ret, uint32_t argc,
                                const molt_value *argv);

/** molt_call_host with the arguments listed inline: MOLT_CALL_HOST("Add", MOLT_I32, molt_i32(1), molt_i32(2)).
 *  (GNU C: compound literals; not for C++.) */
#define MOLT_CALL_HOST(name, ret, ...)                                                          \
    molt_call_host((name), (ret),                                                               \
                   (uint32_t)(sizeof((molt_value[]){__VA_ARGS__}) / sizeof(molt_value)),       \
                   (const molt_value[]){__VA_ARGS__})

/** Prints `text` through the default host function "HostPrint"; returns the bytes printed or -1. */
int32_t molt_print(const char *text);
/** Formats like molt_snprintf (at most 1023 bytes) and prints through molt_print. */
int32_t molt_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* ---------------------------------------------------------------------------------------------
 * Boot block (read-only; at guest address 0x100000)
 */

typedef struct molt_boot_block {
    uint64_t magic; /* "MOLTBOOT" */
    uint32_t abi_version;
    uint32_t flags;
    uint64_t memory_size;
    uint64_t input_addr, input_size;
    uint64_t output_addr, output_size;
    uint64_t heap_addr, heap_size;
    uint64_t stack_top, stack_size;
    uint32_t log_level; /* 0 trace .. 4 error, 5 off */
    uint32_t reserved0;
} molt_boot_block;

/** The boot block the host wrote (valid from molt_init() on). */
const molt_boot_block *molt_boot(void);

/* ---------------------------------------------------------------------------------------------
 * Heap (limit from the boot block) and C library subset
 */

/** Heap figures, in bytes. */
typedef struct molt_heap_stats {
    size_t capacity;      /* usable bytes in blocks, used or free */
    size_t used;          /* bytes in allocated blocks (incl. block headers) */
    size_t free;          /* bytes in free blocks */
    size_t largest_free;  /* largest free block */
    size_t free_blocks;
} molt_heap_stats;

molt_heap_stats molt_heap_statistics(void);

void *malloc(size_t size);                /* 16-byte aligned; NULL when the heap is exhausted */
void free(void *p);                       /* coalesces; aborts (MOLT_ERR_HEAP) on a foreign pointer */
void *realloc(void *p, size_t size);      /* grows in place when it can */
void *calloc(size_t count, size_t size);  /* NULL on overflow */

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/**
 * snprintf subset: %d %i %u %x %X %c %s %p %%, length modifiers l ll z, a width and the '0' flag
 * (e.g. %08x), %.*s with an int precision. Always NUL-terminates when n > 0; returns the length
 * the full output would have.
 */
int molt_snprintf(char *buf, size_t n, const char *format, ...) __attribute__((format(printf, 3, 4)));
int molt_vsnprintf(char *buf, size_t n, const char *format, va_list ap);

#ifdef __cplusplus
}
#endif

#endif /* MOLT_GUEST_H */
