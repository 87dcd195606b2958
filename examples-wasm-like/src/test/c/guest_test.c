/*
 * guest_test: the engine guest's functions (wasm_guest.c) run hosted against a fake Molt runtime
 * (registration table, molt_fail as longjmp, scripted host functions), under ASan/UBSan.
 * Usage: guest_test main.wasm invalid.wasm unlinkable.wasm start-trap.wasm importer.wasm
 */
#include "molt_guest.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fake runtime ---- */

typedef struct reg { const char *name, *sig; molt_function fn; } reg;
static reg regs[16];
static unsigned nregs;
static jmp_buf fail_jump;
static int32_t fail_code;
static char fail_message[512];
static char host_calls[4096];

uint32_t molt_register(const char *name, const char *signature, molt_function fn) {
    regs[nregs] = (reg){name, signature, fn};
    return nregs++;
}
void molt_fail(int32_t code, const char *message) {
    fail_code = code;
    snprintf(fail_message, sizeof fail_message, "%s", message);
    longjmp(fail_jump, 1);
}
void molt_abort(int32_t code, const char *message) {
    fprintf(stderr, "abort %d %s\n", code, message);
    abort();
}
int molt_vsnprintf(char *buf, size_t n, const char *format, va_list ap) { return vsnprintf(buf, n, format, ap); }
int molt_snprintf(char *buf, size_t n, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int r = vsnprintf(buf, n, format, ap);
    va_end(ap);
    return r;
}
molt_value molt_cstring(const char *s) { return molt_string(s ? s : "", s ? (uint32_t)strlen(s) : 0); }

static uint8_t pair_reply[14] = {0x7F, 7, 0, 0, 0, 0x7E, 9, 0, 0, 0, 0, 0, 0, 0};

/* The host side of "WasmImport": index 0 env.add, 1 env.pair, 2 env.f32id (as declared by main()),
 * anything else fails like a Java exception. Arguments arrive in the value encoding. */
molt_host_result molt_call_host(const char *name, molt_type ret, uint32_t argc, const molt_value *argv) {
    static uint8_t reply[16];
    molt_host_result r = {MOLT_HOST_OK, molt_void(), NULL, 0};
    char call[64];
    snprintf(call, sizeof call, "%s#%u;", name, argc == 2 ? argv[0].as.u32 : 999u);
    strncat(host_calls, call, sizeof host_calls - strlen(host_calls) - 1);
    bool ours = !strcmp(name, "WasmImport") && ret == MOLT_BYTES && argc == 2 && argv[0].type == MOLT_U32 &&
                argv[1].type == MOLT_BYTES;
    const uint8_t *a = ours ? argv[1].as.bytes : NULL;
    if (ours && argv[0].as.u32 == 0 && argv[1].length == 10 && a[0] == 0x7F && a[5] == 0x7F) {
        int32_t x, y;
        memcpy(&x, a + 1, 4);
        memcpy(&y, a + 6, 4);
        int32_t sum = (int32_t)((uint32_t)x + (uint32_t)y);
        reply[0] = 0x7F;
        memcpy(reply + 1, &sum, 4);
        r.value = molt_bytes(reply, 5);
    } else if (ours && argv[0].as.u32 == 1 && argv[1].length == 0) {
        r.value = molt_bytes(pair_reply, sizeof pair_reply);
    } else if (ours && argv[0].as.u32 == 2 && argv[1].length == 5 && a[0] == 0x7D) {
        r.value = argv[1];
    } else {
        r.status = MOLT_HOST_FAILED;
        r.message = "java.lang.IllegalStateException: boom";
        r.message_length = (uint32_t)strlen(r.message);
    }
    return r;
}

/* ---- harness ---- */

static unsigned passed, failed;
#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (cond) {                                                                               \
            passed++;                                                                             \
        } else {                                                                                  \
            failed++;                                                                             \
            printf("FAIL line %d: %s (last failure %d: %s)\n", __LINE__, #cond, fail_code, fail_message); \
        }                                                                                         \
    } while (0)

static molt_function fn(const char *name) {
    for (unsigned i = 0; i < nregs; i++)
        if (!strcmp(regs[i].name, name)) return regs[i].fn;
    return NULL;
}

/* Calls a guest function; returns true if it returned, false if it called molt_fail. */
static bool call(const char *name, const molt_value *args, molt_value *out) {
    fail_code = 0;
    fail_message[0] = 0;
    if (setjmp(fail_jump)) return false;
    *out = fn(name)(args);
    return true;
}

static uint8_t *read_file(const char *path, uint32_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) exit(2);
    fclose(f);
    *len = (uint32_t)n;
    return b;
}

static bool invoke(const char *export, const uint8_t *args, uint32_t nargs, molt_value *out) {
    molt_value a[2] = {molt_cstring(export), molt_bytes(args, nargs)};
    return call("Invoke", a, out);
}

static bool bytes_eq(const molt_value *v, const uint8_t *want, uint32_t n) {
    return v->type == MOLT_BYTES && v->length == n && memcmp(v->as.bytes, want, n) == 0;
}

/* DeclareImport; the index, or -1 if it failed. */
static int32_t declare(const char *module, const char *name, const char *type) {
    molt_value a[3] = {molt_cstring(module), molt_cstring(name), molt_cstring(type)}, out;
    return call("DeclareImport", a, &out) && out.type == MOLT_I32 ? out.as.i32 : -1;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: guest_test main.wasm invalid.wasm unlinkable.wasm start-trap.wasm importer.wasm\n");
        return 2;
    }
    molt_init();
    CHECK(nregs == 7);
    CHECK(fn("LoadModule") && !strcmp(regs[0].sig, "i32(bytes)"));
    CHECK(!strcmp(regs[1].name, "Invoke") && !strcmp(regs[1].sig, "bytes(string,bytes)"));

    molt_value out;
    uint32_t len;
    uint8_t *main_wasm = read_file(argv[1], &len);

    /* nothing loaded yet */
    CHECK(!invoke("add3", NULL, 0, &out) && fail_code == 1007 && strstr(fail_message, "no module is loaded"));

    molt_value lm = molt_bytes(main_wasm, len);
    /* function imports resolve only to what the host declared, with the declared type */
    CHECK(!call("LoadModule", &lm, &out) && fail_code == 1003 && strstr(fail_message, "unknown import env.add"));
    CHECK(declare("env", "add", "i32,i32 i32") == 0 && declare("env", "pair", "- i32,i64") == 1 &&
          declare("env", "f32id", "f64 f64") == 2 && declare("env", "fail", "- -") == 3);
    CHECK(!call("LoadModule", &lm, &out) && fail_code == 1003 &&
          strstr(fail_message, "incompatible import type for env.f32id"));
    CHECK(declare("env", "f32id", "f32 f32") == 2); /* a second declaration replaces the type */
    CHECK(declare("env", "bad", "i32") == -1 && fail_code == 1007 && strstr(fail_message, "is not"));
    CHECK(declare("env", "bad", "i32 v128") == -1 && fail_code == 1007);
    CHECK(declare("env", "bad", "i32,,i32 -") == -1 && fail_code == 1007);
    CHECK(declare("env", "bad", "- - ") == -1 && fail_code == 1007);
    CHECK(call("LoadModule", &lm, &out) && out.type == MOLT_I32 && out.as.i32 == 9);

    uint8_t add_args[] = {0x7F, 1, 0, 0, 0, 0x7F, 2, 0, 0, 0};
    uint8_t six[] = {0x7F, 6, 0, 0, 0};
    CHECK(invoke("add3", add_args, sizeof add_args, &out) && bytes_eq(&out, six, sizeof six));
    CHECK(strstr(host_calls, "WasmImport#0;") != NULL);

    uint8_t pair[] = {0x7F, 7, 0, 0, 0, 0x7E, 9, 0, 0, 0, 0, 0, 0, 0};
    CHECK(invoke("pair", NULL, 0, &out) && bytes_eq(&out, pair, sizeof pair));

    uint8_t div_args[] = {0x7F, 1, 0, 0, 0, 0x7F, 0, 0, 0, 0};
    CHECK(!invoke("div", div_args, sizeof div_args, &out) && fail_code == 1004 &&
          !strcmp(fail_message, "integer divide by zero"));
    uint8_t div_ok[] = {0x7F, 9, 0, 0, 0, 0x7F, 0xFD, 0xFF, 0xFF, 0xFF};
    uint8_t minus3[] = {0x7F, 0xFD, 0xFF, 0xFF, 0xFF};
    CHECK(invoke("div", div_ok, sizeof div_ok, &out) && bytes_eq(&out, minus3, 5));

    CHECK(!invoke("runaway", NULL, 0, &out) && fail_code == 1005);
    CHECK(invoke("add3", add_args, sizeof add_args, &out) && bytes_eq(&out, six, sizeof six));

    CHECK(!invoke("callfail", NULL, 0, &out) && fail_code == 1008 && strstr(fail_message, "host function env.fail failed") &&
          strstr(fail_message, "boom"));

    uint8_t nan_arg[] = {0x7D, 0x01, 0x00, 0xA0, 0x7F}; /* signalling NaN payload survives the host call */
    CHECK(invoke("f32id", nan_arg, sizeof nan_arg, &out) && bytes_eq(&out, nan_arg, sizeof nan_arg));

    uint8_t mix_args[] = {0x7E, 1, 2, 3, 4, 5, 6, 7, 8, 0x7C, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x6F, 5, 0, 0, 0, 0, 0, 0, 0};
    uint8_t mix_res[] = {0x6F, 5, 0, 0, 0, 0, 0, 0, 0, 0x7C, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x7E, 1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(invoke("mix", mix_args, sizeof mix_args, &out) && bytes_eq(&out, mix_res, sizeof mix_res));

    uint8_t wrong_tag[] = {0x7E, 1, 0, 0, 0, 0, 0, 0, 0, 0x7F, 2, 0, 0, 0};
    CHECK(!invoke("add3", wrong_tag, sizeof wrong_tag, &out) && fail_code == 1007 && strstr(fail_message, "type tag"));
    CHECK(!invoke("add3", add_args, 7, &out) && fail_code == 1007 && strstr(fail_message, "truncated"));
    uint8_t extra[] = {0x7F, 1, 0, 0, 0, 0x7F, 2, 0, 0, 0, 0};
    CHECK(!invoke("add3", extra, sizeof extra, &out) && fail_code == 1007 && strstr(fail_message, "after the last"));
    CHECK(!invoke("nope", NULL, 0, &out) && fail_code == 1007 && strstr(fail_message, "no export named \"nope\""));
    CHECK(!invoke("g", NULL, 0, &out) && fail_code == 1007 && strstr(fail_message, "not a function"));

    molt_value gname = molt_cstring("g");
    uint8_t g[] = {0x7E, 0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    CHECK(call("GetGlobal", &gname, &out) && bytes_eq(&out, g, sizeof g));

    CHECK(call("Exports", NULL, &out) && out.type == MOLT_STRING &&
          strstr(out.as.str, "func add3 i32,i32 i32\n") && strstr(out.as.str, "global g i64\n") &&
          strstr(out.as.str, "func mix i64,f64,externref externref,f64,i64\n") && strstr(out.as.str, "func callfail - -\n") &&
          strstr(out.as.str, "func two%20words%25 - i32\n"));

    /* linking: register the current module, load one that imports from it */
    uint32_t l5;
    uint8_t *importer = read_file(argv[5], &l5);
    molt_value im = molt_bytes(importer, l5), main_name = molt_cstring("main");
    CHECK(!call("LoadModule", &im, &out) && fail_code == 1003 &&
          strstr(fail_message, "unknown import main.add3"));
    CHECK(call("RegisterModule", &main_name, &out) && out.type == MOLT_VOID);
    CHECK(call("LoadModule", &im, &out) && out.as.i32 == 2);
    uint8_t five[] = {0x7F, 5, 0, 0, 0}, eleven[] = {0x7F, 11, 0, 0, 0};
    CHECK(invoke("add3-twice", five, sizeof five, &out) && bytes_eq(&out, eleven, sizeof eleven));
    uint8_t minus4[] = {0x7E, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    CHECK(invoke("g-plus-one", NULL, 0, &out) && bytes_eq(&out, minus4, sizeof minus4));
    CHECK(!invoke("add3", add_args, sizeof add_args, &out) && fail_code == 1007); /* current is the importer */
    molt_value empty = molt_string("", 0);
    CHECK(!call("RegisterModule", &empty, &out) && fail_code == 1007);

    /* load failures */
    uint8_t garbage[] = {0, 'a', 's', 'm', 9, 0, 0, 0};
    molt_value gm = molt_bytes(garbage, sizeof garbage);
    CHECK(!call("LoadModule", &gm, &out) && fail_code == 1001 && strstr(fail_message, "unknown binary version"));
    uint32_t l2, l3, l4;
    uint8_t *invalid = read_file(argv[2], &l2), *unlinkable = read_file(argv[3], &l3), *trap = read_file(argv[4], &l4);
    molt_value iv = molt_bytes(invalid, l2), ul = molt_bytes(unlinkable, l3), st = molt_bytes(trap, l4);
    CHECK(!call("LoadModule", &iv, &out) && fail_code == 1002 && strstr(fail_message, "type mismatch"));
    CHECK(!call("LoadModule", &ul, &out) && fail_code == 1003 && strstr(fail_message, "spectest.nope"));
    CHECK(!call("LoadModule", &st, &out) && fail_code == 1004 && strstr(fail_message, "unreachable"));

    /* unload: nothing of the first module stays visible; a second load starts clean */
    CHECK(call("UnloadModule", NULL, &out) && out.type == MOLT_VOID);
    CHECK(!invoke("add3", add_args, sizeof add_args, &out) && fail_code == 1007);
    CHECK(!call("LoadModule", &im, &out) && fail_code == 1003); /* the registration is gone too */
    for (int i = 0; i < 200; i++) {
        bool ok = call("LoadModule", &lm, &out) && invoke("add3", add_args, sizeof add_args, &out) &&
                  bytes_eq(&out, six, sizeof six) && call("UnloadModule", NULL, &out);
        if (!ok) {
            CHECK(ok);
            break;
        }
    }
    passed++;
    call("UnloadModule", NULL, &out);
    free(main_wasm);
    free(invalid);
    free(unlinkable);
    free(trap);
    free(importer);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
