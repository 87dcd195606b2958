/*
 * spec_driver: runs WebAssembly spec scripts converted by wast2json (a .json file with its .wasm
 * files beside it) against the engine, hosted. Usage: spec_driver [-v] script.json...
 *
 * Prints per script and per command kind passed/failed/skipped, every failure with its line,
 * and a closing line "N passed, N failed". Exit status 1 on any failure.
 */
#include "wasm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Minimal JSON reader (enough for wast2json's output). */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jkind;
typedef struct json {
    jkind kind;
    char *str;          /* J_STR, J_NUM (text); NUL-terminated, may contain NULs (see len) */
    size_t len;         /* J_STR: bytes in str */
    struct json **items; /* J_ARR values, J_OBJ values */
    char **keys;        /* J_OBJ */
    size_t n;
} json;

typedef struct jparser {
    const char *p, *end;
    bool ok;
} jparser;

static void jskip(jparser *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')) j->p++;
}

static json *jnew(jkind k) {
    json *v = calloc(1, sizeof *v);
    if (!v) abort();
    v->kind = k;
    return v;
}

static char *jstring(jparser *j, size_t *length) {
    if (j->p >= j->end || *j->p != '"') {
        j->ok = false;
        return NULL;
    }
    j->p++;
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    if (!s) abort();
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if (c == '\\' && j->p < j->end) {
            char e = *j->p++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned cp = 0;
                for (int k = 0; k < 4 && j->p < j->end; k++) {
                    char h = *j->p++;
                    cp = cp * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
                }
                /* wast2json escapes bytes as \u00XX: keep the byte */
                c = (char)(cp & 0xFF);
                break;
            }
            default: c = e; break;
            }
        }
        if (n + 1 >= cap) {
            cap *= 2;
            s = realloc(s, cap);
            if (!s) abort();
        }
        s[n++] = c;
    }
    if (j->p >= j->end) {
        j->ok = false;
        free(s);
        return NULL;
    }
    j->p++;
    s[n] = 0;
    if (length) *length = n;
    return s;
}

static json *jvalue(jparser *j);

static void jappend(json *v, char *key, json *item) {
    v->items = realloc(v->items, (v->n + 1) * sizeof(json *));
    if (!v->items) abort();
    if (v->kind == J_OBJ) {
        v->keys = realloc(v->keys, (v->n + 1) * sizeof(char *));
        if (!v->keys) abort();
        v->keys[v->n] = key;
    }
    v->items[v->n++] = item;
}

static json *jvalue(jparser *j) {
    jskip(j);
    if (j->p >= j->end) {
        j->ok = false;
        return NULL;
    }
    char c = *j->p;
    if (c == '{' || c == '[') {
        json *v = jnew(c == '{' ? J_OBJ : J_ARR);
        char close = c == '{' ? '}' : ']';
        j->p++;
        jskip(j);
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return v;
        }
        while (j->ok) {
            char *key = NULL;
            jskip(j);
            if (v->kind == J_OBJ) {
                key = jstring(j, NULL);
                jskip(j);
                if (!j->ok || j->p >= j->end || *j->p != ':') {
                    j->ok = false;
                    free(key);
                    break;
                }
                j->p++;
            }
            json *item = jvalue(j);
            if (!j->ok) {
                free(key);
                break;
            }
            jappend(v, key, item);
            jskip(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == close) {
                j->p++;
                break;
            }
            j->ok = false;
        }
        return v;
    }
    if (c == '"') {
        json *v = jnew(J_STR);
        v->str = jstring(j, &v->len);
        return v;
    }
    const char *start = j->p;
    while (j->p < j->end && !strchr(",]} \n\r\t", *j->p)) j->p++;
    size_t len = (size_t)(j->p - start);
    json *v = jnew(len == 4 && !strncmp(start, "null", 4) ? J_NULL : (*start == 't' || *start == 'f') ? J_BOOL : J_NUM);
    v->str = malloc(len + 1);
    if (!v->str) abort();
    memcpy(v->str, start, len);
    v->str[len] = 0;
    return v;
}

static void jfree(json *v) {
    if (!v) return;
    for (size_t i = 0; i < v->n; i++) {
        jfree(v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

static json *jget(const json *o, const char *key) {
    if (!o || o->kind != J_OBJ) return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (o->keys[i] && !strcmp(o->keys[i], key)) return o->items[i];
    return NULL;
}

static const char *jstr(const json *o, const char *key) {
    json *v = jget(o, key);
    return v && (v->kind == J_STR || v->kind == J_NUM) ? v->str : NULL;
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) abort();
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ------------------------------------------------------------------------------------------ */
/* Script state */

enum { K_MODULE, K_REGISTER, K_ACTION, K_RETURN, K_TRAP, K_EXHAUSTION, K_INVALID, K_MALFORMED,
       K_UNLINKABLE, K_UNINSTANTIABLE, K_COUNT };
static const char *kind_names[K_COUNT] = {"module", "register", "action", "assert_return", "assert_trap",
                                          "assert_exhaustion", "assert_invalid", "assert_malformed",
                                          "assert_unlinkable", "assert_uninstantiable"};

typedef struct tally {
    unsigned passed[K_COUNT], failed[K_COUNT], skipped[K_COUNT];
} tally;

typedef struct named {
    char *name;
    wasm_instance *inst;
} named;

typedef struct script {
    const char *path;
    char dir[4096];
    wasm_store *store;
    wasm_instance *current;
    named names[256];
    unsigned nnames;
    named registered[64];
    unsigned nregistered;
    tally t;
    bool verbose;
} script;

static bool g_verbose;
/* Traps and rejections that passed, and how many of them name the script's expected text. */
static unsigned g_expected_messages, g_matching_messages;

static void note_message(const char *got, const char *want) {
    g_expected_messages++;
    if (want && strstr(got, want)) g_matching_messages++;
}

static void report_failure(script *s, unsigned line, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report_failure(script *s, unsigned line, const char *kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("  FAIL %s:%u %s: ", s->path, line, kind);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static wasm_instance *find_instance(script *s, const char *name) {
    if (!name) return s->current;
    for (unsigned i = s->nnames; i-- > 0;)
        if (!strcmp(s->names[i].name, name)) return s->names[i].inst;
    return NULL;
}

static bool name_is(const char *s, uint32_t n, const char *want) { return strlen(want) == n && !memcmp(s, want, n); }

static bool resolve(void *ctx, const wasm_module *m, uint32_t i, wasm_extern *out) {
    script *s = ctx;
    const char *mod, *name;
    uint32_t ml, nl;
    uint8_t kind = wasm_module_import(m, i, &mod, &ml, &name, &nl);
    (void)kind;
    if (name_is(mod, ml, "spectest")) return wasm_spectest_export(s->store, name, nl, out);
    for (unsigned k = s->nregistered; k-- > 0;) {
        if (name_is(mod, ml, s->registered[k].name))
            return wasm_instance_export(s->registered[k].inst, name, nl, out);
    }
    return false;
}

/* Loads a module file: decode, then (if instantiate) instantiate. */
static wasm_status load(script *s, const char *file, bool instantiate, wasm_instance **out, wasm_error *err) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", s->dir, file);
    size_t len;
    uint8_t *bytes = read_file(path, &len);
    if (!bytes) return wasm_fail(err, WASM_HOST, "cannot read %s", path);
    wasm_module *m = wasm_module_decode(bytes, len, err);
    free(bytes);
    if (!m) return err->status;
    if (!instantiate) {
        wasm_module_free(m);
        return WASM_OK;
    }
    *out = wasm_instantiate(s->store, m, resolve, s, err);
    return *out ? WASM_OK : err->status;
}

static bool parse_value(const json *v, uint8_t *type, uint64_t *bits, int *nan) {
    const char *t = jstr(v, "type"), *val = jstr(v, "value");
    *nan = 0;
    if (!t) return false;
    if (!strcmp(t, "i32")) *type = WASM_I32;
    else if (!strcmp(t, "i64")) *type = WASM_I64;
    else if (!strcmp(t, "f32")) *type = WASM_F32;
    else if (!strcmp(t, "f64")) *type = WASM_F64;
    else if (!strcmp(t, "funcref")) *type = WASM_FUNCREF;
    else if (!strcmp(t, "externref")) *type = WASM_EXTERNREF;
    else return false;
    if (!val) return false;
    if (!strcmp(val, "nan:canonical")) *nan = 1;
    else if (!strcmp(val, "nan:arithmetic")) *nan = 2;
    else if (!strcmp(val, "null")) *bits = 0;
    else {
        errno = 0;
        *bits = strtoull(val, NULL, 10);
        if (*type == WASM_EXTERNREF) *bits += 1;
    }
    return true;
}

static bool value_matches(uint8_t type, uint64_t got, uint64_t want, int nan) {
    if (nan) {
        if (type == WASM_F32) {
            uint32_t b = (uint32_t)got;
            if ((b & 0x7F800000u) != 0x7F800000u || !(b & 0x007FFFFFu)) return false;
            return nan == 1 ? (b & 0x7FFFFFFFu) == 0x7FC00000u : (b & 0x00400000u) != 0;
        }
        if ((got & 0x7FF0000000000000ull) != 0x7FF0000000000000ull || !(got & 0x000FFFFFFFFFFFFFull)) return false;
        return nan == 1 ? (got & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull : (got & 0x0008000000000000ull) != 0;
    }
    if (type == WASM_I32 || type == WASM_F32) return (uint32_t)got == (uint32_t)want;
    return got == want;
}

/* Runs an action; results into res/nres. */
static wasm_status run_action(script *s, const json *action, uint64_t *res, uint32_t *nres, uint8_t *rtypes,
                              wasm_error *err) {
    const char *type = jstr(action, "type"), *field = jstr(action, "field"), *mod = jstr(action, "module");
    wasm_instance *inst = find_instance(s, mod);
    if (!inst) return wasm_fail(err, WASM_HOST, "no module instance %s", mod ? mod : "(current)");
    wasm_extern ext;
    json *fieldv = jget(action, "field");
    if (!field || !wasm_instance_export(inst, field, (uint32_t)fieldv->len, &ext))
        return wasm_fail(err, WASM_HOST, "no export %s", field ? field : "?");
    if (type && !strcmp(type, "get")) {
        if (ext.kind != WASM_EXTERN_GLOBAL) return wasm_fail(err, WASM_HOST, "export %s is not a global", field);
        res[0] = wasm_global_get(ext.as.global);
        rtypes[0] = wasm_global_type(ext.as.global);
        *nres = 1;
        return WASM_OK;
    }
    if (ext.kind != WASM_EXTERN_FUNC) return wasm_fail(err, WASM_HOST, "export %s is not a function", field);
    wasm_functype ft = wasm_func_type(ext.as.func);
    json *args = jget(action, "args");
    uint64_t argv[64];
    size_t nargs = args ? args->n : 0;
    if (nargs != ft.nparams || nargs > 64) return wasm_fail(err, WASM_HOST, "argument count mismatch for %s", field);
    for (size_t i = 0; i < nargs; i++) {
        uint8_t t;
        int nan;
        if (!parse_value(args->items[i], &t, &argv[i], &nan)) return wasm_fail(err, WASM_HOST, "bad argument");
    }
    if (ft.nresults > 64) return wasm_fail(err, WASM_HOST, "too many results");
    *nres = ft.nresults;
    for (uint32_t i = 0; i < ft.nresults; i++) rtypes[i] = ft.results[i];
    return wasm_call(s->store, ext.as.func, argv, res, err);
}

static void count(script *s, int kind, bool ok) {
    if (ok)
        s->t.passed[kind]++;
    else
        s->t.failed[kind]++;
}

static const char *status_name(wasm_status st) {
    static const char *names[] = {"ok", "malformed", "invalid", "link error", "trap", "exhaustion", "out of memory", "host error"};
    return (unsigned)st < 8 ? names[st] : "?";
}

static void run_command(script *s, const json *cmd) {
    const char *type = jstr(cmd, "type");
    const char *line_s = jstr(cmd, "line");
    unsigned line = line_s ? (unsigned)strtoul(line_s, NULL, 10) : 0;
    wasm_error err = {WASM_OK, ""};
    if (!type) return;
    if (!strcmp(type, "module")) {
        wasm_instance *inst = NULL;
        wasm_status st = load(s, jstr(cmd, "filename"), true, &inst, &err);
        s->current = st == WASM_OK ? inst : NULL;
        const char *name = jstr(cmd, "name");
        if (st == WASM_OK && name && s->nnames < 256) {
            s->names[s->nnames].name = strdup(name);
            s->names[s->nnames++].inst = inst;
        }
        count(s, K_MODULE, st == WASM_OK);
        if (st != WASM_OK) report_failure(s, line, type, "%s: %s", status_name(st), err.message);
        return;
    }
    if (!strcmp(type, "register")) {
        wasm_instance *inst = find_instance(s, jstr(cmd, "name"));
        const char *as = jstr(cmd, "as");
        bool ok = inst && as && s->nregistered < 64;
        if (ok) {
            s->registered[s->nregistered].name = strdup(as);
            s->registered[s->nregistered++].inst = inst;
        }
        count(s, K_REGISTER, ok);
        if (!ok) report_failure(s, line, type, "no instance to register");
        return;
    }
    if (!strcmp(type, "action") || !strcmp(type, "assert_return") || !strcmp(type, "assert_trap") ||
        !strcmp(type, "assert_exhaustion")) {
        int kind = !strcmp(type, "action") ? K_ACTION : !strcmp(type, "assert_return") ? K_RETURN
                   : !strcmp(type, "assert_trap") ? K_TRAP : K_EXHAUSTION;
        uint64_t res[64];
        uint8_t rtypes[64];
        uint32_t nres = 0;
        const json *action = jget(cmd, "action");
        wasm_status st = run_action(s, action, res, &nres, rtypes, &err);
        const char *field = jstr(action, "field");
        if (kind == K_ACTION) {
            count(s, kind, st == WASM_OK);
            if (st != WASM_OK) report_failure(s, line, type, "%s: %s: %s", field, status_name(st), err.message);
        } else if (kind == K_TRAP || kind == K_EXHAUSTION) {
            wasm_status want = kind == K_TRAP ? WASM_TRAP : WASM_EXHAUSTED;
            count(s, kind, st == want);
            if (st != want)
                report_failure(s, line, type, "%s: expected %s (%s), got %s %s", field, status_name(want),
                               jstr(cmd, "text"), status_name(st), err.message);
            else
                note_message(err.message, jstr(cmd, "text"));
            if (st == want && g_verbose)
                printf("  ok %s:%u %s: %s (expected \"%s\")\n", s->path, line, type, err.message, jstr(cmd, "text"));
        } else {
            json *expected = jget(cmd, "expected");
            bool ok = st == WASM_OK && expected && expected->n == nres;
            for (uint32_t i = 0; ok && i < nres; i++) {
                uint8_t t;
                uint64_t want = 0;
                int nan;
                ok = parse_value(expected->items[i], &t, &want, &nan) && t == rtypes[i] &&
                     value_matches(t, res[i], want, nan);
                if (!ok)
                    report_failure(s, line, type, "%s: result %u is 0x%llx, expected %s %s", field, i,
                                   (unsigned long long)res[i], jstr(expected->items[i], "type"),
                                   jstr(expected->items[i], "value"));
            }
            if (st != WASM_OK) report_failure(s, line, type, "%s: %s: %s", field, status_name(st), err.message);
            else if (!ok && expected && expected->n != nres) report_failure(s, line, type, "%s: result count", field);
            count(s, kind, ok);
        }
        return;
    }
    int kind = !strcmp(type, "assert_invalid") ? K_INVALID : !strcmp(type, "assert_malformed") ? K_MALFORMED
               : !strcmp(type, "assert_unlinkable") ? K_UNLINKABLE : !strcmp(type, "assert_uninstantiable") ? K_UNINSTANTIABLE : -1;
    if (kind < 0) {
        printf("  SKIP %s:%u unknown command %s\n", s->path, line, type);
        return;
    }
    const char *mt = jstr(cmd, "module_type");
    if (mt && strcmp(mt, "binary") != 0) {
        s->t.skipped[kind]++;
        if (g_verbose) printf("  skip %s:%u %s: text-format module (the engine reads the binary format only)\n", s->path, line, type);
        return;
    }
    wasm_instance *inst = NULL;
    bool inst_needed = kind == K_UNLINKABLE || kind == K_UNINSTANTIABLE;
    wasm_status st = load(s, jstr(cmd, "filename"), inst_needed, &inst, &err);
    wasm_status want = kind == K_INVALID ? WASM_INVALID : kind == K_MALFORMED ? WASM_MALFORMED
                       : kind == K_UNLINKABLE ? WASM_LINK : WASM_TRAP;
    bool ok = st == want;
    count(s, kind, ok);
    if (!ok)
        report_failure(s, line, type, "expected %s (\"%s\"), got %s %s", status_name(want), jstr(cmd, "text"),
                       status_name(st), err.message);
    else
        note_message(err.message, jstr(cmd, "text"));
    if (ok && g_verbose)
        printf("  ok %s:%u %s: %s (expected \"%s\")\n", s->path, line, type, err.message, jstr(cmd, "text"));
}

int main(int argc, char **argv) {
    tally total = {{0}, {0}, {0}};
    int first = 1;
    if (argc > 1 && !strcmp(argv[1], "-v")) {
        g_verbose = true;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: spec_driver [-v] script.json...\n");
        return 2;
    }
    bool any_failed = false;
    for (int a = first; a < argc; a++) {
        script s;
        memset(&s, 0, sizeof s);
        s.path = argv[a];
        snprintf(s.dir, sizeof s.dir, "%s", argv[a]);
        char *slash = strrchr(s.dir, '/');
        if (slash) *slash = 0;
        else strcpy(s.dir, ".");
        size_t len;
        char *text = (char *)read_file(argv[a], &len);
        if (!text) {
            printf("%s: cannot read\n", argv[a]);
            any_failed = true;
            total.failed[K_MODULE]++;
            continue;
        }
        jparser jp = {text, text + len, true};
        json *root = jvalue(&jp);
        json *cmds = jget(root, "commands");
        if (!jp.ok || !cmds || cmds->kind != J_ARR) {
            printf("%s: malformed JSON\n", argv[a]);
            any_failed = true;
            total.failed[K_MODULE]++;
            jfree(root);
            free(text);
            continue;
        }
        wasm_config cfg = {.max_call_depth = 10000, .value_stack_slots = 1u << 20, .max_memory_pages = 1024,
                           .max_table_elems = 1u << 20};
        s.store = wasm_store_new(&cfg);
        if (!s.store) abort();
        for (size_t i = 0; i < cmds->n; i++) run_command(&s, cmds->items[i]);
        unsigned p = 0, f = 0, k = 0;
        for (int i = 0; i < K_COUNT; i++) {
            p += s.t.passed[i];
            f += s.t.failed[i];
            k += s.t.skipped[i];
            total.passed[i] += s.t.passed[i];
            total.failed[i] += s.t.failed[i];
            total.skipped[i] += s.t.skipped[i];
        }
        printf("script %s: %u passed, %u failed, %u skipped\n", argv[a], p, f, k);
        if (f) any_failed = true;
        for (unsigned i = 0; i < s.nnames; i++) free(s.names[i].name);
        for (unsigned i = 0; i < s.nregistered; i++) free(s.registered[i].name);
        wasm_store_free(s.store);
        jfree(root);
        free(text);
    }
    unsigned p = 0, f = 0, k = 0;
    printf("by command kind (passed/failed/skipped):\n");
    for (int i = 0; i < K_COUNT; i++) {
        printf("  %-22s %6u %6u %6u\n", kind_names[i], total.passed[i], total.failed[i], total.skipped[i]);
        p += total.passed[i];
        f += total.failed[i];
        k += total.skipped[i];
    }
    printf("skipped: %u (text-format assert_malformed/assert_invalid modules: the engine reads binaries only)\n", k);
    printf("messages: %u of %u passing traps and rejections contain the script's expected text\n",
           g_matching_messages, g_expected_messages);
    printf("%u passed, %u failed\n", p, f);
    return any_failed ? 1 : 0;
}
