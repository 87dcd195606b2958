/*
 * The C library subset of the runtime: memory and string functions (gcc may call memcpy, memmove,
 * memset and memcmp on its own), the allocator's C names, and a small snprintf.
 * The host-side unit tests compile this file with MOLT_HOSTED_TEST, which renames the C library
 * functions to molt_test_* so they do not replace the host's own.
 */
#include "molt_internal.h"

#ifdef MOLT_HOSTED_TEST
#define LIBC(name) molt_test_##name
#else
#define LIBC(name) name
#endif

void *LIBC(memcpy)(void *restrict dst, const void *restrict src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    for (; n >= 8; n -= 8, d += 8, s += 8) {
        uint64_t word;
        __builtin_memcpy(&word, s, 8); /* a single unaligned 8-byte move, never a call */
        __builtin_memcpy(d, &word, 8);
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *LIBC(memmove)(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return LIBC(memcpy)(dst, src, n);
    while (n--) d[n] = s[n]; /* overlapping, destination above: copy backwards */
    return dst;
}

void *LIBC(memset)(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    uint64_t word = 0x0101010101010101ULL * (uint8_t)c;
    for (; n >= 8; n -= 8, d += 8) __builtin_memcpy(d, &word, 8);
    while (n--) *d++ = (uint8_t)c;
    return dst;
}

int LIBC(memcmp)(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t LIBC(strlen)(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int LIBC(strncmp)(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x != y) return x < y ? -1 : 1;
        if (x == 0) return 0;
    }
    return 0;
}

int LIBC(strcmp)(const char *a, const char *b) { return LIBC(strncmp)(a, b, SIZE_MAX); }

void *LIBC(malloc)(size_t size) { return molt__heap_alloc(size); }
void LIBC(free)(void *p) { molt__heap_free(p); }
void *LIBC(realloc)(void *p, size_t size) { return molt__heap_realloc(p, size); }

void *LIBC(calloc)(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    void *p = molt__heap_alloc(count * size);
    if (p) LIBC(memset)(p, 0, count * size);
    return p;
}

/* ---------------------------------------------------------------------------------------------
 * molt_vsnprintf
 */

typedef struct sink {
    char *buf;
    size_t cap;
    size_t len; /* length of the full output, even past cap */
} sink;

static void put(sink *s, char c) {
    if (s->len + 1 < s->cap) s->buf[s->len] = c;
    s->len++;
}

static void put_padded(sink *s, const char *text, size_t n, int width, char pad) {
    for (int i = (int)n; i < width; i++) put(s, pad);
    for (size_t i = 0; i < n; i++) put(s, text[i]);
}

static void put_unsigned(sink *s, uint64_t v, unsigned base, bool upper, bool negative, int width,
                         char pad) {
    char digits[24];
    int n = 0;
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[n++] = alphabet[v % base];
        v /= base;
    } while (v);
    if (negative) {
        if (pad == '0') {
            put(s, '-');
            width--;
        } else {
            digits[n++] = '-';
        }
    }
    char text[24];
    for (int i = 0; i < n; i++) text[i] = digits[n - 1 - i];
    put_padded(s, text, (size_t)n, width, pad);
}

int molt_vsnprintf(char *buf, size_t n, const char *f, va_list ap) {
    sink s = {buf, n, 0};
    for (; *f; f++) {
        if (*f != '%') {
            put(&s, *f);
            continue;
        }
        f++;
        char pad = ' ';
        int width = 0, precision = -1, longs = 0;
        bool size_t_arg = false;
        if (*f == '0') {
            pad = '0';
            f++;
        }
        while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
        if (*f == '.' && f[1] == '*') {
            precision = va_arg(ap, int);
            f += 2;
        }
        while (*f == 'l') {
            longs++;
            f++;
        }
        if (*f == 'z') {
            size_t_arg = true;
            f++;
        }
        switch (*f) {
        case 'd': case 'i': {
            int64_t v = size_t_arg ? (int64_t)va_arg(ap, size_t)
                      : longs ? va_arg(ap, long long) : va_arg(ap, int);
            put_unsigned(&s, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, false, v < 0, width, pad);
            break;
        }
        case 'u': case 'x': case 'X': {
            uint64_t v = size_t_arg ? va_arg(ap, size_t)
                       : longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            put_unsigned(&s, v, *f == 'u' ? 10 : 16, *f == 'X', false, width, pad);
            break;
        }
        case 'p':
            put(&s, '0');
            put(&s, 'x');
            put_unsigned(&s, (uintptr_t)va_arg(ap, void *), 16, false, false, width, pad);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&s, &c, 1, width, ' ');
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) str = "(null)";
            size_t len = 0;
            while (str[len] && (precision < 0 || len < (size_t)precision)) len++;
            put_padded(&s, str, len, width, ' ');
            break;
        }
        case '%': put(&s, '%'); break;
        case '\0': f--; break; /* a lone '%' at the end */
        default: /* unknown conversion: print it as written */
            put(&s, '%');
            put(&s, *f);
        }
    }
    if (n > 0) buf[s.len < n ? s.len : n - 1] = '\0';
    return s.len > INT32_MAX ? INT32_MAX : (int)s.len;
}

int molt_snprintf(char *buf, size_t n, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int length = molt_vsnprintf(buf, n, format, ap);
    va_end(ap);
    return length;
}
