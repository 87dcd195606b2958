/*
 * wasm_load.c: binary decoder and validator. Every read is bounds-checked; a malformed binary is
 * WASM_MALFORMED, a module that decodes but breaks a validation rule is WASM_INVALID. Function
 * bodies are validated with the spec's algorithm (operand and control stacks) and translated in
 * the same pass into the interpreter's instruction array, with branch targets and stack heights
 * resolved (see wasm_impl.h).
 */
#include "wasm_impl.h"

wasm_status wasm_fail(wasm_error *err, wasm_status status, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        wasm_vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

typedef struct rd {
    const uint8_t *p, *end;
} rd;

typedef struct loader {
    wasm_module *m;
    wasm_error *err;
    uint8_t *declared; /* functions that ref.func may name (C.refs) */
} loader;

#define MALFORMED(l, ...) (wasm_fail((l)->err, WASM_MALFORMED, __VA_ARGS__), false)
#define INVALID(l, ...) (wasm_fail((l)->err, WASM_INVALID, __VA_ARGS__), false)
#define NOMEM(l) (wasm_fail((l)->err, WASM_NOMEM, "out of memory while loading the module"), false)
#define TRY(x)                                                                                   \
    do {                                                                                         \
        if (!(x)) return false;                                                                  \
    } while (0)

static bool rd_byte(loader *l, rd *r, uint8_t *out) {
    if (r->p >= r->end) return MALFORMED(l, "unexpected end");
    *out = *r->p++;
    return true;
}

static bool rd_bytes(loader *l, rd *r, uint32_t n, const uint8_t **out) {
    if ((size_t)(r->end - r->p) < n) return MALFORMED(l, "unexpected end (length out of bounds)");
    *out = r->p;
    r->p += n;
    return true;
}

/* LEB128 of at most `bits` bits; signed or unsigned; value returned as 64-bit pattern. */
static bool rd_leb(loader *l, rd *r, unsigned bits, bool is_signed, uint64_t *out) {
    uint64_t result = 0;
    unsigned shift = 0;
    unsigned maxbytes = (bits + 6) / 7;
    uint8_t b = 0;
    for (unsigned i = 0;; i++) {
        if (r->p >= r->end) return MALFORMED(l, "unexpected end (integer)");
        b = *r->p++;
        if (i == maxbytes - 1) {
            unsigned used = bits - 7 * i;
            uint8_t mask = (uint8_t)(0x7Fu & ~((1u << used) - 1u));
            if (b & 0x80) return MALFORMED(l, "integer representation too long");
            if (is_signed) {
                uint8_t sign = (uint8_t)((b >> (used - 1)) & 1u);
                if ((b & mask) != (sign ? mask : 0)) return MALFORMED(l, "integer too large");
            } else if (b & mask) {
                return MALFORMED(l, "integer too large");
            }
        }
        result |= (uint64_t)(b & 0x7Fu) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    if (is_signed && shift < 64 && (b & 0x40)) result |= ~(uint64_t)0 << shift;
    *out = result;
    return true;
}

static bool rd_u32(loader *l, rd *r, uint32_t *out) {
    uint64_t v;
    TRY(rd_leb(l, r, 32, false, &v));
    *out = (uint32_t)v;
    return true;
}

/* A vector count: each element takes at least one byte, so a count beyond the remaining bytes
 * is malformed (and never drives a huge allocation). */
static bool rd_count(loader *l, rd *r, uint32_t *out) {
    TRY(rd_u32(l, r, out));
    if (*out > (size_t)(r->end - r->p)) return MALFORMED(l, "unexpected end (vector count %u too large)", *out);
    return true;
}

static bool utf8_valid(const uint8_t *s, uint32_t n) {
    uint32_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t len, cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (uint32_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

static bool rd_name(loader *l, rd *r, const char **name, uint32_t *len) {
    const uint8_t *p;
    TRY(rd_u32(l, r, len));
    TRY(rd_bytes(l, r, *len, &p));
    if (!utf8_valid(p, *len)) return MALFORMED(l, "malformed UTF-8 encoding");
    *name = (const char *)p;
    return true;
}

static bool is_num(uint8_t t) { return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64; }
static bool is_ref(uint8_t t) { return t == WASM_FUNCREF || t == WASM_EXTERNREF; }

static bool rd_valtype(loader *l, rd *r, uint8_t *t) {
    TRY(rd_byte(l, r, t));
    if (!is_num(*t) && !is_ref(*t)) return MALFORMED(l, "malformed value type 0x%x", *t);
    return true;
}

static bool rd_reftype(loader *l, rd *r, uint8_t *t) {
    TRY(rd_byte(l, r, t));
    if (!is_ref(*t)) return MALFORMED(l, "malformed reference type 0x%x", *t);
    return true;
}

static bool rd_limits(loader *l, rd *r, wlimits *lim, uint32_t bound, const char *what) {
    uint8_t flag;
    TRY(rd_byte(l, r, &flag));
    if (flag > 1) return MALFORMED(l, "malformed limits flags 0x%x", flag);
    TRY(rd_u32(l, r, &lim->min));
    lim->has_max = flag == 1;
    lim->max = 0;
    if (lim->has_max) TRY(rd_u32(l, r, &lim->max));
    if (bound && lim->min > bound)
        return INVALID(l, "%s size must be at most %u pages (4GiB)", what, bound);
    if (bound && lim->has_max && lim->max > bound)
        return INVALID(l, "%s size must be at most %u pages (4GiB)", what, bound);
    if (lim->has_max && lim->min > lim->max) return INVALID(l, "size minimum must not be greater than maximum");
    return true;
}

static const char *type_name(uint8_t t) {
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "unknown";
    }
}

/* Known opcodes (syntax only). */
static bool known_opcode(uint8_t op) {
    return op <= 0x05 || (op >= 0x0B && op <= 0x11) || (op >= 0x1A && op <= 0x1C) || (op >= 0x20 && op <= 0x26) ||
           (op >= 0x28 && op <= 0xC4) || (op >= 0xD0 && op <= 0xD2) || op == 0xFC;
}

/* Constant expression of type `want`; global.get may name globals below `nglobals_visible`. */
static bool rd_const(loader *l, rd *r, uint8_t want, uint32_t nglobals_visible, wconst *out) {
    wasm_module *m = l->m;
    uint32_t n = 0;
    uint8_t type = 0;
    for (;;) {
        uint8_t op;
        TRY(rd_byte(l, r, &op));
        if (op == 0x0B) break;
        uint64_t v = 0;
        switch (op) {
        case 0x41: TRY(rd_leb(l, r, 32, true, &v)); v &= 0xFFFFFFFFu; type = WASM_I32; break;
        case 0x42: TRY(rd_leb(l, r, 64, true, &v)); type = WASM_I64; break;
        case 0x43: {
            const uint8_t *p;
            TRY(rd_bytes(l, r, 4, &p));
            uint32_t b;
            memcpy(&b, p, 4);
            v = b;
            type = WASM_F32;
            break;
        }
        case 0x44: {
            const uint8_t *p;
            TRY(rd_bytes(l, r, 8, &p));
            memcpy(&v, p, 8);
            type = WASM_F64;
            break;
        }
        case 0x23: {
            uint32_t g;
            TRY(rd_u32(l, r, &g));
            if (g >= nglobals_visible) return INVALID(l, "unknown global %u", g);
            if (m->globals[g].mut) return INVALID(l, "constant expression required (global %u is mutable)", g);
            v = g;
            type = m->globals[g].type;
            break;
        }
        case 0xD0: {
            uint8_t t;
            TRY(rd_reftype(l, r, &t));
            type = t;
            break;
        }
        case 0xD2: {
            uint32_t f;
            TRY(rd_u32(l, r, &f));
            if (f >= m->nfuncs) return INVALID(l, "unknown function %u", f);
            if (l->declared) l->declared[f] = 1;
            v = f;
            type = WASM_FUNCREF;
            break;
        }
        default:
            if (!known_opcode(op)) return MALFORMED(l, "illegal opcode 0x%x", op);
            return INVALID(l, "constant expression required (opcode 0x%x)", op);
        }
        out->op = op;
        out->value = v;
        n++;
    }
    if (n != 1 || type != want)
        return INVALID(l, "type mismatch in constant expression (expected one %s)", type_name(want));
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Function bodies: validation and translation. */

typedef struct ctrl {
    uint8_t kind; /* 0 block or function, 1 loop, 2 if, 3 else */
    bool unreachable;
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    uint32_t height;
    uint32_t start_pc;
    uint32_t fixups;
    uint32_t else_fixup;
} ctrl;

typedef struct fixup {
    uint32_t next, loc;
    bool table;
} fixup;

typedef struct vstate {
    loader *l;
    uint8_t *vals;
    uint32_t nvals, capvals;
    ctrl *ctrls;
    uint32_t nctrls, capctrls;
    winstr *code;
    uint32_t ncode, capcode;
    wbranch *br;
    uint32_t nbr, capbr;
    fixup *fx;
    uint32_t nfx, capfx;
    uint32_t nlocals;
    uint8_t *locals;
    uint32_t max_height;
} vstate;

#define UNKNOWN 0

static bool grow(loader *l, void **p, uint32_t *cap, uint32_t need, size_t elem) {
    if (need <= *cap) return true;
    uint32_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > 0x7FFFFFFFu / 2) return NOMEM(l);
        nc *= 2;
    }
    void *q = realloc(*p, (size_t)nc * elem);
    if (!q) return NOMEM(l);
    *p = q;
    *cap = nc;
    return true;
}

static bool push(vstate *v, uint8_t t) {
    TRY(grow(v->l, (void **)&v->vals, &v->capvals, v->nvals + 1, 1));
    v->vals[v->nvals++] = t;
    if (v->nvals > v->max_height) v->max_height = v->nvals;
    return true;
}

static bool pop(vstate *v, uint8_t *out) {
    ctrl *c = &v->ctrls[v->nctrls - 1];
    if (v->nvals == c->height) {
        if (c->unreachable) {
            *out = UNKNOWN;
            return true;
        }
        return INVALID(v->l, "type mismatch (operand stack empty)");
    }
    *out = v->vals[--v->nvals];
    return true;
}

static bool pop_expect(vstate *v, uint8_t want) {
    uint8_t t;
    TRY(pop(v, &t));
    if (t != want && t != UNKNOWN && want != UNKNOWN)
        return INVALID(v->l, "type mismatch (expected %s, found %s)", type_name(want), type_name(t));
    return true;
}

static bool pop_vals(vstate *v, uint32_t n, const uint8_t *types) {
    for (uint32_t i = n; i-- > 0;) TRY(pop_expect(v, types[i]));
    return true;
}

static bool push_vals(vstate *v, uint32_t n, const uint8_t *types) {
    for (uint32_t i = 0; i < n; i++) TRY(push(v, types[i]));
    return true;
}

static bool push_ctrl(vstate *v, uint8_t kind, wasm_functype ft) {
    TRY(grow(v->l, (void **)&v->ctrls, &v->capctrls, v->nctrls + 1, sizeof(ctrl)));
    ctrl *c = &v->ctrls[v->nctrls++];
    c->kind = kind;
    c->unreachable = false;
    c->nparams = ft.nparams;
    c->params = ft.params;
    c->nresults = ft.nresults;
    c->results = ft.results;
    c->height = v->nvals;
    c->start_pc = v->ncode;
    c->fixups = WASM_NONE;
    c->else_fixup = WASM_NONE;
    return push_vals(v, ft.nparams, ft.params);
}

static bool pop_ctrl(vstate *v, ctrl *out) {
    if (v->nctrls == 0) return INVALID(v->l, "unexpected end of block");
    ctrl *c = &v->ctrls[v->nctrls - 1];
    TRY(pop_vals(v, c->nresults, c->results));
    if (v->nvals != c->height) return INVALID(v->l, "type mismatch (values remain at the end of a block)");
    *out = *c;
    v->nctrls--;
    return true;
}

static void set_unreachable(vstate *v) {
    ctrl *c = &v->ctrls[v->nctrls - 1];
    v->nvals = c->height;
    c->unreachable = true;
}

static bool reachable(vstate *v) { return !v->ctrls[v->nctrls - 1].unreachable; }

/* Emits an instruction (only in reachable code); returns its index or WASM_NONE. */
static bool emit(vstate *v, uint16_t op, uint32_t a, uint64_t b, uint32_t *at) {
    if (at) *at = WASM_NONE;
    if (!reachable(v)) return true;
    TRY(grow(v->l, (void **)&v->code, &v->capcode, v->ncode + 1, sizeof(winstr)));
    winstr *w = &v->code[v->ncode];
    w->op = op;
    w->x = 0;
    w->a = a;
    w->b = b;
    if (at) *at = v->ncode;
    v->ncode++;
    return true;
}

static bool add_fixup(vstate *v, ctrl *c, uint32_t loc, bool table) {
    TRY(grow(v->l, (void **)&v->fx, &v->capfx, v->nfx + 1, sizeof(fixup)));
    v->fx[v->nfx].next = c->fixups;
    v->fx[v->nfx].loc = loc;
    v->fx[v->nfx].table = table;
    c->fixups = v->nfx++;
    return true;
}

static void resolve_fixups(vstate *v, ctrl *c, uint32_t target) {
    for (uint32_t f = c->fixups; f != WASM_NONE; f = v->fx[f].next) {
        if (v->fx[f].table)
            v->br[v->fx[f].loc].target = target;
        else
            v->code[v->fx[f].loc].a = target;
    }
    c->fixups = WASM_NONE;
}

static uint32_t label_arity(const ctrl *c) { return c->kind == 1 ? c->nparams : c->nresults; }
static const uint8_t *label_types(const ctrl *c) { return c->kind == 1 ? c->params : c->results; }

/* Emits a branch (kind OP_BR or OP_BR_IF) to label depth `depth` at the current height. */
static bool emit_branch(vstate *v, uint16_t op, uint32_t depth) {
    ctrl *c = &v->ctrls[v->nctrls - 1 - depth];
    uint32_t arity = label_arity(c);
    uint32_t height = v->nlocals + c->height;
    uint32_t at;
    /* the label's values already sit at the label's height: a plain jump (br: the label values
       were popped by the validator; br_if: they were pushed back) */
    uint32_t below = op == OP_BR ? v->nvals : v->nvals - arity;
    if (reachable(v) && v->nvals >= (op == OP_BR ? 0 : arity) && below == c->height)
        op = op == OP_BR ? (uint16_t)OP_JUMP : (uint16_t)OP_JUMP_IF;
    TRY(emit(v, op, 0, (uint64_t)height | ((uint64_t)arity << 32), &at));
    if (at == WASM_NONE) return true;
    if (c->kind == 1)
        v->code[at].a = c->start_pc;
    else
        TRY(add_fixup(v, c, at, false));
    return true;
}

static const uint8_t single_types[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_FUNCREF, WASM_EXTERNREF};

static const uint8_t *single(uint8_t t) {
    for (unsigned i = 0; i < sizeof single_types; i++)
        if (single_types[i] == t) return &single_types[i];
    return NULL;
}

static bool rd_blocktype(loader *l, rd *r, wasm_functype *ft) {
    ft->nparams = ft->nresults = 0;
    ft->params = ft->results = NULL;
    if (r->p < r->end && *r->p == 0x40) {
        r->p++;
        return true;
    }
    if (r->p < r->end && (is_num(*r->p) || is_ref(*r->p))) {
        ft->nresults = 1;
        ft->results = single(*r->p++);
        return true;
    }
    uint64_t v;
    TRY(rd_leb(l, r, 33, true, &v));
    int64_t idx = (int64_t)v;
    if (idx < 0) return MALFORMED(l, "malformed block type");
    if ((uint64_t)idx >= l->m->ntypes) return INVALID(l, "unknown type %u", (uint32_t)idx);
    *ft = l->m->types[idx];
    return true;
}

static bool rd_memarg(vstate *v, rd *r, uint32_t natural, uint32_t *offset) {
    loader *l = v->l;
    uint32_t align;
    TRY(rd_u32(l, r, &align));
    TRY(rd_u32(l, r, offset));
    if (l->m->nmems == 0) return INVALID(l, "unknown memory 0");
    if (align > natural) return INVALID(l, "alignment must not be larger than natural");
    return true;
}

/* Types of the simple numeric instructions 0x45..0xC4: pop a (and b), push r. */
typedef struct numsig {
    uint8_t a, b, r;
} numsig;

static numsig numeric_sig(uint8_t op) {
    const uint8_t I = WASM_I32, L = WASM_I64, F = WASM_F32, D = WASM_F64;
    numsig s = {0, 0, 0};
    if (op == 0x45) s = (numsig){I, 0, I};
    else if (op <= 0x4F) s = (numsig){I, I, I};
    else if (op == 0x50) s = (numsig){L, 0, I};
    else if (op <= 0x5A) s = (numsig){L, L, I};
    else if (op <= 0x60) s = (numsig){F, F, I};
    else if (op <= 0x66) s = (numsig){D, D, I};
    else if (op <= 0x69) s = (numsig){I, 0, I};
    else if (op <= 0x78) s = (numsig){I, I, I};
    else if (op <= 0x7B) s = (numsig){L, 0, L};
    else if (op <= 0x8A) s = (numsig){L, L, L};
    else if (op <= 0x91) s = (numsig){F, 0, F};
    else if (op <= 0x98) s = (numsig){F, F, F};
    else if (op <= 0x9F) s = (numsig){D, 0, D};
    else if (op <= 0xA6) s = (numsig){D, D, D};
    else {
        switch (op) {
        case 0xA7: s = (numsig){L, 0, I}; break;
        case 0xA8: case 0xA9: s = (numsig){F, 0, I}; break;
        case 0xAA: case 0xAB: s = (numsig){D, 0, I}; break;
        case 0xAC: case 0xAD: s = (numsig){I, 0, L}; break;
        case 0xAE: case 0xAF: s = (numsig){F, 0, L}; break;
        case 0xB0: case 0xB1: s = (numsig){D, 0, L}; break;
        case 0xB2: case 0xB3: s = (numsig){I, 0, F}; break;
        case 0xB4: case 0xB5: s = (numsig){L, 0, F}; break;
        case 0xB6: s = (numsig){D, 0, F}; break;
        case 0xB7: case 0xB8: s = (numsig){I, 0, D}; break;
        case 0xB9: case 0xBA: s = (numsig){L, 0, D}; break;
        case 0xBB: s = (numsig){F, 0, D}; break;
        case 0xBC: s = (numsig){F, 0, I}; break;
        case 0xBD: s = (numsig){D, 0, L}; break;
        case 0xBE: s = (numsig){I, 0, F}; break;
        case 0xBF: s = (numsig){L, 0, D}; break;
        case 0xC0: case 0xC1: s = (numsig){I, 0, I}; break;
        case 0xC2: case 0xC3: case 0xC4: s = (numsig){L, 0, L}; break;
        default: break;
        }
    }
    return s;
}

static bool check_table(vstate *v, uint32_t t) {
    if (t >= v->l->m->ntables) return INVALID(v->l, "unknown table %u", t);
    return true;
}

static bool rd_zero(loader *l, rd *r) {
    uint8_t z;
    TRY(rd_byte(l, r, &z));
    if (z != 0) return MALFORMED(l, "zero byte expected");
    return true;
}

static bool validate_body(vstate *v, rd *r, wfuncdef *fd, const wasm_functype *ft) {
    loader *l = v->l;
    wasm_module *m = l->m;
    v->nvals = v->nctrls = v->ncode = v->nbr = v->nfx = 0;
    v->max_height = 0;
    v->nlocals = fd->nlocals;
    v->locals = fd->local_types;
    wasm_functype bt = {0, ft->nresults, NULL, ft->results};
    TRY(push_ctrl(v, 0, bt));
    while (v->nctrls > 0) {
        uint8_t op;
        TRY(rd_byte(l, r, &op));
        switch (op) {
        case 0x00: /* unreachable */
            TRY(emit(v, 0x00, 0, 0, NULL));
            set_unreachable(v);
            break;
        case 0x01: break;
        case 0x02: case 0x03: case 0x04: {
            wasm_functype t;
            TRY(rd_blocktype(l, r, &t));
            if (op == 0x04) TRY(pop_expect(v, WASM_I32));
            TRY(pop_vals(v, t.nparams, t.params));
            uint32_t at = WASM_NONE;
            if (op == 0x04) TRY(emit(v, OP_JUMP_IF_ZERO, 0, 0, &at));
            TRY(push_ctrl(v, (uint8_t)(op - 0x02), t));
            v->ctrls[v->nctrls - 1].else_fixup = at;
            break;
        }
        case 0x05: { /* else */
            ctrl c;
            if (v->ctrls[v->nctrls - 1].kind != 2) return INVALID(l, "else without if");
            TRY(pop_ctrl(v, &c));
            v->nctrls++; /* keep the frame (with its fixups) for the else part */
            ctrl *cc = &v->ctrls[v->nctrls - 1];
            uint32_t at;
            TRY(emit(v, OP_JUMP, 0, 0, &at));
            if (at != WASM_NONE) TRY(add_fixup(v, cc, at, false));
            if (cc->else_fixup != WASM_NONE) v->code[cc->else_fixup].a = v->ncode;
            cc->else_fixup = WASM_NONE;
            cc->kind = 3;
            cc->unreachable = false;
            v->nvals = cc->height;
            TRY(push_vals(v, cc->nparams, cc->params));
            break;
        }
        case 0x0B: { /* end */
            ctrl c;
            ctrl *top = &v->ctrls[v->nctrls - 1];
            if (top->kind == 2) {
                if (top->nparams != top->nresults ||
                    (top->nparams && memcmp(top->params, top->results, top->nparams) != 0))
                    return INVALID(l, "type mismatch (if without else must leave its parameters)");
            }
            TRY(pop_ctrl(v, &c));
            uint32_t end_pc = v->ncode;
            if (c.else_fixup != WASM_NONE) v->code[c.else_fixup].a = end_pc;
            if (v->nctrls == 0) {
                /* function end: branches to the outermost label land on the final return */
                TRY(grow(l, (void **)&v->code, &v->capcode, v->ncode + 1, sizeof(winstr)));
                v->code[v->ncode] = (winstr){OP_RETURN, 0, 0, 0};
                v->ncode++;
                resolve_fixups(v, &c, end_pc);
            } else {
                resolve_fixups(v, &c, end_pc);
                TRY(push_vals(v, c.nresults, c.results));
            }
            break;
        }
        case 0x0C: case 0x0D: { /* br, br_if */
            uint32_t depth;
            TRY(rd_u32(l, r, &depth));
            if (depth >= v->nctrls) return INVALID(l, "unknown label %u", depth);
            ctrl *c = &v->ctrls[v->nctrls - 1 - depth];
            if (op == 0x0C) {
                TRY(pop_vals(v, label_arity(c), label_types(c)));
                TRY(emit_branch(v, OP_BR, depth));
                set_unreachable(v);
            } else {
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_vals(v, label_arity(c), label_types(c)));
                TRY(push_vals(v, label_arity(c), label_types(c)));
                /* height of the values kept: nvals - arity (pushed back above) */
                uint32_t saved = v->nvals;
                TRY(emit_branch(v, OP_BR_IF, depth));
                v->nvals = saved;
            }
            break;
        }
        case 0x0E: { /* br_table */
            uint32_t n;
            TRY(rd_count(l, r, &n));
            uint32_t first = v->nbr;
            TRY(grow(l, (void **)&v->br, &v->capbr, v->nbr + n + 1, sizeof(wbranch)));
            for (uint32_t i = 0; i <= n; i++) {
                uint32_t depth;
                TRY(rd_u32(l, r, &depth));
                if (depth >= v->nctrls) return INVALID(l, "unknown label %u", depth);
                v->br[first + i].target = depth;
            }
            TRY(pop_expect(v, WASM_I32));
            bool live = reachable(v);
            uint32_t default_arity = label_arity(&v->ctrls[v->nctrls - 1 - v->br[first + n].target]);
            uint8_t popped[16];
            for (uint32_t i = 0; i <= n; i++) {
                ctrl *c = &v->ctrls[v->nctrls - 1 - v->br[first + i].target];
                uint32_t arity = label_arity(c);
                const uint8_t *types = label_types(c);
                if (arity != default_arity) return INVALID(l, "type mismatch (br_table labels of different arity)");
                if (arity > sizeof popped) return INVALID(l, "br_table label arity %u above the engine limit 16", arity);
                for (uint32_t k = arity; k-- > 0;) {
                    uint8_t t;
                    TRY(pop(v, &t));
                    if (t != types[k] && t != UNKNOWN)
                        return INVALID(l, "type mismatch (br_table expected %s, found %s)", type_name(types[k]), type_name(t));
                    popped[k] = t;
                }
                for (uint32_t k = 0; k < arity; k++) TRY(push(v, popped[k]));
                wbranch *b = &v->br[first + i];
                b->arity = arity;
                b->height = v->nlocals + c->height;
                b->target = c->kind == 1 ? c->start_pc : 0;
                if (live && c->kind != 1) TRY(add_fixup(v, c, first + i, true));
            }
            v->nbr = first + n + 1;
            TRY(emit(v, OP_BR_TABLE, first, (uint64_t)n + 1, NULL));
            set_unreachable(v);
            break;
        }
        case 0x0F: { /* return */
            ctrl *f = &v->ctrls[0];
            TRY(pop_vals(v, f->nresults, f->results));
            TRY(emit(v, OP_RETURN, 0, 0, NULL));
            set_unreachable(v);
            break;
        }
        case 0x10: { /* call */
            uint32_t fi;
            TRY(rd_u32(l, r, &fi));
            if (fi >= m->nfuncs) return INVALID(l, "unknown function %u", fi);
            wasm_functype t = m->types[m->func_types[fi]];
            TRY(pop_vals(v, t.nparams, t.params));
            TRY(emit(v, 0x10, fi, 0, NULL));
            TRY(push_vals(v, t.nresults, t.results));
            break;
        }
        case 0x11: { /* call_indirect */
            uint32_t ti, tab;
            TRY(rd_u32(l, r, &ti));
            TRY(rd_u32(l, r, &tab));
            if (ti >= m->ntypes) return INVALID(l, "unknown type %u", ti);
            TRY(check_table(v, tab));
            if (m->tables[tab].elem != WASM_FUNCREF) return INVALID(l, "type mismatch (call_indirect on a table of externref)");
            wasm_functype t = m->types[ti];
            TRY(pop_expect(v, WASM_I32));
            TRY(pop_vals(v, t.nparams, t.params));
            TRY(emit(v, 0x11, ti, tab, NULL));
            TRY(push_vals(v, t.nresults, t.results));
            break;
        }
        case 0x1A: {
            uint8_t t;
            TRY(pop(v, &t));
            TRY(emit(v, 0x1A, 0, 0, NULL));
            break;
        }
        case 0x1B: case 0x1C: { /* select */
            uint8_t want = UNKNOWN;
            if (op == 0x1C) {
                uint32_t n;
                TRY(rd_u32(l, r, &n));
                if (n != 1) return INVALID(l, "invalid result arity for select");
                TRY(rd_valtype(l, r, &want));
            }
            uint8_t t1, t2;
            TRY(pop_expect(v, WASM_I32));
            TRY(pop(v, &t1));
            TRY(pop(v, &t2));
            if (op == 0x1B) {
                if ((t1 != UNKNOWN && !is_num(t1)) || (t2 != UNKNOWN && !is_num(t2)))
                    return INVALID(l, "type mismatch (select without type on references)");
                if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) return INVALID(l, "type mismatch in select");
                want = t1 == UNKNOWN ? t2 : t1;
            } else {
                if ((t1 != UNKNOWN && t1 != want) || (t2 != UNKNOWN && t2 != want))
                    return INVALID(l, "type mismatch in select");
            }
            TRY(emit(v, OP_SELECT, 0, 0, NULL));
            TRY(push(v, want));
            break;
        }
        case 0x20: case 0x21: case 0x22: {
            uint32_t i;
            TRY(rd_u32(l, r, &i));
            if (i >= v->nlocals) return INVALID(l, "unknown local %u", i);
            uint8_t t = v->locals[i];
            if (op != 0x20) TRY(pop_expect(v, t));
            if (op != 0x21) TRY(push(v, t));
            TRY(emit(v, op, i, 0, NULL));
            break;
        }
        case 0x23: case 0x24: {
            uint32_t g;
            TRY(rd_u32(l, r, &g));
            if (g >= m->nglobals) return INVALID(l, "unknown global %u", g);
            if (op == 0x23) {
                TRY(push(v, m->globals[g].type));
            } else {
                if (!m->globals[g].mut) return INVALID(l, "global is immutable");
                TRY(pop_expect(v, m->globals[g].type));
            }
            TRY(emit(v, op, g, 0, NULL));
            break;
        }
        case 0x25: case 0x26: {
            uint32_t t;
            TRY(rd_u32(l, r, &t));
            TRY(check_table(v, t));
            uint8_t et = m->tables[t].elem;
            if (op == 0x25) {
                TRY(pop_expect(v, WASM_I32));
                TRY(push(v, et));
            } else {
                TRY(pop_expect(v, et));
                TRY(pop_expect(v, WASM_I32));
            }
            TRY(emit(v, op, t, 0, NULL));
            break;
        }
        case 0x28: case 0x29: case 0x2A: case 0x2B: case 0x2C: case 0x2D: case 0x2E: case 0x2F:
        case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: {
            static const uint8_t nat[] = {2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2};
            static const uint8_t res[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_I32, WASM_I32, WASM_I32,
                                          WASM_I32, WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64};
            uint32_t off;
            TRY(rd_memarg(v, r, nat[op - 0x28], &off));
            TRY(pop_expect(v, WASM_I32));
            TRY(push(v, res[op - 0x28]));
            TRY(emit(v, op, 0, off, NULL));
            break;
        }
        case 0x36: case 0x37: case 0x38: case 0x39: case 0x3A: case 0x3B: case 0x3C: case 0x3D: case 0x3E: {
            static const uint8_t nat[] = {2, 3, 2, 3, 0, 1, 0, 1, 2};
            static const uint8_t arg[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_I32,
                                          WASM_I32, WASM_I64, WASM_I64, WASM_I64};
            uint32_t off;
            TRY(rd_memarg(v, r, nat[op - 0x36], &off));
            TRY(pop_expect(v, arg[op - 0x36]));
            TRY(pop_expect(v, WASM_I32));
            TRY(emit(v, op, 0, off, NULL));
            break;
        }
        case 0x3F: case 0x40: {
            TRY(rd_zero(l, r));
            if (m->nmems == 0) return INVALID(l, "unknown memory 0");
            if (op == 0x40) TRY(pop_expect(v, WASM_I32));
            TRY(push(v, WASM_I32));
            TRY(emit(v, op, 0, 0, NULL));
            break;
        }
        case 0x41: case 0x42: {
            uint64_t x;
            TRY(rd_leb(l, r, op == 0x41 ? 32 : 64, true, &x));
            if (op == 0x41) x &= 0xFFFFFFFFu;
            TRY(push(v, op == 0x41 ? WASM_I32 : WASM_I64));
            TRY(emit(v, op, 0, x, NULL));
            break;
        }
        case 0x43: case 0x44: {
            const uint8_t *p;
            uint64_t x = 0;
            TRY(rd_bytes(l, r, op == 0x43 ? 4 : 8, &p));
            if (op == 0x43) {
                uint32_t b;
                memcpy(&b, p, 4);
                x = b;
            } else {
                memcpy(&x, p, 8);
            }
            TRY(push(v, op == 0x43 ? WASM_F32 : WASM_F64));
            TRY(emit(v, op, 0, x, NULL));
            break;
        }
        case 0xD0: {
            uint8_t t;
            TRY(rd_reftype(l, r, &t));
            TRY(push(v, t));
            TRY(emit(v, 0xD0, 0, 0, NULL));
            break;
        }
        case 0xD1: {
            uint8_t t;
            TRY(pop(v, &t));
            if (t != UNKNOWN && !is_ref(t)) return INVALID(l, "type mismatch (ref.is_null on %s)", type_name(t));
            TRY(push(v, WASM_I32));
            TRY(emit(v, 0xD1, 0, 0, NULL));
            break;
        }
        case 0xD2: {
            uint32_t f;
            TRY(rd_u32(l, r, &f));
            if (f >= m->nfuncs) return INVALID(l, "unknown function %u", f);
            if (!l->declared[f]) return INVALID(l, "undeclared function reference %u", f);
            TRY(push(v, WASM_FUNCREF));
            TRY(emit(v, 0xD2, f, 0, NULL));
            break;
        }
        case 0xFC: {
            uint32_t sub;
            TRY(rd_u32(l, r, &sub));
            if (sub <= 7) {
                static const uint8_t from[] = {WASM_F32, WASM_F32, WASM_F64, WASM_F64, WASM_F32, WASM_F32, WASM_F64, WASM_F64};
                TRY(pop_expect(v, from[sub]));
                TRY(push(v, sub < 4 ? WASM_I32 : WASM_I64));
                TRY(emit(v, (uint16_t)(OP_FC + sub), 0, 0, NULL));
                break;
            }
            uint32_t a = 0, b = 0;
            switch (sub) {
            case 8: /* memory.init */
                TRY(rd_u32(l, r, &a));
                TRY(rd_zero(l, r));
                if (m->nmems == 0) return INVALID(l, "unknown memory 0");
                if (!m->has_datacount) return MALFORMED(l, "data count section required");
                if (a >= m->datacount) return INVALID(l, "unknown data segment %u", a);
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                break;
            case 9: /* data.drop */
                TRY(rd_u32(l, r, &a));
                if (!m->has_datacount) return MALFORMED(l, "data count section required");
                if (a >= m->datacount) return INVALID(l, "unknown data segment %u", a);
                break;
            case 10: /* memory.copy */
            case 11: /* memory.fill */
                TRY(rd_zero(l, r));
                if (sub == 10) TRY(rd_zero(l, r));
                if (m->nmems == 0) return INVALID(l, "unknown memory 0");
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                break;
            case 12: /* table.init elem table */
                TRY(rd_u32(l, r, &a));
                TRY(rd_u32(l, r, &b));
                TRY(check_table(v, b));
                if (a >= m->nelems) return INVALID(l, "unknown elem segment %u", a);
                if (m->elems[a].type != m->tables[b].elem) return INVALID(l, "type mismatch (table.init)");
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                break;
            case 13: /* elem.drop */
                TRY(rd_u32(l, r, &a));
                if (a >= m->nelems) return INVALID(l, "unknown elem segment %u", a);
                break;
            case 14: /* table.copy dst src */
                TRY(rd_u32(l, r, &a));
                TRY(rd_u32(l, r, &b));
                TRY(check_table(v, a));
                TRY(check_table(v, b));
                if (m->tables[a].elem != m->tables[b].elem) return INVALID(l, "type mismatch (table.copy)");
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, WASM_I32));
                break;
            case 15: /* table.grow */
                TRY(rd_u32(l, r, &a));
                TRY(check_table(v, a));
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, m->tables[a].elem));
                TRY(push(v, WASM_I32));
                break;
            case 16: /* table.size */
                TRY(rd_u32(l, r, &a));
                TRY(check_table(v, a));
                TRY(push(v, WASM_I32));
                break;
            case 17: /* table.fill */
                TRY(rd_u32(l, r, &a));
                TRY(check_table(v, a));
                TRY(pop_expect(v, WASM_I32));
                TRY(pop_expect(v, m->tables[a].elem));
                TRY(pop_expect(v, WASM_I32));
                break;
            default: return MALFORMED(l, "illegal opcode 0xfc %u", sub);
            }
            TRY(emit(v, (uint16_t)(OP_FC + sub), a, b, NULL));
            break;
        }
        default: {
            if (op >= 0x45 && op <= 0xC4) {
                numsig s = numeric_sig(op);
                if (s.b) TRY(pop_expect(v, s.b));
                TRY(pop_expect(v, s.a));
                TRY(push(v, s.r));
                TRY(emit(v, op, 0, 0, NULL));
                break;
            }
            return MALFORMED(l, "illegal opcode 0x%x", op);
        }
        }
    }
    if (r->p != r->end) return MALFORMED(l, "section size mismatch (bytes after the end of a function body)");
    fd->ncode = v->ncode;
    fd->code = malloc((size_t)v->ncode * sizeof(winstr));
    if (!fd->code) return NOMEM(l);
    memcpy(fd->code, v->code, (size_t)v->ncode * sizeof(winstr));
    fd->nbranches = v->nbr;
    if (v->nbr) {
        fd->branches = malloc((size_t)v->nbr * sizeof(wbranch));
        if (!fd->branches) return NOMEM(l);
        memcpy(fd->branches, v->br, (size_t)v->nbr * sizeof(wbranch));
    }
    fd->max_height = v->max_height;
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Sections */

void wasm_module_free(wasm_module *m) {
    if (!m) return;
    if (m->funcs) {
        for (uint32_t i = 0; i < m->nfuncdefs; i++) {
            free(m->funcs[i].local_types);
            free(m->funcs[i].code);
            free(m->funcs[i].branches);
        }
    }
    if (m->elems)
        for (uint32_t i = 0; i < m->nelems; i++) free(m->elems[i].items);
    free(m->funcs);
    free(m->func_types);
    free(m->types);
    free(m->imports);
    free(m->tables);
    free(m->mems);
    free(m->globals);
    free(m->exports);
    free(m->elems);
    free(m->datas);
    free(m->bytes);
    free(m);
}

static bool sec_types(loader *l, rd *r) {
    wasm_module *m = l->m;
    TRY(rd_count(l, r, &m->ntypes));
    m->types = calloc(m->ntypes ? m->ntypes : 1, sizeof(wasm_functype));
    if (!m->types) return NOMEM(l);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        uint8_t form;
        TRY(rd_byte(l, r, &form));
        if (form != 0x60) return MALFORMED(l, "malformed function type 0x%x", form);
        wasm_functype *t = &m->types[i];
        const uint8_t *p;
        TRY(rd_count(l, r, &t->nparams));
        TRY(rd_bytes(l, r, t->nparams, &p));
        t->params = p;
        for (uint32_t k = 0; k < t->nparams; k++)
            if (!is_num(p[k]) && !is_ref(p[k])) return MALFORMED(l, "malformed value type 0x%x", p[k]);
        TRY(rd_count(l, r, &t->nresults));
        TRY(rd_bytes(l, r, t->nresults, &p));
        t->results = p;
        for (uint32_t k = 0; k < t->nresults; k++)
            if (!is_num(p[k]) && !is_ref(p[k])) return MALFORMED(l, "malformed value type 0x%x", p[k]);
    }
    return true;
}

static bool add_funcs(loader *l, uint32_t n) {
    wasm_module *m = l->m;
    if (n > 1000000 || m->nfuncs + n > 1000000) return INVALID(l, "too many functions");
    uint32_t *ft = realloc(m->func_types, (size_t)(m->nfuncs + n + 1) * sizeof(uint32_t));
    if (!ft) return NOMEM(l);
    m->func_types = ft;
    return true;
}

static bool add_tables(loader *l, uint32_t n) {
    wasm_module *m = l->m;
    if (n > 100000 || m->ntables + n > 100000) return INVALID(l, "too many tables");
    wtabledef *t = realloc(m->tables, (size_t)(m->ntables + n + 1) * sizeof(wtabledef));
    if (!t) return NOMEM(l);
    m->tables = t;
    return true;
}

static bool add_mems(loader *l, uint32_t n) {
    wasm_module *m = l->m;
    if (m->nmems + n > 1) return INVALID(l, "multiple memories");
    wlimits *t = realloc(m->mems, (size_t)(m->nmems + n + 1) * sizeof(wlimits));
    if (!t) return NOMEM(l);
    m->mems = t;
    return true;
}

static bool add_globals(loader *l, uint32_t n) {
    wasm_module *m = l->m;
    if (n > 1000000 || m->nglobals + n > 1000000) return INVALID(l, "too many globals");
    wglobaldef *g = realloc(m->globals, (size_t)(m->nglobals + n + 1) * sizeof(wglobaldef));
    if (!g) return NOMEM(l);
    m->globals = g;
    return true;
}

static bool rd_globaltype(loader *l, rd *r, uint8_t *type, bool *mut) {
    uint8_t mb;
    TRY(rd_valtype(l, r, type));
    TRY(rd_byte(l, r, &mb));
    if (mb > 1) return MALFORMED(l, "malformed mutability");
    *mut = mb == 1;
    return true;
}

static bool sec_imports(loader *l, rd *r) {
    wasm_module *m = l->m;
    TRY(rd_count(l, r, &m->nimports));
    m->imports = calloc(m->nimports ? m->nimports : 1, sizeof(wimport));
    if (!m->imports) return NOMEM(l);
    for (uint32_t i = 0; i < m->nimports; i++) {
        wimport *im = &m->imports[i];
        TRY(rd_name(l, r, &im->module, &im->module_len));
        TRY(rd_name(l, r, &im->name, &im->name_len));
        TRY(rd_byte(l, r, &im->kind));
        switch (im->kind) {
        case WASM_EXTERN_FUNC:
            TRY(rd_u32(l, r, &im->type));
            if (im->type >= m->ntypes) return INVALID(l, "unknown type %u", im->type);
            TRY(add_funcs(l, 1));
            m->func_types[m->nfuncs++] = im->type;
            m->nfunc_imports++;
            break;
        case WASM_EXTERN_TABLE:
            TRY(rd_reftype(l, r, &im->valtype));
            TRY(rd_limits(l, r, &im->limits, 0, "table"));
            TRY(add_tables(l, 1));
            m->tables[m->ntables].elem = im->valtype;
            m->tables[m->ntables++].limits = im->limits;
            m->ntable_imports++;
            break;
        case WASM_EXTERN_MEMORY:
            TRY(rd_limits(l, r, &im->limits, WASM_MAX_PAGES, "memory"));
            TRY(add_mems(l, 1));
            m->mems[m->nmems++] = im->limits;
            m->nmem_imports++;
            break;
        case WASM_EXTERN_GLOBAL:
            TRY(rd_globaltype(l, r, &im->valtype, &im->mut));
            TRY(add_globals(l, 1));
            m->globals[m->nglobals].type = im->valtype;
            m->globals[m->nglobals].mut = im->mut;
            m->globals[m->nglobals].init = (wconst){0, 0};
            m->nglobals++;
            m->nglobal_imports++;
            break;
        default: return MALFORMED(l, "malformed import kind %u", im->kind);
        }
    }
    return true;
}


static bool sec_functions(loader *l, rd *r) {
    wasm_module *m = l->m;
    uint32_t n;
    TRY(rd_count(l, r, &n));
    TRY(add_funcs(l, n));
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t;
        TRY(rd_u32(l, r, &t));
        if (t >= m->ntypes) return INVALID(l, "unknown type %u", t);
        m->func_types[m->nfuncs++] = t;
    }
    m->funcs = calloc(n ? n : 1, sizeof(wfuncdef));
    if (!m->funcs) return NOMEM(l);
    m->nfuncdefs = n;
    for (uint32_t i = 0; i < n; i++) m->funcs[i].type = m->func_types[m->nfunc_imports + i];
    return true;
}

static bool sec_tables(loader *l, rd *r) {
    wasm_module *m = l->m;
    uint32_t n;
    TRY(rd_count(l, r, &n));
    TRY(add_tables(l, n));
    for (uint32_t i = 0; i < n; i++) {
        wtabledef *t = &m->tables[m->ntables];
        TRY(rd_reftype(l, r, &t->elem));
        TRY(rd_limits(l, r, &t->limits, 0, "table"));
        m->ntables++;
    }
    return true;
}

static bool sec_memories(loader *l, rd *r) {
    wasm_module *m = l->m;
    uint32_t n;
    TRY(rd_count(l, r, &n));
    TRY(add_mems(l, n));
    for (uint32_t i = 0; i < n; i++) {
        TRY(rd_limits(l, r, &m->mems[m->nmems], WASM_MAX_PAGES, "memory"));
        m->nmems++;
    }
    return true;
}

static bool sec_globals(loader *l, rd *r) {
    wasm_module *m = l->m;
    uint32_t n;
    TRY(rd_count(l, r, &n));
    TRY(add_globals(l, n));
    for (uint32_t i = 0; i < n; i++) {
        wglobaldef *g = &m->globals[m->nglobals];
        TRY(rd_globaltype(l, r, &g->type, &g->mut));
        TRY(rd_const(l, r, g->type, m->nglobal_imports, &g->init));
        m->nglobals++;
    }
    return true;
}

static uint32_t name_hash(const char *s, uint32_t n) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static bool sec_exports(loader *l, rd *r) {
    wasm_module *m = l->m;
    TRY(rd_count(l, r, &m->nexports));
    m->exports = calloc(m->nexports ? m->nexports : 1, sizeof(wexport));
    uint32_t nslots = 1;
    while (nslots < m->nexports * 2u + 2u) nslots *= 2;
    uint32_t *slots = malloc((size_t)nslots * sizeof(uint32_t));
    if (!m->exports || !slots) {
        free(slots);
        return NOMEM(l);
    }
    memset(slots, 0xFF, (size_t)nslots * sizeof(uint32_t));
    bool ok = true;
    for (uint32_t i = 0; i < m->nexports && ok; i++) {
        wexport *e = &m->exports[i];
        ok = rd_name(l, r, &e->name, &e->name_len) && rd_byte(l, r, &e->kind) && rd_u32(l, r, &e->index);
        if (!ok) break;
        uint32_t limit = 0;
        const char *what = "";
        switch (e->kind) {
        case WASM_EXTERN_FUNC: limit = m->nfuncs; what = "function"; break;
        case WASM_EXTERN_TABLE: limit = m->ntables; what = "table"; break;
        case WASM_EXTERN_MEMORY: limit = m->nmems; what = "memory"; break;
        case WASM_EXTERN_GLOBAL: limit = m->nglobals; what = "global"; break;
        default: ok = MALFORMED(l, "malformed export kind %u", e->kind); continue;
        }
        if (e->index >= limit) {
            ok = INVALID(l, "unknown %s %u", what, e->index);
            break;
        }
        if (e->kind == WASM_EXTERN_FUNC) l->declared[e->index] = 1;
        uint32_t h = name_hash(e->name, e->name_len) & (nslots - 1);
        while (slots[h] != WASM_NONE) {
            wexport *o = &m->exports[slots[h]];
            if (o->name_len == e->name_len && memcmp(o->name, e->name, e->name_len) == 0) {
                ok = INVALID(l, "duplicate export name");
                break;
            }
            h = (h + 1) & (nslots - 1);
        }
        slots[h] = i;
    }
    free(slots);
    return ok;
}

static bool sec_start(loader *l, rd *r) {
    wasm_module *m = l->m;
    TRY(rd_u32(l, r, &m->start));
    if (m->start >= m->nfuncs) return INVALID(l, "unknown function %u", m->start);
    wasm_functype t = m->types[m->func_types[m->start]];
    if (t.nparams || t.nresults) return INVALID(l, "start function must have type [] -> []");
    return true;
}

static bool sec_elems(loader *l, rd *r) {
    wasm_module *m = l->m;
    TRY(rd_count(l, r, &m->nelems));
    m->elems = calloc(m->nelems ? m->nelems : 1, sizeof(welem));
    if (!m->elems) return NOMEM(l);
    for (uint32_t i = 0; i < m->nelems; i++) {
        welem *e = &m->elems[i];
        uint32_t flags;
        TRY(rd_u32(l, r, &flags));
        if (flags > 7) return MALFORMED(l, "malformed elements segment kind %u", flags);
        e->mode = (flags & 1) ? ((flags & 2) ? SEG_DECLARATIVE : SEG_PASSIVE) : SEG_ACTIVE;
        e->type = WASM_FUNCREF;
        e->table = 0;
        if (e->mode == SEG_ACTIVE) {
            if (flags & 2) TRY(rd_u32(l, r, &e->table));
            if (e->table >= m->ntables) return INVALID(l, "unknown table %u", e->table);
            TRY(rd_const(l, r, WASM_I32, m->nglobal_imports, &e->offset));
        }
        if (flags & 3) {
            if (flags & 4) {
                TRY(rd_reftype(l, r, &e->type));
            } else {
                uint8_t kind;
                TRY(rd_byte(l, r, &kind));
                if (kind != 0) return MALFORMED(l, "malformed element kind %u", kind);
            }
        }
        TRY(rd_count(l, r, &e->count));
        e->items = calloc(e->count ? e->count : 1, sizeof(wconst));
        if (!e->items) return NOMEM(l);
        for (uint32_t k = 0; k < e->count; k++) {
            if (flags & 4) {
                TRY(rd_const(l, r, e->type, m->nglobal_imports, &e->items[k]));
            } else {
                uint32_t f;
                TRY(rd_u32(l, r, &f));
                if (f >= m->nfuncs) return INVALID(l, "unknown function %u", f);
                l->declared[f] = 1;
                e->items[k] = (wconst){0xD2, f};
            }
        }
        if (e->mode == SEG_ACTIVE && m->tables[e->table].elem != e->type)
            return INVALID(l, "type mismatch (element segment of %s into a table of %s)", type_name(e->type),
                           type_name(m->tables[e->table].elem));
    }
    return true;
}

/* Reads a function body (locals and instructions) without validating it: false (malformed) if
 * it does not decode. */
static bool scan_function(loader *l, const uint8_t *body, uint32_t size) {
    rd b = {body, body + size}, *r = &b;
    uint32_t ngroups, x;
    uint64_t declared = 0, y;
    uint8_t t;
    const uint8_t *p;
    TRY(rd_count(l, r, &ngroups));
    for (uint32_t g = 0; g < ngroups; g++) {
        TRY(rd_u32(l, r, &x));
        TRY(rd_valtype(l, r, &t));
        declared += x;
    }
    if (declared > 0xFFFFFFFFu) return MALFORMED(l, "too many locals");
    uint32_t depth = 1;
    while (depth > 0) {
        uint8_t op;
        TRY(rd_byte(l, r, &op));
        if (!known_opcode(op)) return MALFORMED(l, "illegal opcode 0x%x", op);
        switch (op) {
        case 0x02: case 0x03: case 0x04:
            if (r->p < r->end && (*r->p == 0x40 || is_num(*r->p) || is_ref(*r->p))) {
                r->p++;
            } else {
                TRY(rd_leb(l, r, 33, true, &y));
                if ((int64_t)y < 0) return MALFORMED(l, "malformed block type");
            }
            depth++;
            break;
        case 0x0B: depth--; break;
        case 0x0C: case 0x0D: case 0x10: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25:
        case 0x26: case 0xD2:
            TRY(rd_u32(l, r, &x));
            break;
        case 0x0E:
            TRY(rd_count(l, r, &x));
            for (uint64_t k = 0; k <= x; k++) {
                uint32_t label;
                TRY(rd_u32(l, r, &label));
            }
            break;
        case 0x11:
            TRY(rd_u32(l, r, &x));
            TRY(rd_u32(l, r, &x));
            break;
        case 0x1C:
            TRY(rd_count(l, r, &x));
            for (uint32_t k = 0; k < x; k++) TRY(rd_valtype(l, r, &t));
            break;
        case 0x3F: case 0x40: TRY(rd_zero(l, r)); break;
        case 0x41: TRY(rd_leb(l, r, 32, true, &y)); break;
        case 0x42: TRY(rd_leb(l, r, 64, true, &y)); break;
        case 0x43: TRY(rd_bytes(l, r, 4, &p)); break;
        case 0x44: TRY(rd_bytes(l, r, 8, &p)); break;
        case 0xD0: TRY(rd_reftype(l, r, &t)); break;
        case 0xFC:
            TRY(rd_u32(l, r, &x));
            switch (x) {
            case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: break;
            case 8: TRY(rd_u32(l, r, &x)); TRY(rd_zero(l, r)); break;
            case 10: TRY(rd_zero(l, r)); TRY(rd_zero(l, r)); break;
            case 11: TRY(rd_zero(l, r)); break;
            case 12: case 14: TRY(rd_u32(l, r, &x)); TRY(rd_u32(l, r, &x)); break;
            case 9: case 13: case 15: case 16: case 17: TRY(rd_u32(l, r, &x)); break;
            default: return MALFORMED(l, "illegal opcode 0xfc %u", x);
            }
            break;
        default:
            if (op >= 0x28 && op <= 0x3E) {
                TRY(rd_u32(l, r, &x));
                TRY(rd_u32(l, r, &x));
            }
            break;
        }
    }
    if (r->p != r->end) return MALFORMED(l, "section size mismatch (bytes after the end of a function body)");
    return true;
}

static bool sec_code(loader *l, rd *r) {
    wasm_module *m = l->m;
    uint32_t n;
    TRY(rd_count(l, r, &n));
    if (n != m->nfuncs - m->nfunc_imports)
        return MALFORMED(l, "function and code section have inconsistent lengths");
    vstate v;
    memset(&v, 0, sizeof v);
    v.l = l;
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        wfuncdef *fd = &m->funcs[i];
        wasm_functype ft = m->types[fd->type];
        uint32_t size;
        const uint8_t *body;
        ok = rd_u32(l, r, &size) && rd_bytes(l, r, size, &body);
        if (!ok) break;
        rd b = {body, body + size};
        /* locals: first count them (bounded), then fill */
        uint32_t ngroups;
        ok = rd_count(l, &b, &ngroups);
        if (!ok) break;
        uint64_t declared = 0;
        rd scan = b;
        for (uint32_t g = 0; g < ngroups && ok; g++) {
            uint32_t c;
            uint8_t t;
            ok = rd_u32(l, &scan, &c) && rd_valtype(l, &scan, &t);
            declared += c;
        }
        uint64_t total = declared + ft.nparams;
        if (ok && declared > 0xFFFFFFFFu) ok = MALFORMED(l, "too many locals");
        if (ok && total > WASM_MAX_LOCALS) ok = INVALID(l, "too many locals (engine limit %u)", WASM_MAX_LOCALS);
        if (!ok) break;
        fd->nlocals = (uint32_t)total;
        fd->local_types = malloc(total ? total : 1);
        if (!fd->local_types) {
            ok = NOMEM(l);
            break;
        }
        memcpy(fd->local_types, ft.params, ft.nparams);
        uint32_t at = ft.nparams;
        for (uint32_t g = 0; g < ngroups; g++) {
            uint32_t c = 0;
            uint8_t t = 0;
            (void)rd_u32(l, &b, &c);
            (void)rd_valtype(l, &b, &t);
            memset(fd->local_types + at, t, c);
            at += c;
        }
        ok = validate_body(&v, &b, fd, &ft);
        if (!ok && l->err->status == WASM_INVALID) {
            /* a malformed body (this one or a later one) is reported as malformed, as a decoder
               that reads everything before validating would */
            wasm_error reason = *l->err;
            rd rest = *r;
            bool malformed = !scan_function(l, body, size);
            for (uint32_t k = i + 1; k < n && !malformed; k++) {
                uint32_t sz;
                const uint8_t *p;
                malformed = !(rd_u32(l, &rest, &sz) && rd_bytes(l, &rest, sz, &p) && scan_function(l, p, sz));
            }
            if (!malformed || l->err->status != WASM_MALFORMED) *l->err = reason;
        }
        if (!ok && l->err->status != WASM_NOMEM) {
            char reason[sizeof l->err->message];
            memcpy(reason, l->err->message, sizeof reason);
            wasm_fail(l->err, l->err->status, "%s (function %u, byte offset 0x%x)", reason, m->nfunc_imports + i,
                      (unsigned)(b.p - m->bytes));
        }
    }
    free(v.vals);
    free(v.ctrls);
    free(v.code);
    free(v.br);
    free(v.fx);
    return ok;
}

static bool sec_datas(loader *l, rd *r) {
    wasm_module *m = l->m;
    TRY(rd_count(l, r, &m->ndatas));
    if (m->has_datacount && m->datacount != m->ndatas)
        return MALFORMED(l, "data count and data section have inconsistent lengths");
    m->datas = calloc(m->ndatas ? m->ndatas : 1, sizeof(wdata));
    if (!m->datas) return NOMEM(l);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        wdata *d = &m->datas[i];
        uint32_t flags;
        TRY(rd_u32(l, r, &flags));
        if (flags > 2) return MALFORMED(l, "malformed data segment kind %u", flags);
        d->mode = flags == 1 ? SEG_PASSIVE : SEG_ACTIVE;
        if (flags == 2) TRY(rd_u32(l, r, &d->memory));
        if (d->mode == SEG_ACTIVE) {
            if (d->memory >= m->nmems) return INVALID(l, "unknown memory %u", d->memory);
            TRY(rd_const(l, r, WASM_I32, m->nglobal_imports, &d->offset));
        }
        TRY(rd_u32(l, r, &d->length));
        TRY(rd_bytes(l, r, d->length, &d->bytes));
    }
    return true;
}

wasm_module *wasm_module_decode(const uint8_t *bytes, size_t length, wasm_error *err) {
    static const uint8_t rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
    wasm_error dummy;
    if (!err) err = &dummy;
    err->status = WASM_OK;
    err->message[0] = 0;
    wasm_module *m = calloc(1, sizeof *m);
    if (!m) {
        wasm_fail(err, WASM_NOMEM, "out of memory while loading the module");
        return NULL;
    }
    m->start = WASM_NONE;
    m->bytes = malloc(length ? length : 1);
    if (!m->bytes) {
        free(m);
        wasm_fail(err, WASM_NOMEM, "out of memory while loading the module");
        return NULL;
    }
    if (length) memcpy(m->bytes, bytes, length);
    m->length = length;
    loader L = {m, err, NULL};
    loader *l = &L;
    rd r = {m->bytes, m->bytes + length};
    bool ok = true;
    const uint8_t *p;
    if (length < 4 || memcmp(m->bytes, "\0asm", 4) != 0) {
        ok = MALFORMED(l, "magic header not detected");
    } else if (length < 8) {
        ok = MALFORMED(l, "unexpected end (version)");
    } else if (memcmp(m->bytes + 4, "\1\0\0\0", 4) != 0) {
        ok = MALFORMED(l, "unknown binary version");
    }
    if (ok) {
        (void)rd_bytes(l, &r, 8, &p);
    }
    uint8_t last = 0;
    bool have_funcs = false, have_code = false;
    while (ok && r.p < r.end) {
        uint8_t id;
        uint32_t size;
        ok = rd_byte(l, &r, &id) && rd_u32(l, &r, &size) && rd_bytes(l, &r, size, &p);
        if (!ok) break;
        rd s = {p, p + size};
        if (id == 0) {
            const char *name;
            uint32_t nlen;
            ok = rd_name(l, &s, &name, &nlen);
            continue;
        }
        if (id > 12) {
            ok = MALFORMED(l, "malformed section id %u", id);
            break;
        }
        if (rank[id] <= last) {
            ok = MALFORMED(l, "unexpected content after last section (section %u out of order)", id);
            break;
        }
        last = rank[id];
        if ((id == 10 || id == 11 || id == 9 || id == 7) && !l->declared) {
            l->declared = calloc(m->nfuncs + 1, 1);
            if (!l->declared) {
                ok = NOMEM(l);
                break;
            }
        }
        switch (id) {
        case 1: ok = sec_types(l, &s); break;
        case 2: ok = sec_imports(l, &s); break;
        case 3: ok = sec_functions(l, &s); have_funcs = true; break;
        case 4: ok = sec_tables(l, &s); break;
        case 5: ok = sec_memories(l, &s); break;
        case 6:
            if (!l->declared) {
                l->declared = calloc(m->nfuncs + 1, 1);
                if (!l->declared) {
                    ok = NOMEM(l);
                    break;
                }
            }
            ok = sec_globals(l, &s);
            break;
        case 7: ok = sec_exports(l, &s); break;
        case 8: ok = sec_start(l, &s); break;
        case 9: ok = sec_elems(l, &s); break;
        case 12:
            ok = rd_u32(l, &s, &m->datacount);
            m->has_datacount = true;
            break;
        case 10:
            if (!m->funcs) {
                m->funcs = calloc(1, sizeof(wfuncdef));
                if (!m->funcs) {
                    ok = NOMEM(l);
                    break;
                }
            }
            ok = sec_code(l, &s);
            have_code = true;
            break;
        case 11: ok = sec_datas(l, &s); break;
        default: break;
        }
        if (ok && s.p != s.end) ok = MALFORMED(l, "section size mismatch (section %u)", id);
    }
    if (ok && !have_code && m->nfuncs > m->nfunc_imports)
        ok = MALFORMED(l, "function and code section have inconsistent lengths");
    if (ok && m->has_datacount && m->datacount != m->ndatas)
        ok = MALFORMED(l, "data count and data section have inconsistent lengths");
    (void)have_funcs;
    if (!m->funcs) {
        m->funcs = calloc(1, sizeof(wfuncdef));
        if (!m->funcs && ok) ok = NOMEM(l);
    }
    free(l->declared);
    if (!ok) {
        wasm_module_free(m);
        return NULL;
    }
    return m;
}

uint32_t wasm_module_import_count(const wasm_module *m) { return m->nimports; }

uint8_t wasm_module_import(const wasm_module *m, uint32_t i, const char **module, uint32_t *module_len,
                           const char **name, uint32_t *name_len) {
    const wimport *im = &m->imports[i];
    *module = im->module;
    *module_len = im->module_len;
    *name = im->name;
    *name_len = im->name_len;
    return im->kind;
}

wasm_functype wasm_module_import_functype(const wasm_module *m, uint32_t i) {
    return m->types[m->imports[i].type];
}

uint32_t wasm_module_export_count(const wasm_module *m) { return m->nexports; }

uint8_t wasm_module_export(const wasm_module *m, uint32_t i, const char **name, uint32_t *name_len) {
    *name = m->exports[i].name;
    *name_len = m->exports[i].name_len;
    return m->exports[i].kind;
}
