/*
 * wasm_guest.c: the Molt guest that hosts the WebAssembly engine. Registers the guest functions
 * the Java side (WasmSandbox / LoadedWasmSandbox) calls; see examples-wasm-like/README.md for the
 * interface, the value encoding and the error codes.
 */
#include "molt_guest.h"
#include "wasm.h"

/* Error codes reported with molt_fail (README: "Guest functions"). */
enum {
    WG_MALFORMED = 1001,
    WG_INVALID = 1002,
    WG_LINK = 1003,
    WG_TRAP = 1004,
    WG_EXHAUSTED = 1005,
    WG_NOMEM = 1006,
    WG_BAD_REQUEST = 1007,
    WG_HOST = 1008,
};

#define MAX_VALUES 64
#define MAX_REGISTERED 16

typedef struct registered {
    char name[MOLT_MAX_NAME + 1];
    uint32_t len;
    wasm_instance *inst;
} registered;

static wasm_store *g_store;
static wasm_instance *g_current;
static registered g_registered[MAX_REGISTERED];
static uint32_t g_nregistered;
static uint8_t *g_out;     /* result buffer of the last call (freed at the next) */
static uint32_t g_out_cap;

/* A function import the host offers (DeclareImport): a module instance that imports
 * <module>.<name> with exactly this type calls the host function "WasmImport" with the index. */
#define MAX_DECLARED 256
typedef struct declared_import {
    char *module, *name;
    uint32_t module_len, name_len;
    uint32_t nparams, nresults;
    uint8_t params[MAX_VALUES], results[MAX_VALUES];
} declared_import;

static declared_import g_declared[MAX_DECLARED];
static uint32_t g_ndeclared;

static wasm_config guest_config(void) {
    wasm_config c = {.max_call_depth = 10000, .value_stack_slots = 1u << 17, .max_memory_pages = 65536,
                     .max_table_elems = 1u << 20};
    return c;
}

static int32_t code_of(wasm_status st) {
    switch (st) {
    case WASM_MALFORMED: return WG_MALFORMED;
    case WASM_INVALID: return WG_INVALID;
    case WASM_LINK: return WG_LINK;
    case WASM_TRAP: return WG_TRAP;
    case WASM_EXHAUSTED: return WG_EXHAUSTED;
    case WASM_NOMEM: return WG_NOMEM;
    case WASM_HOST: return WG_HOST;
    default: return WG_BAD_REQUEST;
    }
}

static MOLT_NORETURN void fail_with(const wasm_error *err) { molt_fail(code_of(err->status), err->message); }

static MOLT_NORETURN void bad_request(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static MOLT_NORETURN void bad_request(const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    molt_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    molt_fail(WG_BAD_REQUEST, msg);
}

static bool ensure_store(void) {
    if (g_store) return true;
    wasm_config c = guest_config();
    g_store = wasm_store_new(&c);
    return g_store != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Value encoding: per value a type tag (the wasm value type byte) and its little-endian payload
 * (4 bytes for i32/f32, 8 for i64/f64/funcref/externref). */

static uint32_t payload_size(uint8_t tag) { return tag == WASM_I32 || tag == WASM_F32 ? 4 : 8; }

static const uint8_t *encode(uint32_t n, const uint8_t *types, const uint64_t *vals, uint32_t *len) {
    uint32_t need = 0;
    for (uint32_t i = 0; i < n; i++) need += 1 + payload_size(types[i]);
    if (need > g_out_cap) {
        uint8_t *p = realloc(g_out, need);
        if (!p) molt_fail(WG_NOMEM, "out of memory encoding the results");
        g_out = p;
        g_out_cap = need;
    }
    uint32_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t sz = payload_size(types[i]);
        g_out[at++] = types[i];
        uint64_t v = vals[i];
        for (uint32_t k = 0; k < sz; k++) g_out[at++] = (uint8_t)(v >> (8 * k));
    }
    *len = at;
    return g_out;
}

/* Decodes exactly n values of the given types; false with a message on any mismatch. */
static bool decode(const uint8_t *p, uint32_t len, uint32_t n, const uint8_t *types, uint64_t *vals, char *msg,
                   size_t msglen) {
    uint32_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (at >= len) {
            molt_snprintf(msg, msglen, "%u values expected, %u given", n, i);
            return false;
        }
        uint8_t tag = p[at++];
        if (tag != types[i]) {
            molt_snprintf(msg, msglen, "value %u has type tag 0x%x, expected 0x%x", i, tag, types[i]);
            return false;
        }
        uint32_t sz = payload_size(tag);
        if (len - at < sz) {
            molt_snprintf(msg, msglen, "value %u is truncated", i);
            return false;
        }
        uint64_t v = 0;
        for (uint32_t k = 0; k < sz; k++) v |= (uint64_t)p[at + k] << (8 * k);
        at += sz;
        vals[i] = v;
    }
    if (at != len) {
        molt_snprintf(msg, msglen, "%u bytes after the last of %u values", len - at, n);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Imports: spectest inside the guest, registered modules, everything else a host call. */

static wasm_status host_import(void *ctx, const wasm_functype *type, const uint64_t *args, uint64_t *results,
                               wasm_error *err) {
    const declared_import *d = ctx;
    uint8_t buf[MAX_VALUES * 9];
    uint32_t at = 0;
    for (uint32_t i = 0; i < type->nparams; i++) { /* nparams <= MAX_VALUES: checked by DeclareImport */
        uint32_t sz = payload_size(type->params[i]);
        buf[at++] = type->params[i];
        for (uint32_t k = 0; k < sz; k++) buf[at++] = (uint8_t)(args[i] >> (8 * k));
    }
    molt_value argv[2] = {molt_u32((uint32_t)(d - g_declared)), molt_bytes(buf, at)};
    molt_host_result r = molt_call_host("WasmImport", MOLT_BYTES, 2, argv);
    if (r.status != MOLT_HOST_OK)
        return wasm_fail(err, WASM_HOST, "host function %.*s.%.*s failed (status %d): %.*s", (int)d->module_len,
                         d->module, (int)d->name_len, d->name, (int)r.status, (int)r.message_length,
                         r.message ? r.message : "");
    char msg[128];
    if (!decode(r.value.as.bytes, r.value.length, type->nresults, type->results, results, msg, sizeof msg))
        return wasm_fail(err, WASM_HOST, "host function %.*s.%.*s returned malformed results: %s", (int)d->module_len,
                         d->module, (int)d->name_len, d->name, msg);
    return WASM_OK;
}

/* memcmp for n bytes; pointers of empty ranges may be NULL. */
static bool bytes_equal(const void *a, const void *b, uint32_t n) { return n == 0 || memcmp(a, b, n) == 0; }

static declared_import *find_declared(const char *mod, uint32_t ml, const char *name, uint32_t nl) {
    for (uint32_t k = 0; k < g_ndeclared; k++) {
        declared_import *d = &g_declared[k];
        if (d->module_len == ml && d->name_len == nl && bytes_equal(d->module, mod, ml) && bytes_equal(d->name, name, nl))
            return d;
    }
    return NULL;
}

static bool name_eq(const char *s, uint32_t n, const char *lit) {
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool resolve(void *ctx, const wasm_module *m, uint32_t i, wasm_extern *out) {
    wasm_error *err = ctx;
    const char *mod, *name;
    uint32_t ml, nl;
    uint8_t kind = wasm_module_import(m, i, &mod, &ml, &name, &nl);
    if (name_eq(mod, ml, "spectest")) return wasm_spectest_export(g_store, name, nl, out);
    for (uint32_t k = g_nregistered; k-- > 0;) {
        if (g_registered[k].len == ml && memcmp(g_registered[k].name, mod, ml) == 0)
            return wasm_instance_export(g_registered[k].inst, name, nl, out);
    }
    declared_import *d = find_declared(mod, ml, name, nl);
    if (!d) return false; /* the engine reports "unknown import <module>.<name>" */
    wasm_functype want = {d->nparams, d->nresults, d->params, d->results};
    wasm_functype ft = kind == WASM_EXTERN_FUNC ? wasm_module_import_functype(m, i) : want;
    if (kind != WASM_EXTERN_FUNC || ft.nparams != want.nparams || ft.nresults != want.nresults ||
        !bytes_equal(ft.params, want.params, want.nparams) || !bytes_equal(ft.results, want.results, want.nresults)) {
        wasm_fail(err, WASM_LINK, "incompatible import type for %.*s.%.*s (the host declared a function of another type)",
                  (int)ml, mod, (int)nl, name);
        return false;
    }
    wasm_func *f = wasm_func_new_host(g_store, &want, host_import, d);
    if (!f) return false;
    out->kind = WASM_EXTERN_FUNC;
    out->as.func = f;
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Guest functions */

static molt_value load_module(const molt_value *args) {
    wasm_error err = {WASM_OK, ""};
    if (!ensure_store()) molt_fail(WG_NOMEM, "out of memory creating the engine's store");
    wasm_module *m = wasm_module_decode(args[0].as.bytes, args[0].length, &err);
    if (!m) fail_with(&err);
    wasm_error link = {WASM_OK, ""};
    wasm_instance *inst = wasm_instantiate(g_store, m, resolve, &link, &err);
    if (!inst) {
        /* the current module stays current (a failed load may still have written into tables or
           memories it imported, as the spec says) */
        if (link.status != WASM_OK) fail_with(&link);
        fail_with(&err);
    }
    g_current = inst;
    return molt_i32((int32_t)wasm_module_export_count(wasm_instance_module(inst)));
}

static wasm_instance *current(void) {
    if (!g_current) bad_request("no module is loaded");
    return g_current;
}

static wasm_extern find_export(const molt_value *name, uint8_t kind) {
    wasm_extern ext;
    if (!wasm_instance_export(current(), name->as.str, name->length, &ext))
        bad_request("no export named \"%.*s\"", (int)name->length, name->as.str);
    if (ext.kind != kind)
        bad_request("export \"%.*s\" is not a %s", (int)name->length, name->as.str,
                    kind == WASM_EXTERN_FUNC ? "function" : "global");
    return ext;
}

static molt_value invoke(const molt_value *args) {
    wasm_extern ext = find_export(&args[0], WASM_EXTERN_FUNC);
    wasm_functype ft = wasm_func_type(ext.as.func);
    uint64_t in[MAX_VALUES], out[MAX_VALUES];
    if (ft.nparams > MAX_VALUES || ft.nresults > MAX_VALUES)
        bad_request("function has more than %u parameters or results", MAX_VALUES);
    char msg[160];
    if (!decode(args[1].as.bytes, args[1].length, ft.nparams, ft.params, in, msg, sizeof msg))
        bad_request("arguments of \"%.*s\": %s", (int)args[0].length, args[0].as.str, msg);
    wasm_error err = {WASM_OK, ""};
    if (wasm_call(g_store, ext.as.func, in, out, &err) != WASM_OK) fail_with(&err);
    uint32_t len;
    const uint8_t *p = encode(ft.nresults, ft.results, out, &len);
    return molt_bytes(p, len);
}

static molt_value get_global(const molt_value *args) {
    wasm_extern ext = find_export(&args[0], WASM_EXTERN_GLOBAL);
    uint8_t t = wasm_global_type(ext.as.global);
    uint64_t v = wasm_global_get(ext.as.global);
    uint32_t len;
    const uint8_t *p = encode(1, &t, &v, &len);
    return molt_bytes(p, len);
}

static molt_value register_module(const molt_value *args) {
    wasm_instance *inst = current();
    if (args[0].length == 0 || args[0].length > MOLT_MAX_NAME) bad_request("register name must have 1..%u bytes", MOLT_MAX_NAME);
    if (g_nregistered == MAX_REGISTERED) bad_request("at most %u registered modules", MAX_REGISTERED);
    registered *r = &g_registered[g_nregistered++];
    memcpy(r->name, args[0].as.str, args[0].length);
    r->len = args[0].length;
    r->inst = inst;
    return molt_void();
}

static molt_value unload_module(const molt_value *args) {
    (void)args;
    wasm_store_free(g_store);
    g_store = NULL;
    g_current = NULL;
    g_nregistered = 0;
    free(g_out);
    g_out = NULL;
    g_out_cap = 0;
    return molt_void();
}

static void append(char **buf, uint32_t *len, uint32_t *cap, const char *s, uint32_t n) {
    if (*len + n + 1 > *cap) {
        uint32_t nc = (*cap ? *cap * 2 : 256);
        while (nc < *len + n + 1) nc *= 2;
        char *p = realloc(*buf, nc);
        if (!p) molt_fail(WG_NOMEM, "out of memory listing the exports");
        *buf = p;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
}

static const char *tname(uint8_t t) {
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_FUNCREF: return "funcref";
    default: return "externref";
    }
}

static void append_types(char **b, uint32_t *len, uint32_t *cap, uint32_t n, const uint8_t *t) {
    for (uint32_t i = 0; i < n; i++) {
        if (i) append(b, len, cap, ",", 1);
        append(b, len, cap, tname(t[i]), (uint32_t)strlen(tname(t[i])));
    }
}

/* One line per export: "func <name> <params> <results>" (types comma-separated, "-" for none),
 * "global <name> <type>", "table <name>", "memory <name>". Names are UTF-8, percent-encoded
 * (bytes up to 0x20, '%' and 0x7F as %XX), so fields never contain spaces or newlines. */
static molt_value exports(const molt_value *args) {
    (void)args;
    wasm_instance *inst = current();
    const wasm_module *m = wasm_instance_module(inst);
    uint32_t n = wasm_module_export_count(m);
    char *buf = NULL;
    uint32_t len = 0, cap = 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *name;
        uint32_t nl;
        uint8_t kind = wasm_module_export(m, i, &name, &nl);
        wasm_extern ext;
        if (!wasm_instance_export(inst, name, nl, &ext)) continue;
        static const char *kinds[4] = {"func ", "table ", "memory ", "global "};
        append(&buf, &len, &cap, kinds[kind & 3], (uint32_t)strlen(kinds[kind & 3]));
        for (uint32_t k = 0; k < nl; k++) {
            uint8_t c = (uint8_t)name[k];
            if (c <= 0x20 || c == '%' || c == 0x7F) {
                char esc[4];
                molt_snprintf(esc, sizeof esc, "%%%02X", c);
                append(&buf, &len, &cap, esc, 3);
            } else {
                append(&buf, &len, &cap, name + k, 1);
            }
        }
        if (kind == WASM_EXTERN_FUNC) {
            wasm_functype ft = wasm_func_type(ext.as.func);
            append(&buf, &len, &cap, " ", 1);
            if (ft.nparams) append_types(&buf, &len, &cap, ft.nparams, ft.params);
            else append(&buf, &len, &cap, "-", 1);
            append(&buf, &len, &cap, " ", 1);
            if (ft.nresults) append_types(&buf, &len, &cap, ft.nresults, ft.results);
            else append(&buf, &len, &cap, "-", 1);
        } else if (kind == WASM_EXTERN_GLOBAL) {
            uint8_t t = wasm_global_type(ext.as.global);
            append(&buf, &len, &cap, " ", 1);
            append(&buf, &len, &cap, tname(t), (uint32_t)strlen(tname(t)));
        }
        append(&buf, &len, &cap, "\n", 1);
    }
    free(g_out);
    g_out = (uint8_t *)buf;
    g_out_cap = cap;
    return molt_string(buf ? buf : "", len);
}

/* Parses "<params> <results>" (each "-" or types separated by ','), as Exports prints them. */
static bool parse_types(const char *s, uint32_t len, uint32_t *at, uint8_t *types, uint32_t *n) {
    *n = 0;
    if (*at < len && s[*at] == '-') {
        (*at)++;
        return true;
    }
    for (;;) {
        static const struct { const char *name; uint8_t type; } names[] = {
            {"i32", WASM_I32}, {"i64", WASM_I64}, {"f32", WASM_F32}, {"f64", WASM_F64},
            {"funcref", WASM_FUNCREF}, {"externref", WASM_EXTERNREF}};
        bool found = false;
        for (uint32_t k = 0; k < sizeof names / sizeof names[0] && !found; k++) {
            uint32_t nl = (uint32_t)strlen(names[k].name);
            if (len - *at >= nl && memcmp(s + *at, names[k].name, nl) == 0 &&
                (len - *at == nl || s[*at + nl] == ',' || s[*at + nl] == ' ')) {
                if (*n == MAX_VALUES) return false;
                types[(*n)++] = names[k].type;
                *at += nl;
                found = true;
            }
        }
        if (!found) return false;
        if (*at == len || s[*at] != ',') return true;
        (*at)++;
    }
}

static char *copy_name(const molt_value *v) {
    char *p = malloc(v->length ? v->length : 1);
    if (!p) molt_fail(WG_NOMEM, "out of memory declaring an import");
    memcpy(p, v->as.str, v->length);
    return p;
}

/* DeclareImport(module, name, type): the host offers a function import; returns its index (the
 * first argument of the host's WasmImport calls). Declaring a known name again replaces its type
 * for modules loaded later. Declarations survive UnloadModule: they belong to the runtime. */
static molt_value declare_import(const molt_value *args) {
    const molt_value *t = &args[2];
    uint8_t params[MAX_VALUES], results[MAX_VALUES];
    uint32_t np, nr, at = 0;
    if (!parse_types(t->as.str, t->length, &at, params, &np) || at >= t->length || t->as.str[at++] != ' ' ||
        !parse_types(t->as.str, t->length, &at, results, &nr) || at != t->length)
        bad_request("import type \"%.*s\" is not \"<params> <results>\" (types i32, i64, f32, f64, funcref, "
                    "externref separated by ',', '-' for none, at most %u each)",
                    (int)(t->length > 100 ? 100 : t->length), t->as.str, MAX_VALUES);
    declared_import *d = find_declared(args[0].as.str, args[0].length, args[1].as.str, args[1].length);
    if (!d) {
        if (g_ndeclared == MAX_DECLARED) bad_request("at most %u imports can be declared", MAX_DECLARED);
        d = &g_declared[g_ndeclared];
        d->module = copy_name(&args[0]);
        d->name = copy_name(&args[1]);
        d->module_len = args[0].length;
        d->name_len = args[1].length;
        g_ndeclared++;
    }
    d->nparams = np;
    d->nresults = nr;
    if (np) memcpy(d->params, params, np);
    if (nr) memcpy(d->results, results, nr);
    return molt_i32((int32_t)(d - g_declared));
}

void molt_init(void) {
    molt_register("LoadModule", "i32(bytes)", load_module);
    molt_register("Invoke", "bytes(string,bytes)", invoke);
    molt_register("GetGlobal", "bytes(string)", get_global);
    molt_register("RegisterModule", "void(string)", register_module);
    molt_register("UnloadModule", "void()", unload_module);
    molt_register("Exports", "string()", exports);
    molt_register("DeclareImport", "i32(string,string,string)", declare_import);
}
