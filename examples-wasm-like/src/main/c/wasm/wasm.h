/*
 * wasm.h: a small WebAssembly interpreter in portable C11 (WebAssembly 1.0 plus the 2.0
 * additions used by the spec scripts: multi-value, sign extension, saturating conversions,
 * reference types, bulk memory and table instructions).
 *
 * The same sources build freestanding (inside a Molt guest, against molt_guest.h; define
 * WASM_MOLT_GUEST) and hosted (normal libc; the spec test driver).
 *
 * Values cross the API as 64-bit slots: i32 zero-extended, i64 as is, f32/f64 as IEEE bit
 * patterns, funcref as a wasm_func pointer (0 = null), externref as (host value + 1) (0 = null).
 */
#ifndef MOLT_WASM_H
#define MOLT_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types (binary encoding). */
enum {
    WASM_I32 = 0x7F,
    WASM_I64 = 0x7E,
    WASM_F32 = 0x7D,
    WASM_F64 = 0x7C,
    WASM_FUNCREF = 0x70,
    WASM_EXTERNREF = 0x6F,
};

/* Extern kinds (import/export descriptors). */
enum { WASM_EXTERN_FUNC = 0, WASM_EXTERN_TABLE = 1, WASM_EXTERN_MEMORY = 2, WASM_EXTERN_GLOBAL = 3 };

typedef enum wasm_status {
    WASM_OK = 0,
    WASM_MALFORMED = 1, /* the binary does not decode */
    WASM_INVALID = 2,   /* decodes, but fails validation */
    WASM_LINK = 3,      /* an import is missing or of another type */
    WASM_TRAP = 4,      /* a trap (also: a trap in the start function or a segment) */
    WASM_EXHAUSTED = 5, /* call stack or value stack exhausted (a trap too) */
    WASM_NOMEM = 6,     /* the engine could not allocate */
    WASM_HOST = 7,      /* a host function failed */
} wasm_status;

typedef struct wasm_error {
    wasm_status status;
    char message[200];
} wasm_error;

typedef struct wasm_module wasm_module;
typedef struct wasm_store wasm_store;
typedef struct wasm_instance wasm_instance;
typedef struct wasm_func wasm_func;
typedef struct wasm_table wasm_table;
typedef struct wasm_memory wasm_memory;
typedef struct wasm_global wasm_global;

typedef struct wasm_functype {
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
} wasm_functype;

typedef struct wasm_extern {
    uint8_t kind; /* WASM_EXTERN_* */
    union {
        wasm_func *func;
        wasm_table *table;
        wasm_memory *memory;
        wasm_global *global;
    } as;
} wasm_extern;

/* Engine limits, fixed per store. */
typedef struct wasm_config {
    uint32_t max_call_depth;    /* frames */
    uint32_t value_stack_slots; /* 64-bit slots shared by all frames */
    uint32_t max_memory_pages;  /* memory.grow beyond this fails with -1 */
    uint32_t max_table_elems;   /* table.grow beyond this fails with -1 */
    uint64_t fuel;              /* taken branches + calls per wasm_call; 0 = unlimited. Running
                                   out is WASM_EXHAUSTED ("fuel exhausted"). */
} wasm_config;

/* Decodes and validates a binary module. NULL on failure, with err set. The bytes are copied. */
wasm_module *wasm_module_decode(const uint8_t *bytes, size_t length, wasm_error *err);
void wasm_module_free(wasm_module *m);

/* Imports and exports of a decoded module. */
uint32_t wasm_module_import_count(const wasm_module *m);
/* Name pointers are not NUL-terminated. Returns the kind. */
uint8_t wasm_module_import(const wasm_module *m, uint32_t i, const char **module, uint32_t *module_len,
                           const char **name, uint32_t *name_len);
/* For a function import: its type. */
wasm_functype wasm_module_import_functype(const wasm_module *m, uint32_t i);

wasm_store *wasm_store_new(const wasm_config *config);
/* Frees the store and everything created in it (instances, host functions, modules handed over). */
void wasm_store_free(wasm_store *s);

/* A host function: args has nparams slots; write nresults slots to results. Return WASM_OK,
 * or set err (status WASM_TRAP or WASM_HOST) and return that status. */
typedef wasm_status (*wasm_host_fn)(void *ctx, const wasm_functype *type, const uint64_t *args,
                                    uint64_t *results, wasm_error *err);
/* The type's arrays are copied. */
wasm_func *wasm_func_new_host(wasm_store *s, const wasm_functype *type, wasm_host_fn fn, void *ctx);
wasm_global *wasm_global_new(wasm_store *s, uint8_t type, bool mutable_, uint64_t value);
wasm_table *wasm_table_new(wasm_store *s, uint8_t elem_type, uint32_t min, uint32_t max, bool has_max);
wasm_memory *wasm_memory_new(wasm_store *s, uint32_t min, uint32_t max, bool has_max);

/* Resolves import i (kind, names as in wasm_module_import) to *out; false if unknown. */
typedef bool (*wasm_resolver)(void *ctx, const wasm_module *m, uint32_t i, wasm_extern *out);

/* Instantiates a module in the store: imports, globals, tables, memory, element and data
 * segments, start function. The store takes the module over whatever the outcome (a failed
 * instantiation may already have written into imported tables or memories, as the spec says,
 * so its functions must stay alive). On failure returns NULL with err (WASM_LINK, WASM_TRAP...). */
wasm_instance *wasm_instantiate(wasm_store *s, wasm_module *m, wasm_resolver resolve, void *ctx,
                                wasm_error *err);

/* Looks up an export by name (length-delimited). */
bool wasm_instance_export(const wasm_instance *inst, const char *name, uint32_t name_len, wasm_extern *out);

wasm_functype wasm_func_type(const wasm_func *f);
/* Calls f: args has nparams slots, results receives nresults slots. */
wasm_status wasm_call(wasm_store *s, wasm_func *f, const uint64_t *args, uint64_t *results, wasm_error *err);

uint8_t wasm_global_type(const wasm_global *g);
uint64_t wasm_global_get(const wasm_global *g);

/* Exports of a decoded module; returns the kind. */
uint32_t wasm_module_export_count(const wasm_module *m);
uint8_t wasm_module_export(const wasm_module *m, uint32_t i, const char **name, uint32_t *name_len);
const wasm_module *wasm_instance_module(const wasm_instance *inst);

/* The spec scripts' "spectest" host module, created in the store on first use: functions print,
 * print_i32, print_i64, print_f32, print_f64, print_i32_f32, print_f64_f64 (no-ops), globals
 * global_i32/global_i64 (666), global_f32/global_f64 (666.6), table (10..20 funcref), memory
 * (1..2 pages). False if `name` is none of these (or out of memory). */
bool wasm_spectest_export(wasm_store *s, const char *name, uint32_t name_len, wasm_extern *out);

/* Memory owned by the store (zeroed; freed with the store); NULL when out of memory. */
void *wasm_store_alloc(wasm_store *s, size_t size, void (*destroy)(void *));

/* Formats into err: printf subset (%u %d %s %.*s), message truncated to fit. Returns status. */
wasm_status wasm_fail(wasm_error *err, wasm_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* MOLT_WASM_H */
