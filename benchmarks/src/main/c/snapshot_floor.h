/*
 * The floor of Molt's snapshot operations (issue #6): capture, restore after 1/16/256 dirtied
 * pages, a VM created copy-on-write from an image, and saving/loading a snapshot file. Each does
 * the KVM and file work Molt's vmm / states do for the same operation, with raw system calls, and
 * verifies its result (benchmarks/README.md, "Snapshot scenarios"). floor.c lists them in its
 * scenario table; this unit keeps its own /dev/kvm descriptor and helpers so that it depends on
 * nothing in floor.c but the table's function types.
 */
#ifndef MOLT_SNAPSHOT_FLOOR_H
#define MOLT_SNAPSHOT_FLOOR_H

#include <stdint.h>

struct bench; /* floor.c's per-run state; these scenarios keep theirs in snapshot_floor.c */

/* Guest-physical layout of the snapshot scenarios inside the reference 16 MiB layout. */
#define SNAP_DIRTY_ENTRY  0x100100u   /* the page-dirtying user code (SNAP_DIRTY_CODE) */
#define SNAP_DATA_BASE    0x400000u   /* first of the SNAP_DATA_PAGES data pages */
#define SNAP_DATA_PAGES   256u
#define SNAP_DATA_VALUE   0x5A5A000000000000ull  /* + k: first qword of data page k */
/* Pages a snapshot of the reference VM holds: 17 layout pages, the user code page, the data pages. */
#define SNAP_POPULATED    (17u + 1u + SNAP_DATA_PAGES)
#define SNAP_XMM0         0x0000C0FFEE000000ull  /* low qword of xmm0 in the snapshot */

void snap_setup_snapshot(struct bench *b);
uint64_t snap_op_snapshot(struct bench *b, long i);
void snap_setup_restore_1(struct bench *b);
void snap_setup_restore_16(struct bench *b);
void snap_setup_restore_256(struct bench *b);
uint64_t snap_op_restore(struct bench *b, long i);
void snap_setup_create(struct bench *b);
uint64_t snap_op_create(struct bench *b, long i);
void snap_setup_save(struct bench *b);
uint64_t snap_op_save(struct bench *b, long i);
void snap_setup_load(struct bench *b);
uint64_t snap_op_load(struct bench *b, long i);
void snap_teardown(struct bench *b);

#endif
