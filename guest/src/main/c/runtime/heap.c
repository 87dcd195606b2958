/*
 * The guest heap: boundary-tag blocks over [heap_addr, heap_addr + heap_size) from the boot block.
 *
 * Every block starts with an 8-byte header `size | USED | PREV_USED` (size a multiple of 16,
 * header included) and its payload is 16-byte aligned. A free block also keeps its size in its
 * last 8 bytes (the footer) and sits on a doubly linked free list; two free blocks are never
 * adjacent (free() coalesces both ways). A zero-size USED header ends the heap (the sentinel).
 * First fit; a block is split when the rest can hold a minimal block.
 */
#include "molt_internal.h"

#define USED 1u
#define PREV_USED 2u
#define FLAGS 15u
#define HEADER 8u
#define MIN_BLOCK 32u /* header + two list links + footer */

typedef struct free_block {
    uint64_t header;
    struct free_block *next;
    struct free_block *prev;
} free_block;

static struct {
    uint8_t *first;    /* header of the first block */
    uint8_t *sentinel; /* header of the end marker */
    free_block *free_list;
} heap;

static uint64_t *header_of(uint8_t *block) { return (uint64_t *)block; }
static uint64_t size_of(uint8_t *block) { return *header_of(block) & ~(uint64_t)FLAGS; }
static uint8_t *next_of(uint8_t *block) { return block + size_of(block); }

static void set_free(uint8_t *block, uint64_t size) {
    *header_of(block) = size | PREV_USED; /* neighbours of a free block are always used */
    *(uint64_t *)(block + size - 8) = size;
}

static void list_insert(uint8_t *block) {
    free_block *b = (free_block *)block;
    b->prev = NULL;
    b->next = heap.free_list;
    if (heap.free_list) heap.free_list->prev = b;
    heap.free_list = b;
}

static void list_remove(uint8_t *block) {
    free_block *b = (free_block *)block;
    if (b->prev) b->prev->next = b->next; else heap.free_list = b->next;
    if (b->next) b->next->prev = b->prev;
}

void molt__heap_init(void *base, uint64_t size) {
    heap.first = heap.sentinel = NULL;
    heap.free_list = NULL;
    uintptr_t start = (uintptr_t)base, end = start + size;
    if (!base || size < MIN_BLOCK + 32 || end < start) return;
    uintptr_t first = ((start + HEADER + 15u) & ~(uintptr_t)15u) - HEADER;
    uintptr_t sentinel = ((end - HEADER - 8u) & ~(uintptr_t)15u) + 8u;
    if (sentinel <= first || sentinel - first < MIN_BLOCK) return;
    heap.first = (uint8_t *)first;
    heap.sentinel = (uint8_t *)sentinel;
    *header_of(heap.sentinel) = USED; /* PREV_USED clear: the first block is free */
    set_free(heap.first, sentinel - first);
    list_insert(heap.first);
}

/* Bytes of block needed for a payload of `size`, or 0 if that cannot be represented. */
static uint64_t block_size_for(size_t size) {
    if (size > UINT64_MAX / 2) return 0;
    uint64_t need = ((uint64_t)size + HEADER + 15u) & ~(uint64_t)15u;
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* Marks `block` (off the free list) used with `need` bytes; the rest becomes a free block. */
static void take(uint8_t *block, uint64_t need) {
    uint64_t size = size_of(block), prev_used = *header_of(block) & PREV_USED;
    if (size - need >= MIN_BLOCK) {
        uint8_t *rest = block + need;
        set_free(rest, size - need);
        list_insert(rest);
        size = need;
    } else {
        *header_of(block + size) |= PREV_USED;
    }
    *header_of(block) = size | USED | prev_used;
}

void *molt__heap_alloc(size_t size) {
    uint64_t need = block_size_for(size);
    if (!need) return NULL;
    for (free_block *b = heap.free_list; b; b = b->next) {
        if (size_of((uint8_t *)b) >= need) {
            list_remove((uint8_t *)b);
            take((uint8_t *)b, need);
            return (uint8_t *)b + HEADER;
        }
    }
    return NULL;
}

/* The block of payload `p`, or abort if the heap never handed `p` out (or it is free already). */
static uint8_t *used_block_of(void *p, const char *operation) {
    uint8_t *block = (uint8_t *)p - HEADER;
    if ((uint8_t *)p < heap.first + HEADER || (uint8_t *)p >= heap.sentinel ||
        ((uintptr_t)p & 15u) != 0 || !(*header_of(block) & USED) ||
        size_of(block) < MIN_BLOCK || size_of(block) > (uint64_t)(heap.sentinel - block)) {
        char message[96];
        molt_snprintf(message, sizeof message, "%s(%p): not a live heap allocation", operation, p);
        molt_abort(MOLT_ERR_HEAP, message);
    }
    return block;
}

/* Frees `block` of `size` bytes, merging it with free neighbours. */
static void release(uint8_t *block, uint64_t size) {
    uint8_t *next = block + size;
    if (!(*header_of(next) & USED)) {
        list_remove(next);
        size += size_of(next);
    }
    if (!(*header_of(block) & PREV_USED)) {
        uint64_t prev_size = *(uint64_t *)(block - 8);
        block -= prev_size;
        list_remove(block);
        size += prev_size;
    }
    set_free(block, size);
    list_insert(block);
    *header_of(block + size) &= ~(uint64_t)PREV_USED;
}

void molt__heap_free(void *p) {
    if (!p) return;
    uint8_t *block = used_block_of(p, "free");
    *header_of(block) &= ~(uint64_t)USED;
    release(block, size_of(block));
}

void *molt__heap_realloc(void *p, size_t size) {
    if (!p) return molt__heap_alloc(size);
    if (size == 0) {
        molt__heap_free(p);
        return NULL;
    }
    uint8_t *block = used_block_of(p, "realloc");
    uint64_t need = block_size_for(size), have = size_of(block);
    if (!need) return NULL;
    uint8_t *next = block + have;
    if (need > have && !(*header_of(next) & USED) && have + size_of(next) >= need) {
        list_remove(next);
        have += size_of(next);
        *header_of(block) = have | (*header_of(block) & (USED | PREV_USED));
        *header_of(block + have) |= PREV_USED;
    }
    if (need <= have) {
        if (have - need >= MIN_BLOCK) { /* give the tail back */
            *header_of(block) = need | (*header_of(block) & (USED | PREV_USED));
            *header_of(block + need) = (have - need) | PREV_USED;
            release(block + need, have - need);
        }
        return p;
    }
    void *moved = molt__heap_alloc(size);
    if (!moved) return NULL;
    memcpy(moved, p, have - HEADER);
    molt__heap_free(p);
    return moved;
}

molt_heap_stats molt_heap_statistics(void) {
    molt_heap_stats s = {0, 0, 0, 0, 0};
    if (!heap.first) return s;
    for (uint8_t *b = heap.first; b != heap.sentinel; b = next_of(b)) {
        uint64_t size = size_of(b);
        s.capacity += size;
        if (*header_of(b) & USED) {
            s.used += size;
        } else {
            s.free += size;
            s.free_blocks++;
            if (size > s.largest_free) s.largest_free = size;
        }
    }
    return s;
}

const char *molt__heap_check(void) {
    if (!heap.first) return heap.free_list ? "free list without a heap" : NULL;
    size_t free_blocks = 0, listed = 0;
    bool prev_used = true;
    for (uint8_t *b = heap.first; b != heap.sentinel; b = next_of(b)) {
        uint64_t size = size_of(b);
        if (size < MIN_BLOCK || size % 16 != 0 || size > (uint64_t)(heap.sentinel - b))
            return "block size out of range";
        if (!!(*header_of(b) & PREV_USED) != prev_used) return "PREV_USED bit disagrees";
        bool used = *header_of(b) & USED;
        if (!used) {
            if (!prev_used) return "two adjacent free blocks";
            if (*(uint64_t *)(b + size - 8) != size) return "footer disagrees with header";
            free_blocks++;
        }
        prev_used = used;
    }
    if (!!(*header_of(heap.sentinel) & PREV_USED) != prev_used) return "sentinel PREV_USED wrong";
    for (free_block *f = heap.free_list; f; f = f->next) {
        if (*header_of((uint8_t *)f) & USED) return "used block on the free list";
        if (++listed > free_blocks) return "free list longer than the free blocks";
    }
    return listed == free_blocks ? NULL : "free block missing from the free list";
}
