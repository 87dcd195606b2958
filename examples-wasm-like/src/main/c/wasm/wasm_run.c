/*
 * wasm_run.c: store, instantiation and the interpreter. The interpreter runs validated code
 * (wasm_load.c), so it does not check operand types; it checks everything the spec makes a trap:
 * memory and table bounds, division, conversions, indirect call signatures, null elements, and
 * the engine's call depth and value stack (an explicit frame stack: no C recursion per call).
 */
#include "wasm_impl.h"

/* ------------------------------------------------------------------------------------------ */
/* Floating point (bit-exact helpers; no libm) */

static inline float f32_of(uint64_t s) {
    uint32_t b = (uint32_t)s;
    float f;
    memcpy(&f, &b, 4);
    return f;
}
static inline uint64_t of_f32(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static inline double f64_of(uint64_t s) {
    double d;
    memcpy(&d, &s, 8);
    return d;
}
static inline uint64_t of_f64(double d) {
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static float f32_sqrt(float x) {
#if defined(__x86_64__)
    float r;
    __asm__("sqrtss %1, %0" : "=x"(r) : "x"(x));
    return r;
#else
    return __builtin_sqrtf(x);
#endif
}
static double f64_sqrt(double x) {
#if defined(__x86_64__)
    double r;
    __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
    return r;
#else
    return __builtin_sqrt(x);
#endif
}

static float f32_trunc(float x) {
    uint32_t b = (uint32_t)of_f32(x);
    int e = (int)((b >> 23) & 0xFF) - 127;
    if (e >= 23) return x != x ? x + x : x;
    if (e < 0) return f32_of(b & 0x80000000u);
    return f32_of(b & ~(0x007FFFFFu >> e));
}
static float f32_floor(float x) {
    float t = f32_trunc(x);
    if (x == x && t != x && (of_f32(x) >> 31)) return t - 1.0f;
    return t;
}
static float f32_ceil(float x) {
    float t = f32_trunc(x);
    if (x == x && t != x && !(of_f32(x) >> 31)) return t + 1.0f;
    return t;
}
static float f32_nearest(float x) {
    uint32_t b = (uint32_t)of_f32(x);
    int e = (int)((b >> 23) & 0xFF) - 127;
    if (e >= 23) return x != x ? x + x : x;
    float a = f32_of(b & 0x7FFFFFFFu);
    float r = (a + 8388608.0f) - 8388608.0f;
    return f32_of((of_f32(r) & 0x7FFFFFFFu) | (b & 0x80000000u));
}
static double f64_trunc(double x) {
    uint64_t b = of_f64(x);
    int e = (int)((b >> 52) & 0x7FF) - 1023;
    if (e >= 52) return x != x ? x + x : x;
    if (e < 0) return f64_of(b & 0x8000000000000000ull);
    return f64_of(b & ~(0x000FFFFFFFFFFFFFull >> e));
}
static double f64_floor(double x) {
    double t = f64_trunc(x);
    if (x == x && t != x && (of_f64(x) >> 63)) return t - 1.0;
    return t;
}
static double f64_ceil(double x) {
    double t = f64_trunc(x);
    if (x == x && t != x && !(of_f64(x) >> 63)) return t + 1.0;
    return t;
}
static double f64_nearest(double x) {
    uint64_t b = of_f64(x);
    int e = (int)((b >> 52) & 0x7FF) - 1023;
    if (e >= 52) return x != x ? x + x : x;
    double a = f64_of(b & 0x7FFFFFFFFFFFFFFFull);
    double r = (a + 4503599627370496.0) - 4503599627370496.0;
    return f64_of((of_f64(r) & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull));
}
static float f32_min(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f32_of(of_f32(a) | of_f32(b));
    return a < b ? a : b;
}
static float f32_max(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f32_of(of_f32(a) & of_f32(b));
    return a > b ? a : b;
}
static double f64_min(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f64_of(of_f64(a) | of_f64(b));
    return a < b ? a : b;
}
static double f64_max(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f64_of(of_f64(a) & of_f64(b));
    return a > b ? a : b;
}

/* ------------------------------------------------------------------------------------------ */
/* Store */

void *wasm_store_alloc(wasm_store *s, size_t size, void (*destroy)(void *)) {
    wobject *o = calloc(1, sizeof(wobject) + 16 + size);
    if (!o) return NULL;
    o->next = s->objects;
    o->destroy = destroy;
    s->objects = o;
    return (uint8_t *)o + ((sizeof(wobject) + 15) & ~(size_t)15);
}

wasm_store *wasm_store_new(const wasm_config *config) {
    wasm_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->config = *config;
    if (s->config.max_call_depth < 16) s->config.max_call_depth = 16;
    if (s->config.value_stack_slots < 1024) s->config.value_stack_slots = 1024;
    if (s->config.max_memory_pages > WASM_MAX_PAGES) s->config.max_memory_pages = WASM_MAX_PAGES;
    s->stack = malloc((size_t)s->config.value_stack_slots * sizeof(uint64_t));
    s->frames = malloc((size_t)s->config.max_call_depth * sizeof(wframe));
    if (!s->stack || !s->frames) {
        free(s->stack);
        free(s->frames);
        free(s);
        return NULL;
    }
    s->stack_end = s->stack + s->config.value_stack_slots;
    s->sp = s->stack;
    return s;
}

void wasm_store_free(wasm_store *s) {
    if (!s) return;
    wobject *o = s->objects;
    while (o) {
        wobject *next = o->next;
        if (o->destroy) o->destroy((uint8_t *)o + ((sizeof(wobject) + 15) & ~(size_t)15));
        free(o);
        o = next;
    }
    free(s->stack);
    free(s->frames);
    free(s);
}

static void destroy_func(void *p) { free(((wasm_func *)p)->owned_types); }
static void destroy_table(void *p) { free(((wasm_table *)p)->elems); }
static void destroy_memory(void *p) { free(((wasm_memory *)p)->data); }
static void destroy_instance(void *p) {
    wasm_instance *i = p;
    free(i->funcs);
    free(i->tables);
    free(i->globals);
    free(i->elem_dropped);
    free(i->data_dropped);
    wasm_module_free(i->module);
}

wasm_func *wasm_func_new_host(wasm_store *s, const wasm_functype *type, wasm_host_fn fn, void *ctx) {
    if (type->nresults > 16) return NULL;
    wasm_func *f = wasm_store_alloc(s, sizeof(wasm_func), destroy_func);
    if (!f) return NULL;
    f->owned_types = malloc(type->nparams + type->nresults + 1);
    if (!f->owned_types) return NULL;
    if (type->nparams) memcpy(f->owned_types, type->params, type->nparams);
    if (type->nresults) memcpy(f->owned_types + type->nparams, type->results, type->nresults);
    f->type.nparams = type->nparams;
    f->type.nresults = type->nresults;
    f->type.params = f->owned_types;
    f->type.results = f->owned_types + type->nparams;
    f->host = fn;
    f->host_ctx = ctx;
    return f;
}

wasm_global *wasm_global_new(wasm_store *s, uint8_t type, bool mutable_, uint64_t value) {
    wasm_global *g = wasm_store_alloc(s, sizeof(wasm_global), NULL);
    if (!g) return NULL;
    g->type = type;
    g->mut = mutable_;
    g->value = value;
    return g;
}

wasm_table *wasm_table_new(wasm_store *s, uint8_t elem_type, uint32_t min, uint32_t max, bool has_max) {
    if (min > s->config.max_table_elems) return NULL;
    wasm_table *t = wasm_store_alloc(s, sizeof(wasm_table), destroy_table);
    if (!t) return NULL;
    t->elems = calloc(min ? min : 1, sizeof(uint64_t));
    if (!t->elems) return NULL;
    t->elem = elem_type;
    t->size = min;
    t->max = max;
    t->has_max = has_max;
    return t;
}

wasm_memory *wasm_memory_new(wasm_store *s, uint32_t min, uint32_t max, bool has_max) {
    if (min > s->config.max_memory_pages) return NULL;
    wasm_memory *m = wasm_store_alloc(s, sizeof(wasm_memory), destroy_memory);
    if (!m) return NULL;
    m->data = calloc(min ? (size_t)min * WASM_PAGE : 1, 1);
    if (!m->data) return NULL;
    m->pages = min;
    m->size = (uint64_t)min * WASM_PAGE;
    m->max = max;
    m->has_max = has_max;
    return m;
}

static uint32_t memory_grow(wasm_store *s, wasm_memory *m, uint32_t delta) {
    uint32_t old = m->pages;
    uint64_t want = (uint64_t)old + delta;
    uint64_t limit = m->has_max ? m->max : WASM_MAX_PAGES;
    if (want > limit || want > s->config.max_memory_pages) return WASM_NONE;
    if (delta == 0) return old;
    uint8_t *d = realloc(m->data, (size_t)want * WASM_PAGE);
    if (!d) return WASM_NONE;
    memset(d + m->size, 0, (size_t)delta * WASM_PAGE);
    m->data = d;
    m->pages = (uint32_t)want;
    m->size = want * WASM_PAGE;
    return old;
}

static uint32_t table_grow(wasm_store *s, wasm_table *t, uint32_t delta, uint64_t init) {
    uint32_t old = t->size;
    uint64_t want = (uint64_t)old + delta;
    uint64_t limit = t->has_max ? t->max : 0xFFFFFFFFu;
    if (want > limit || want > s->config.max_table_elems) return WASM_NONE;
    if (delta == 0) return old;
    uint64_t *e = realloc(t->elems, (size_t)want * sizeof(uint64_t));
    if (!e) return WASM_NONE;
    for (uint64_t i = old; i < want; i++) e[i] = init;
    t->elems = e;
    t->size = (uint32_t)want;
    return old;
}

wasm_functype wasm_func_type(const wasm_func *f) { return f->type; }
const wasm_module *wasm_instance_module(const wasm_instance *inst) { return inst->module; }
uint8_t wasm_global_type(const wasm_global *g) { return g->type; }
uint64_t wasm_global_get(const wasm_global *g) { return g->value; }

static bool functype_eq(const wasm_functype *a, const wasm_functype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (a->nparams == 0 || memcmp(a->params, b->params, a->nparams) == 0) &&
           (a->nresults == 0 || memcmp(a->results, b->results, a->nresults) == 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Interpreter */

#define TRAP(st, ...)                                                                            \
    do {                                                                                         \
        wasm_fail(err, st, __VA_ARGS__);                                                         \
        goto trapped;                                                                            \
    } while (0)

static const char OOB_MEM[] = "out of bounds memory access";
static const char OOB_TABLE[] = "out of bounds table access";

static uint64_t eval_const(const wasm_instance *inst, const wconst *c) {
    switch (c->op) {
    case 0x23: return inst->globals[c->value]->value;
    case 0xD0: return 0;
    case 0xD2: return (uint64_t)(uintptr_t)inst->funcs[c->value];
    default: return c->value;
    }
}

static wasm_status execute(wasm_store *s, wasm_func *entry, wasm_error *err) {
    uint64_t *const stack_entry = s->sp;
    const uint32_t depth_entry = s->depth;
    uint64_t *sp = s->sp;
    uint64_t *fp;
    const winstr *pc;
    wasm_func *f = entry;
    wasm_instance *inst;
    wasm_memory *mem;
    uint64_t fuel = s->config.fuel ? s->config.fuel : ~(uint64_t)0;

#define BURN()                                                                                   \
    do {                                                                                         \
        if (--fuel == 0) TRAP(WASM_EXHAUSTED, "fuel exhausted");                                 \
    } while (0)

#define ENTER_CONTEXT()                                                                          \
    do {                                                                                         \
        inst = f->inst;                                                                          \
        mem = inst->memory;                                                                      \
    } while (0)

    /* set up the entry frame (arguments are on the stack already) */
    {
        const wfuncdef *d = f->def;
        fp = sp - f->type.nparams;
        if ((size_t)(s->stack_end - fp) < (size_t)d->nlocals + d->max_height + 1)
            TRAP(WASM_EXHAUSTED, "call stack exhausted (value stack)");
        for (uint32_t i = f->type.nparams; i < d->nlocals; i++) fp[i] = 0;
        sp = fp + d->nlocals;
        pc = d->code;
        ENTER_CONTEXT();
    }

    for (;;) {
        const winstr *ip = pc++;
        switch (ip->op) {
        case 0x00: TRAP(WASM_TRAP, "unreachable");
        case OP_JUMP:
            BURN();
            pc = f->def->code + ip->a;
            break;
        case OP_JUMP_IF:
            if ((uint32_t)*--sp != 0) {
                BURN();
                pc = f->def->code + ip->a;
            }
            break;
        case OP_JUMP_IF_ZERO:
            if ((uint32_t)*--sp == 0) pc = f->def->code + ip->a;
            break;
        case OP_BR_IF:
            if ((uint32_t)*--sp == 0) break;
            /* fallthrough */
        case OP_BR: {
            BURN();
            uint32_t height = (uint32_t)ip->b, arity = (uint32_t)(ip->b >> 32);
            uint64_t *dst = fp + height;
            if (dst != sp - arity) {
                memmove(dst, sp - arity, (size_t)arity * 8);
                sp = dst + arity;
            }
            pc = f->def->code + ip->a;
            break;
        }
        case OP_BR_TABLE: {
            uint32_t i = (uint32_t)*--sp;
            uint32_t n = (uint32_t)ip->b;
            if (i >= n - 1) i = n - 1;
            const wbranch *b = &f->def->branches[ip->a + i];
            BURN();
            uint64_t *dst = fp + b->height;
            if (dst != sp - b->arity) {
                memmove(dst, sp - b->arity, (size_t)b->arity * 8);
                sp = dst + b->arity;
            }
            pc = f->def->code + b->target;
            break;
        }
        case OP_RETURN: {
            uint32_t n = f->type.nresults;
            if (fp != sp - n) memmove(fp, sp - n, (size_t)n * 8);
            sp = fp + n;
            if (s->depth == depth_entry) {
                s->sp = sp;
                return WASM_OK;
            }
            s->depth--;
            wframe *fr = &s->frames[s->depth];
            pc = fr->ret_pc;
            fp = fr->fp;
            f = fr->func;
            ENTER_CONTEXT();
            break;
        }
        case 0x10:
        case 0x11: {
            wasm_func *callee;
            BURN();
            if (ip->op == 0x10) {
                callee = inst->funcs[ip->a];
            } else {
                wasm_table *t = inst->tables[ip->b];
                uint32_t i = (uint32_t)*--sp;
                if (i >= t->size) TRAP(WASM_TRAP, "undefined element %u (table size %u)", i, t->size);
                callee = (wasm_func *)(uintptr_t)t->elems[i];
                if (!callee) TRAP(WASM_TRAP, "uninitialized element %u", i);
                if (!functype_eq(&callee->type, &inst->module->types[ip->a]))
                    TRAP(WASM_TRAP, "indirect call type mismatch");
            }
            if (callee->host) {
                uint32_t np = callee->type.nparams, nr = callee->type.nresults;
                uint64_t results[16];
                if ((size_t)(s->stack_end - sp) < 16) TRAP(WASM_EXHAUSTED, "call stack exhausted (value stack)");
                s->sp = sp;
                wasm_status st = callee->host(callee->host_ctx, &callee->type, sp - np, results, err);
                if (st != WASM_OK) goto trapped;
                sp -= np;
                for (uint32_t k = 0; k < nr; k++) *sp++ = results[k];
                break;
            }
            if (s->depth + 1 >= s->config.max_call_depth) TRAP(WASM_EXHAUSTED, "call stack exhausted");
            const wfuncdef *d = callee->def;
            uint64_t *nfp = sp - callee->type.nparams;
            if ((size_t)(s->stack_end - nfp) < (size_t)d->nlocals + d->max_height + 1)
                TRAP(WASM_EXHAUSTED, "call stack exhausted (value stack)");
            wframe *fr = &s->frames[s->depth++];
            fr->ret_pc = pc;
            fr->fp = fp;
            fr->func = f;
            fp = nfp;
            for (uint32_t i = callee->type.nparams; i < d->nlocals; i++) fp[i] = 0;
            sp = fp + d->nlocals;
            f = callee;
            pc = d->code;
            ENTER_CONTEXT();
            break;
        }
        case 0x1A: sp--; break;
        case OP_SELECT: {
            uint32_t c = (uint32_t)sp[-1];
            sp -= 2;
            if (!c) sp[-1] = sp[0];
            break;
        }
        case 0x20: *sp++ = fp[ip->a]; break;
        case 0x21: fp[ip->a] = *--sp; break;
        case 0x22: fp[ip->a] = sp[-1]; break;
        case 0x23: *sp++ = inst->globals[ip->a]->value; break;
        case 0x24: inst->globals[ip->a]->value = *--sp; break;
        case 0x25: {
            wasm_table *t = inst->tables[ip->a];
            uint32_t i = (uint32_t)sp[-1];
            if (i >= t->size) TRAP(WASM_TRAP, OOB_TABLE);
            sp[-1] = t->elems[i];
            break;
        }
        case 0x26: {
            wasm_table *t = inst->tables[ip->a];
            uint32_t i = (uint32_t)sp[-2];
            if (i >= t->size) TRAP(WASM_TRAP, OOB_TABLE);
            t->elems[i] = sp[-1];
            sp -= 2;
            break;
        }

#define EA(n)                                                                                    \
    uint64_t ea = (uint64_t)(uint32_t)sp[-1] + ip->b;                                            \
    if (ea + (n) > mem->size) TRAP(WASM_TRAP, OOB_MEM)
#define LOAD(T, n, expr)                                                                         \
    {                                                                                            \
        EA(n);                                                                                   \
        T v;                                                                                     \
        memcpy(&v, mem->data + ea, n);                                                           \
        sp[-1] = (expr);                                                                         \
        break;                                                                                   \
    }
        case 0x28: LOAD(uint32_t, 4, v)
        case 0x29: LOAD(uint64_t, 8, v)
        case 0x2A: LOAD(uint32_t, 4, v)
        case 0x2B: LOAD(uint64_t, 8, v)
        case 0x2C: LOAD(int8_t, 1, (uint32_t)(int32_t)v)
        case 0x2D: LOAD(uint8_t, 1, v)
        case 0x2E: LOAD(int16_t, 2, (uint32_t)(int32_t)v)
        case 0x2F: LOAD(uint16_t, 2, v)
        case 0x30: LOAD(int8_t, 1, (uint64_t)(int64_t)v)
        case 0x31: LOAD(uint8_t, 1, v)
        case 0x32: LOAD(int16_t, 2, (uint64_t)(int64_t)v)
        case 0x33: LOAD(uint16_t, 2, v)
        case 0x34: LOAD(int32_t, 4, (uint64_t)(int64_t)v)
        case 0x35: LOAD(uint32_t, 4, v)
#define STORE(T, n)                                                                              \
    {                                                                                            \
        T v = (T)sp[-1];                                                                         \
        sp--;                                                                                    \
        EA(n);                                                                                   \
        memcpy(mem->data + ea, &v, n);                                                           \
        sp--;                                                                                    \
        break;                                                                                   \
    }
        case 0x36: STORE(uint32_t, 4)
        case 0x37: STORE(uint64_t, 8)
        case 0x38: STORE(uint32_t, 4)
        case 0x39: STORE(uint64_t, 8)
        case 0x3A: STORE(uint8_t, 1)
        case 0x3B: STORE(uint16_t, 2)
        case 0x3C: STORE(uint8_t, 1)
        case 0x3D: STORE(uint16_t, 2)
        case 0x3E: STORE(uint32_t, 4)
        case 0x3F: *sp++ = mem->pages; break;
        case 0x40: sp[-1] = memory_grow(s, mem, (uint32_t)sp[-1]); break;
        case 0x41: case 0x42: case 0x43: case 0x44: *sp++ = ip->b; break;

#define A32 ((uint32_t)sp[-2])
#define B32 ((uint32_t)sp[-1])
#define A64 (sp[-2])
#define B64 (sp[-1])
#define BIN(expr)                                                                                \
    {                                                                                            \
        uint64_t r_ = (expr);                                                                    \
        sp--;                                                                                    \
        sp[-1] = r_;                                                                             \
        break;                                                                                   \
    }
#define UN(expr)                                                                                 \
    {                                                                                            \
        sp[-1] = (expr);                                                                         \
        break;                                                                                   \
    }
        case 0x45: UN((uint32_t)sp[-1] == 0)
        case 0x46: BIN(A32 == B32)
        case 0x47: BIN(A32 != B32)
        case 0x48: BIN((int32_t)A32 < (int32_t)B32)
        case 0x49: BIN(A32 < B32)
        case 0x4A: BIN((int32_t)A32 > (int32_t)B32)
        case 0x4B: BIN(A32 > B32)
        case 0x4C: BIN((int32_t)A32 <= (int32_t)B32)
        case 0x4D: BIN(A32 <= B32)
        case 0x4E: BIN((int32_t)A32 >= (int32_t)B32)
        case 0x4F: BIN(A32 >= B32)
        case 0x50: UN(sp[-1] == 0)
        case 0x51: BIN(A64 == B64)
        case 0x52: BIN(A64 != B64)
        case 0x53: BIN((int64_t)A64 < (int64_t)B64)
        case 0x54: BIN(A64 < B64)
        case 0x55: BIN((int64_t)A64 > (int64_t)B64)
        case 0x56: BIN(A64 > B64)
        case 0x57: BIN((int64_t)A64 <= (int64_t)B64)
        case 0x58: BIN(A64 <= B64)
        case 0x59: BIN((int64_t)A64 >= (int64_t)B64)
        case 0x5A: BIN(A64 >= B64)
#define FA f32_of(sp[-2])
#define FB f32_of(sp[-1])
#define DA f64_of(sp[-2])
#define DB f64_of(sp[-1])
        case 0x5B: BIN(FA == FB)
        case 0x5C: BIN(FA != FB)
        case 0x5D: BIN(FA < FB)
        case 0x5E: BIN(FA > FB)
        case 0x5F: BIN(FA <= FB)
        case 0x60: BIN(FA >= FB)
        case 0x61: BIN(DA == DB)
        case 0x62: BIN(DA != DB)
        case 0x63: BIN(DA < DB)
        case 0x64: BIN(DA > DB)
        case 0x65: BIN(DA <= DB)
        case 0x66: BIN(DA >= DB)
        case 0x67: UN(B32 ? (uint32_t)__builtin_clz(B32) : 32u)
        case 0x68: UN(B32 ? (uint32_t)__builtin_ctz(B32) : 32u)
        case 0x69: UN((uint32_t)__builtin_popcount(B32))
        case 0x6A: BIN((uint32_t)(A32 + B32))
        case 0x6B: BIN((uint32_t)(A32 - B32))
        case 0x6C: BIN((uint32_t)(A32 * B32))
        case 0x6D:
            if (B32 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            if (A32 == 0x80000000u && B32 == 0xFFFFFFFFu) TRAP(WASM_TRAP, "integer overflow");
            BIN((uint32_t)((int32_t)A32 / (int32_t)B32))
        case 0x6E:
            if (B32 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            BIN(A32 / B32)
        case 0x6F:
            if (B32 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            BIN(B32 == 0xFFFFFFFFu ? 0u : (uint32_t)((int32_t)A32 % (int32_t)B32))
        case 0x70:
            if (B32 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            BIN(A32 % B32)
        case 0x71: BIN(A32 & B32)
        case 0x72: BIN(A32 | B32)
        case 0x73: BIN(A32 ^ B32)
        case 0x74: BIN((uint32_t)(A32 << (B32 & 31)))
        case 0x75: BIN((uint32_t)((int32_t)A32 >> (B32 & 31)))
        case 0x76: BIN(A32 >> (B32 & 31))
        case 0x77: BIN((uint32_t)((A32 << (B32 & 31)) | (A32 >> ((32 - (B32 & 31)) & 31))))
        case 0x78: BIN((uint32_t)((A32 >> (B32 & 31)) | (A32 << ((32 - (B32 & 31)) & 31))))
        case 0x79: UN(B64 ? (uint64_t)__builtin_clzll(B64) : 64u)
        case 0x7A: UN(B64 ? (uint64_t)__builtin_ctzll(B64) : 64u)
        case 0x7B: UN((uint64_t)__builtin_popcountll(B64))
        case 0x7C: BIN(A64 + B64)
        case 0x7D: BIN(A64 - B64)
        case 0x7E: BIN(A64 * B64)
        case 0x7F:
            if (B64 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            if (A64 == 0x8000000000000000ull && B64 == ~0ull) TRAP(WASM_TRAP, "integer overflow");
            BIN((uint64_t)((int64_t)A64 / (int64_t)B64))
        case 0x80:
            if (B64 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            BIN(A64 / B64)
        case 0x81:
            if (B64 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            BIN(B64 == ~0ull ? 0u : (uint64_t)((int64_t)A64 % (int64_t)B64))
        case 0x82:
            if (B64 == 0) TRAP(WASM_TRAP, "integer divide by zero");
            BIN(A64 % B64)
        case 0x83: BIN(A64 & B64)
        case 0x84: BIN(A64 | B64)
        case 0x85: BIN(A64 ^ B64)
        case 0x86: BIN(A64 << (B64 & 63))
        case 0x87: BIN((uint64_t)((int64_t)A64 >> (B64 & 63)))
        case 0x88: BIN(A64 >> (B64 & 63))
        case 0x89: BIN((A64 << (B64 & 63)) | (A64 >> ((64 - (B64 & 63)) & 63)))
        case 0x8A: BIN((A64 >> (B64 & 63)) | (A64 << ((64 - (B64 & 63)) & 63)))
        case 0x8B: UN(sp[-1] & 0x7FFFFFFFu)
        case 0x8C: UN((sp[-1] ^ 0x80000000u) & 0xFFFFFFFFu)
        case 0x8D: UN(of_f32(f32_ceil(FB)))
        case 0x8E: UN(of_f32(f32_floor(FB)))
        case 0x8F: UN(of_f32(f32_trunc(FB)))
        case 0x90: UN(of_f32(f32_nearest(FB)))
        case 0x91: UN(of_f32(f32_sqrt(FB)))
        case 0x92: BIN(of_f32(FA + FB))
        case 0x93: BIN(of_f32(FA - FB))
        case 0x94: BIN(of_f32(FA * FB))
        case 0x95: BIN(of_f32(FA / FB))
        case 0x96: BIN(of_f32(f32_min(FA, FB)))
        case 0x97: BIN(of_f32(f32_max(FA, FB)))
        case 0x98: BIN((A64 & 0x7FFFFFFFu) | (B64 & 0x80000000u))
        case 0x99: UN(sp[-1] & 0x7FFFFFFFFFFFFFFFull)
        case 0x9A: UN(sp[-1] ^ 0x8000000000000000ull)
        case 0x9B: UN(of_f64(f64_ceil(DB)))
        case 0x9C: UN(of_f64(f64_floor(DB)))
        case 0x9D: UN(of_f64(f64_trunc(DB)))
        case 0x9E: UN(of_f64(f64_nearest(DB)))
        case 0x9F: UN(of_f64(f64_sqrt(DB)))
        case 0xA0: BIN(of_f64(DA + DB))
        case 0xA1: BIN(of_f64(DA - DB))
        case 0xA2: BIN(of_f64(DA * DB))
        case 0xA3: BIN(of_f64(DA / DB))
        case 0xA4: BIN(of_f64(f64_min(DA, DB)))
        case 0xA5: BIN(of_f64(f64_max(DA, DB)))
        case 0xA6: BIN((A64 & 0x7FFFFFFFFFFFFFFFull) | (B64 & 0x8000000000000000ull))
        case 0xA7: UN((uint32_t)sp[-1])

#define TRUNC(F, lo_ok, hi_ok, expr)                                                             \
    {                                                                                            \
        __typeof__(F) x = (F);                                                                             \
        if (x != x) TRAP(WASM_TRAP, "invalid conversion to integer");                            \
        if (!((lo_ok) && (hi_ok))) TRAP(WASM_TRAP, "integer overflow");                          \
        sp[-1] = (expr);                                                                         \
        break;                                                                                   \
    }
        case 0xA8: TRUNC(FB, x >= -2147483648.0f, x < 2147483648.0f, (uint32_t)(int32_t)x)
        case 0xA9: TRUNC(FB, x > -1.0f, x < 4294967296.0f, (uint32_t)x)
        case 0xAA: TRUNC(DB, x > -2147483649.0, x < 2147483648.0, (uint32_t)(int32_t)x)
        case 0xAB: TRUNC(DB, x > -1.0, x < 4294967296.0, (uint32_t)x)
        case 0xAC: UN((uint64_t)(int64_t)(int32_t)(uint32_t)sp[-1])
        case 0xAD: UN((uint32_t)sp[-1])
        case 0xAE: TRUNC(FB, x >= -9223372036854775808.0f, x < 9223372036854775808.0f, (uint64_t)(int64_t)x)
        case 0xAF: TRUNC(FB, x > -1.0f, x < 18446744073709551616.0f, (uint64_t)x)
        case 0xB0: TRUNC(DB, x >= -9223372036854775808.0, x < 9223372036854775808.0, (uint64_t)(int64_t)x)
        case 0xB1: TRUNC(DB, x > -1.0, x < 18446744073709551616.0, (uint64_t)x)
        case 0xB2: UN(of_f32((float)(int32_t)(uint32_t)sp[-1]))
        case 0xB3: UN(of_f32((float)(uint32_t)sp[-1]))
        case 0xB4: UN(of_f32((float)(int64_t)sp[-1]))
        case 0xB5: UN(of_f32((float)sp[-1]))
        case 0xB6: UN(of_f32((float)DB))
        case 0xB7: UN(of_f64((double)(int32_t)(uint32_t)sp[-1]))
        case 0xB8: UN(of_f64((double)(uint32_t)sp[-1]))
        case 0xB9: UN(of_f64((double)(int64_t)sp[-1]))
        case 0xBA: UN(of_f64((double)sp[-1]))
        case 0xBB: UN(of_f64((double)FB))
        case 0xBC: case 0xBD: case 0xBE: case 0xBF: break; /* reinterpret: same bits */
        case 0xC0: UN((uint32_t)(int32_t)(int8_t)(uint8_t)sp[-1])
        case 0xC1: UN((uint32_t)(int32_t)(int16_t)(uint16_t)sp[-1])
        case 0xC2: UN((uint64_t)(int64_t)(int8_t)(uint8_t)sp[-1])
        case 0xC3: UN((uint64_t)(int64_t)(int16_t)(uint16_t)sp[-1])
        case 0xC4: UN((uint64_t)(int64_t)(int32_t)(uint32_t)sp[-1])

#define SAT(F, nanv, lo_ok, lov, hi_ok, hiv, expr)                                               \
    {                                                                                            \
        __typeof__(F) x = (F);                                                                             \
        sp[-1] = x != x ? (nanv) : !(lo_ok) ? (lov) : !(hi_ok) ? (hiv) : (expr);                 \
        break;                                                                                   \
    }
        case OP_FC + 0: SAT(FB, 0, x >= -2147483648.0f, 0x80000000u, x < 2147483648.0f, 0x7FFFFFFFu, (uint32_t)(int32_t)x)
        case OP_FC + 1: SAT(FB, 0, x > -1.0f, 0, x < 4294967296.0f, 0xFFFFFFFFu, (uint32_t)x)
        case OP_FC + 2: SAT(DB, 0, x > -2147483649.0, 0x80000000u, x < 2147483648.0, 0x7FFFFFFFu, (uint32_t)(int32_t)x)
        case OP_FC + 3: SAT(DB, 0, x > -1.0, 0, x < 4294967296.0, 0xFFFFFFFFu, (uint32_t)x)
        case OP_FC + 4: SAT(FB, 0, x >= -9223372036854775808.0f, 0x8000000000000000ull, x < 9223372036854775808.0f, 0x7FFFFFFFFFFFFFFFull, (uint64_t)(int64_t)x)
        case OP_FC + 5: SAT(FB, 0, x > -1.0f, 0, x < 18446744073709551616.0f, ~0ull, (uint64_t)x)
        case OP_FC + 6: SAT(DB, 0, x >= -9223372036854775808.0, 0x8000000000000000ull, x < 9223372036854775808.0, 0x7FFFFFFFFFFFFFFFull, (uint64_t)(int64_t)x)
        case OP_FC + 7: SAT(DB, 0, x > -1.0, 0, x < 18446744073709551616.0, ~0ull, (uint64_t)x)
        case OP_FC + 8: { /* memory.init */
            uint64_t d = (uint32_t)sp[-3], src = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
            sp -= 3;
            const wdata *seg = &inst->module->datas[ip->a];
            uint64_t len = inst->data_dropped[ip->a] ? 0 : seg->length;
            if (src + n > len || d + n > mem->size) TRAP(WASM_TRAP, OOB_MEM);
            if (n) memcpy(mem->data + d, seg->bytes + src, (size_t)n);
            break;
        }
        case OP_FC + 9: inst->data_dropped[ip->a] = true; break;
        case OP_FC + 10: { /* memory.copy */
            uint64_t d = (uint32_t)sp[-3], src = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
            sp -= 3;
            if (src + n > mem->size || d + n > mem->size) TRAP(WASM_TRAP, OOB_MEM);
            if (n) memmove(mem->data + d, mem->data + src, (size_t)n);
            break;
        }
        case OP_FC + 11: { /* memory.fill */
            uint64_t d = (uint32_t)sp[-3], n = (uint32_t)sp[-1];
            uint8_t val = (uint8_t)sp[-2];
            sp -= 3;
            if (d + n > mem->size) TRAP(WASM_TRAP, OOB_MEM);
            if (n) memset(mem->data + d, val, (size_t)n);
            break;
        }
        case OP_FC + 12: { /* table.init elem=a table=b */
            uint64_t d = (uint32_t)sp[-3], src = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
            sp -= 3;
            const welem *seg = &inst->module->elems[ip->a];
            wasm_table *t = inst->tables[ip->b];
            uint64_t len = inst->elem_dropped[ip->a] ? 0 : seg->count;
            if (src + n > len || d + n > t->size) TRAP(WASM_TRAP, OOB_TABLE);
            for (uint64_t k = 0; k < n; k++) t->elems[d + k] = eval_const(inst, &seg->items[src + k]);
            break;
        }
        case OP_FC + 13: inst->elem_dropped[ip->a] = true; break;
        case OP_FC + 14: { /* table.copy dst=a src=b */
            uint64_t d = (uint32_t)sp[-3], src = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
            sp -= 3;
            wasm_table *td = inst->tables[ip->a], *ts = inst->tables[ip->b];
            if (src + n > ts->size || d + n > td->size) TRAP(WASM_TRAP, OOB_TABLE);
            if (n) memmove(td->elems + d, ts->elems + src, (size_t)n * 8);
            break;
        }
        case OP_FC + 15: { /* table.grow */
            uint32_t n = (uint32_t)sp[-1];
            uint64_t init = sp[-2];
            sp--;
            sp[-1] = table_grow(s, inst->tables[ip->a], n, init);
            break;
        }
        case OP_FC + 16: *sp++ = inst->tables[ip->a]->size; break;
        case OP_FC + 17: { /* table.fill */
            uint64_t d = (uint32_t)sp[-3], n = (uint32_t)sp[-1];
            uint64_t val = sp[-2];
            sp -= 3;
            wasm_table *t = inst->tables[ip->a];
            if (d + n > t->size) TRAP(WASM_TRAP, OOB_TABLE);
            for (uint64_t k = 0; k < n; k++) t->elems[d + k] = val;
            break;
        }
        case 0xD0: *sp++ = 0; break;
        case 0xD1: UN(sp[-1] == 0)
        case 0xD2: *sp++ = (uint64_t)(uintptr_t)inst->funcs[ip->a]; break;
        default: TRAP(WASM_TRAP, "internal error: unknown instruction %u", ip->op);
        }
    }

trapped:
    s->sp = stack_entry;
    s->depth = depth_entry;
    if (err->status == WASM_OK) err->status = WASM_TRAP;
    return err->status;
}

wasm_status wasm_call(wasm_store *s, wasm_func *f, const uint64_t *args, uint64_t *results, wasm_error *err) {
    wasm_error dummy;
    if (!err) err = &dummy;
    err->status = WASM_OK;
    err->message[0] = 0;
    uint32_t np = f->type.nparams, nr = f->type.nresults;
    if (f->host) {
        wasm_status st = f->host(f->host_ctx, &f->type, args, results, err);
        return st;
    }
    uint64_t *base = s->sp;
    if ((size_t)(s->stack_end - base) < (size_t)np + nr + 1)
        return wasm_fail(err, WASM_EXHAUSTED, "call stack exhausted (value stack)");
    if (np) memcpy(base, args, (size_t)np * 8);
    s->sp = base + np;
    wasm_status st = execute(s, f, err);
    if (st == WASM_OK) {
        if (nr) memcpy(results, base, (size_t)nr * 8);
    }
    s->sp = base;
    return st;
}

/* ------------------------------------------------------------------------------------------ */
/* Instantiation */

static bool limits_match(uint32_t size, bool has_max, uint32_t max, const wlimits *want) {
    if (size < want->min) return false;
    if (want->has_max) {
        if (!has_max || max > want->max) return false;
    }
    return true;
}

bool wasm_instance_export(const wasm_instance *inst, const char *name, uint32_t name_len, wasm_extern *out) {
    const wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wexport *e = &m->exports[i];
        if (e->name_len != name_len || memcmp(e->name, name, name_len) != 0) continue;
        out->kind = e->kind;
        switch (e->kind) {
        case WASM_EXTERN_FUNC: out->as.func = inst->funcs[e->index]; break;
        case WASM_EXTERN_TABLE: out->as.table = inst->tables[e->index]; break;
        case WASM_EXTERN_MEMORY: out->as.memory = inst->memory; break;
        default: out->as.global = inst->globals[e->index]; break;
        }
        return true;
    }
    return false;
}

wasm_instance *wasm_instantiate(wasm_store *s, wasm_module *m, wasm_resolver resolve, void *ctx, wasm_error *err) {
    wasm_error dummy;
    if (!err) err = &dummy;
    err->status = WASM_OK;
    err->message[0] = 0;
    wasm_instance *inst = wasm_store_alloc(s, sizeof(wasm_instance), destroy_instance);
    if (!inst) {
        wasm_module_free(m);
        wasm_fail(err, WASM_NOMEM, "out of memory while instantiating");
        return NULL;
    }
    inst->module = m;
    inst->funcs = calloc(m->nfuncs + 1, sizeof(wasm_func *));
    inst->tables = calloc(m->ntables + 1, sizeof(wasm_table *));
    inst->globals = calloc(m->nglobals + 1, sizeof(wasm_global *));
    inst->elem_dropped = calloc(m->nelems + 1, 1);
    inst->data_dropped = calloc(m->ndatas + 1, 1);
    if (!inst->funcs || !inst->tables || !inst->globals || !inst->elem_dropped || !inst->data_dropped) {
        wasm_fail(err, WASM_NOMEM, "out of memory while instantiating");
        return NULL;
    }
    uint32_t fi = 0, ti = 0, gi = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wimport *im = &m->imports[i];
        wasm_extern ext;
        if (!resolve || !resolve(ctx, m, i, &ext)) {
            wasm_fail(err, WASM_LINK, "unknown import %.*s.%.*s", (int)im->module_len, im->module,
                      (int)im->name_len, im->name);
            return NULL;
        }
        bool ok = ext.kind == im->kind;
        if (ok) {
            switch (im->kind) {
            case WASM_EXTERN_FUNC:
                ok = functype_eq(&ext.as.func->type, &m->types[im->type]);
                if (ok) inst->funcs[fi++] = ext.as.func;
                break;
            case WASM_EXTERN_TABLE:
                ok = ext.as.table->elem == im->valtype &&
                     limits_match(ext.as.table->size, ext.as.table->has_max, ext.as.table->max, &im->limits);
                if (ok) inst->tables[ti++] = ext.as.table;
                break;
            case WASM_EXTERN_MEMORY:
                ok = limits_match(ext.as.memory->pages, ext.as.memory->has_max, ext.as.memory->max, &im->limits);
                if (ok) inst->memory = ext.as.memory;
                break;
            default:
                ok = ext.as.global->type == im->valtype && ext.as.global->mut == im->mut;
                if (ok) inst->globals[gi++] = ext.as.global;
                break;
            }
        }
        if (!ok) {
            wasm_fail(err, WASM_LINK, "incompatible import type for %.*s.%.*s", (int)im->module_len, im->module,
                      (int)im->name_len, im->name);
            return NULL;
        }
    }
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        wasm_func *f = wasm_store_alloc(s, sizeof(wasm_func), NULL);
        if (!f) {
            wasm_fail(err, WASM_NOMEM, "out of memory while instantiating");
            return NULL;
        }
        f->type = m->types[m->func_types[i]];
        f->inst = inst;
        f->def = &m->funcs[i - m->nfunc_imports];
        inst->funcs[i] = f;
    }
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        const wtabledef *t = &m->tables[i];
        inst->tables[i] = wasm_table_new(s, t->elem, t->limits.min, t->limits.max, t->limits.has_max);
        if (!inst->tables[i]) {
            wasm_fail(err, WASM_NOMEM, "table of %u elements exceeds the engine limit", t->limits.min);
            return NULL;
        }
    }
    if (m->nmems > m->nmem_imports) {
        const wlimits *l = &m->mems[0];
        inst->memory = wasm_memory_new(s, l->min, l->max, l->has_max);
        if (!inst->memory) {
            wasm_fail(err, WASM_NOMEM, "memory of %u pages exceeds the engine limit", l->min);
            return NULL;
        }
    }
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        const wglobaldef *g = &m->globals[i];
        inst->globals[i] = wasm_global_new(s, g->type, g->mut, 0);
        if (!inst->globals[i]) {
            wasm_fail(err, WASM_NOMEM, "out of memory while instantiating");
            return NULL;
        }
        inst->globals[i]->value = eval_const(inst, &g->init);
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const welem *e = &m->elems[i];
        if (e->mode == SEG_PASSIVE) continue;
        inst->elem_dropped[i] = true;
        if (e->mode == SEG_DECLARATIVE) continue;
        wasm_table *t = inst->tables[e->table];
        uint64_t off = (uint32_t)eval_const(inst, &e->offset);
        if (off + e->count > t->size) {
            wasm_fail(err, WASM_TRAP, "%s (element segment %u)", OOB_TABLE, i);
            return NULL;
        }
        for (uint32_t k = 0; k < e->count; k++) t->elems[off + k] = eval_const(inst, &e->items[k]);
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wdata *d = &m->datas[i];
        if (d->mode == SEG_PASSIVE) continue;
        inst->data_dropped[i] = true;
        uint64_t off = (uint32_t)eval_const(inst, &d->offset);
        if (off + d->length > inst->memory->size) {
            wasm_fail(err, WASM_TRAP, "%s (data segment %u)", OOB_MEM, i);
            return NULL;
        }
        if (d->length) memcpy(inst->memory->data + off, d->bytes, d->length);
    }
    if (m->start != WASM_NONE) {
        if (wasm_call(s, inst->funcs[m->start], NULL, NULL, err) != WASM_OK) return NULL;
    }
    return inst;
}

/* ------------------------------------------------------------------------------------------ */
/* The spectest host module */

static wasm_status spectest_print(void *ctx, const wasm_functype *type, const uint64_t *args, uint64_t *results,
                                  wasm_error *err) {
    (void)ctx;
    (void)type;
    (void)args;
    (void)results;
    (void)err;
    return WASM_OK;
}

static const char *const spectest_names[13] = {"print", "print_i32", "print_i64", "print_f32", "print_f64",
                                               "print_i32_f32", "print_f64_f64", "global_i32", "global_i64",
                                               "global_f32", "global_f64", "table", "memory"};

static bool make_spectest(wasm_store *s) {
    static const uint8_t I = WASM_I32, L = WASM_I64, F = WASM_F32, D = WASM_F64;
    static const uint8_t IF[2] = {WASM_I32, WASM_F32}, DD[2] = {WASM_F64, WASM_F64};
    const wasm_functype types[7] = {{0, 0, NULL, NULL}, {1, 0, &I, NULL}, {1, 0, &L, NULL}, {1, 0, &F, NULL},
                                    {1, 0, &D, NULL},   {2, 0, IF, NULL}, {2, 0, DD, NULL}};
    wasm_extern *e = s->spectest;
    for (int i = 0; i < 7; i++) {
        e[i].kind = WASM_EXTERN_FUNC;
        e[i].as.func = wasm_func_new_host(s, &types[i], spectest_print, NULL);
        if (!e[i].as.func) return false;
    }
    e[7] = (wasm_extern){WASM_EXTERN_GLOBAL, {.global = wasm_global_new(s, WASM_I32, false, 666)}};
    e[8] = (wasm_extern){WASM_EXTERN_GLOBAL, {.global = wasm_global_new(s, WASM_I64, false, 666)}};
    e[9] = (wasm_extern){WASM_EXTERN_GLOBAL, {.global = wasm_global_new(s, WASM_F32, false, of_f32(666.6f))}};
    e[10] = (wasm_extern){WASM_EXTERN_GLOBAL, {.global = wasm_global_new(s, WASM_F64, false, of_f64(666.6))}};
    e[11] = (wasm_extern){WASM_EXTERN_TABLE, {.table = wasm_table_new(s, WASM_FUNCREF, 10, 20, true)}};
    e[12] = (wasm_extern){WASM_EXTERN_MEMORY, {.memory = wasm_memory_new(s, 1, 2, true)}};
    for (int i = 7; i < 13; i++)
        if (!e[i].as.global) return false;
    s->spectest_made = true;
    return true;
}

bool wasm_spectest_export(wasm_store *s, const char *name, uint32_t name_len, wasm_extern *out) {
    if (!s->spectest_made && !make_spectest(s)) return false;
    for (int k = 0; k < 13; k++) {
        if (strlen(spectest_names[k]) == name_len && memcmp(spectest_names[k], name, name_len) == 0) {
            *out = s->spectest[k];
            return true;
        }
    }
    return false;
}
