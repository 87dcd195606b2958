/* wasm_impl.h: the engine's internal structures (shared by the loader and the executor). */
#ifndef MOLT_WASM_IMPL_H
#define MOLT_WASM_IMPL_H

#include "wasm.h"

#include <stdarg.h>

#ifdef WASM_MOLT_GUEST
#include "molt_guest.h"
#define wasm_vsnprintf molt_vsnprintf
/* -ffreestanding makes gcc call the runtime's memcpy/memset even for the 4- and 8-byte copies
 * the interpreter uses to move float bits and memory values (a call per float operation and per
 * load/store); the builtins inline fixed sizes and still call the runtime for variable ones. */
#define memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define memset(d, c, n) __builtin_memset((d), (c), (n))
#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define wasm_vsnprintf vsnprintf
#endif

#define WASM_PAGE 65536u
#define WASM_MAX_PAGES 65536u
#define WASM_MAX_LOCALS 50000u
#define WASM_NONE 0xFFFFFFFFu

/* Internal opcodes beyond the one-byte space: 0xFC xx maps to 0x100 + xx. */
enum {
    OP_FC = 0x100,
    OP_BR = 0x200,     /* a = target pc, b = height | arity << 32 */
    OP_BR_IF,          /* same, pops the condition */
    OP_BR_TABLE,       /* a = first branch-table entry, b = entry count (last = default) */
    OP_JUMP,           /* a = target pc (no stack change) */
    OP_JUMP_IF_ZERO,   /* a = target pc, pops the condition (if) */
    OP_RETURN,         /* return from the function (arity = nresults) */
    OP_SELECT,         /* select (any type) */
    OP_JUMP_IF,        /* a = target pc, pops the condition (br_if that moves no values) */
};

typedef struct winstr {
    uint16_t op;
    uint16_t x;
    uint32_t a;
    uint64_t b;
} winstr;

typedef struct wbranch {
    uint32_t target, height, arity;
} wbranch;

typedef struct wlimits {
    uint32_t min, max;
    bool has_max;
} wlimits;

typedef struct wconst {
    uint16_t op; /* 0x41..0x44, 0x23 global.get, 0xD0 ref.null, 0xD2 ref.func */
    uint64_t value;
} wconst;

typedef struct wimport {
    const char *module, *name;
    uint32_t module_len, name_len;
    uint8_t kind;
    uint32_t type;     /* func: type index */
    uint8_t valtype;   /* global: value type; table: element type */
    bool mut;          /* global */
    wlimits limits;    /* table, memory */
} wimport;

typedef struct wfuncdef {
    uint32_t type;
    uint32_t nlocals;       /* including parameters */
    uint8_t *local_types;   /* nlocals */
    winstr *code;
    uint32_t ncode;
    wbranch *branches;
    uint32_t nbranches;
    uint32_t max_height;    /* operand stack slots above the locals */
} wfuncdef;

typedef struct wtabledef {
    uint8_t elem;
    wlimits limits;
} wtabledef;

typedef struct wglobaldef {
    uint8_t type;
    bool mut;
    wconst init;
} wglobaldef;

typedef struct wexport {
    const char *name;
    uint32_t name_len;
    uint8_t kind;
    uint32_t index;
} wexport;

enum { SEG_ACTIVE = 0, SEG_PASSIVE = 1, SEG_DECLARATIVE = 2 };

typedef struct welem {
    uint8_t mode;
    uint8_t type;
    uint32_t table;
    wconst offset;
    uint32_t count;
    wconst *items;
} welem;

typedef struct wdata {
    uint8_t mode;
    uint32_t memory;
    wconst offset;
    const uint8_t *bytes;
    uint32_t length;
} wdata;

struct wasm_module {
    uint8_t *bytes; /* owned copy; names and data point into it */
    size_t length;
    wasm_functype *types;
    uint32_t ntypes;
    wimport *imports;
    uint32_t nimports;
    uint32_t nfunc_imports, ntable_imports, nmem_imports, nglobal_imports;
    uint32_t nfuncs; /* all, imports first */
    uint32_t *func_types; /* type index of every function */
    wfuncdef *funcs;      /* defined functions (nfuncs - nfunc_imports) */
    uint32_t nfuncdefs;   /* entries allocated in funcs */
    uint32_t ntables;
    wtabledef *tables; /* all, imports first */
    uint32_t nmems;
    wlimits *mems;
    uint32_t nglobals;
    wglobaldef *globals; /* all, imports first (init unused for imports) */
    wexport *exports;
    uint32_t nexports;
    uint32_t start;
    welem *elems;
    uint32_t nelems;
    wdata *datas;
    uint32_t ndatas;
    bool has_datacount;
    uint32_t datacount;
};

struct wasm_func {
    wasm_functype type;
    wasm_instance *inst; /* NULL for host functions */
    const wfuncdef *def;
    wasm_host_fn host;
    void *host_ctx;
    uint8_t *owned_types; /* host functions: copy of the type */
};

struct wasm_table {
    uint8_t elem;
    uint32_t size, max;
    bool has_max;
    uint64_t *elems;
};

struct wasm_memory {
    uint8_t *data;
    uint64_t size; /* bytes */
    uint32_t pages, max;
    bool has_max;
};

struct wasm_global {
    uint8_t type;
    bool mut;
    uint64_t value;
};

struct wasm_instance {
    wasm_module *module;
    wasm_func **funcs;
    wasm_table **tables;
    wasm_memory *memory; /* NULL when the module has none */
    wasm_global **globals;
    bool *elem_dropped;
    bool *data_dropped;
    wasm_instance *next;
};

typedef struct wframe {
    const winstr *ret_pc;
    uint64_t *fp;
    wasm_func *func;
} wframe;

/* Every object the store hands out is on this list (freed with the store). */
typedef struct wobject {
    struct wobject *next;
    void (*destroy)(void *);
} wobject;

struct wasm_store {
    wasm_config config;
    uint64_t *stack, *stack_end, *sp;
    wframe *frames;
    uint32_t depth;
    wobject *objects;
    wasm_instance *instances;
    wasm_extern spectest[13]; /* made on first use (wasm_spectest_export) */
    bool spectest_made;
};


#endif /* MOLT_WASM_IMPL_H */
