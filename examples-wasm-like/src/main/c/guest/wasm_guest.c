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

typedef struct import_ctx {
    char name[MOLT_MAX_NAME + 1]; /* "wasm:<module>.<name>" */
} import_ctx;

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

static molt_type molt_type_of(uint8_t t) {
    switch (t) {
    case WASM_I32: return MOLT_I32;
    case WASM_I64: return MOLT_I64;
    case WASM_F32: return MOLT_F32;
    case WASM_F64: return MOLT_F64;
    default: return MOLT_U64;
    }
}

static molt_value to_molt(uint8_t t, uint64_t v) {
    switch (t) {
    case WASM_I32: return molt_i32((int32_t)(uint32_t)v);
    case WASM_I64: return molt_i64((int64_t)v);
    case WASM_F32: {
        molt_value m = molt_f32(0);
        uint32_t b = (uint32_t)v;
        memcpy(&m.as.f32, &b, 4);
        return m;
    }
    case WASM_F64: {
        molt_value m = molt_f64(0);
        memcpy(&m.as.f64, &v, 8);
        return m;
    }
    default: return molt_u64(v);
    }
}

static uint64_t from_molt(uint8_t t, const molt_value *m) {
    switch (t) {
    case WASM_I32: return (uint32_t)m->as.i32;
    case WASM_I64: return (uint64_t)m->as.i64;
    case WASM_F32: {
        uint32_t b;
        memcpy(&b, &m->as.f32, 4);
        return b;
    }
    case WASM_F64: {
        uint64_t b;
        memcpy(&b, &m->as.f64, 8);
        return b;
    }
    default: return m->as.u64;
    }
}

static wasm_status host_import(void *ctx, const wasm_functype *type, const uint64_t *args, uint64_t *results,
                               wasm_error *err) {
    const import_ctx *ic = ctx;
    molt_value argv[MOLT_MAX_PARAMS];
    if (type->nparams > MOLT_MAX_PARAMS)
        return wasm_fail(err, WASM_HOST, "host function %s has more than %u parameters", ic->name, MOLT_MAX_PARAMS);
    for (uint32_t i = 0; i < type->nparams; i++) argv[i] = to_molt(type->params[i], args[i]);
    molt_type ret = type->nresults == 0 ? MOLT_VOID : type->nresults == 1 ? molt_type_of(type->results[0]) : MOLT_BYTES;
    molt_host_result r = molt_call_host(ic->name, ret, type->nparams, argv);
    if (r.status != MOLT_HOST_OK)
        return wasm_fail(err, WASM_HOST, "host function %s failed (status %d): %.*s", ic->name, (int)r.status,
                         (int)r.message_length, r.message ? r.message : "");
    if (type->nresults == 1) {
        results[0] = from_molt(type->results[0], &r.value);
    } else if (type->nresults > 1) {
        char msg[128];
        if (!decode(r.value.as.bytes, r.value.length, type->nresults, type->results, results, msg, sizeof msg))
            return wasm_fail(err, WASM_HOST, "host function %s returned malformed results: %s", ic->name, msg);
    }
    return WASM_OK;
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
    if (kind != WASM_EXTERN_FUNC) return false;
    if (5u + ml + 1u + nl > MOLT_MAX_NAME) {
        wasm_fail(err, WASM_LINK, "import name too long for a host call (at most %u bytes)", MOLT_MAX_NAME - 6);
        return false;
    }
    import_ctx *ic = wasm_store_alloc(g_store, sizeof(import_ctx), NULL);
    if (!ic) return false;
    memcpy(ic->name, "wasm:", 5);
    memcpy(ic->name + 5, mod, ml);
    ic->name[5 + ml] = '.';
    memcpy(ic->name + 6 + ml, name, nl);
    ic->name[6 + ml + nl] = 0;
    wasm_functype ft = wasm_module_import_functype(m, i);
    wasm_func *f = wasm_func_new_host(g_store, &ft, host_import, ic);
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

void molt_init(void) {
    molt_register("LoadModule", "i32(bytes)", load_module);
    molt_register("Invoke", "bytes(string,bytes)", invoke);
    molt_register("GetGlobal", "bytes(string)", get_global);
    molt_register("RegisterModule", "void(string)", register_module);
    molt_register("UnloadModule", "void()", unload_module);
    molt_register("Exports", "string()", exports);
}
