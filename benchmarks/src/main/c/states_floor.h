/*
 * The floor of the `states` operations: Molt's guest ABI v1 (docs/guest-abi.md) spoken with raw
 * KVM ioctls. The guest ELF is loaded by this unit's own ELF loader; the supervisor structures
 * (GDT, IDT, TSS + I/O bitmap, fault stubs, page tables), the boot block and the ring-3 special
 * registers come from a *guest plan* file the Java side writes from states' GuestLayout and vmm's
 * LongModeImage (dev.molt.benchmarks.states.GuestPlan), so this unit does not re-derive Molt's
 * layout: StatesFloorPlanKvmTest proves the memory and registers it produces equal a real
 * UninitializedSandbox's byte for byte.
 *
 * Plan file (little-endian):
 *   0   "MOLTPLAN"        8 bytes
 *   8   u32 version = 1
 *   12  u32 write_count
 *   16  u64 memory_size, stack_top, input_addr, input_size, output_addr, output_size,
 *       image_end, boot_block_addr          (8 x u64, up to 80)
 *   80  u32 boot_block_size, u32 0
 *   88  boot_block_size bytes, padded to 8
 *   ..  struct kvm_sregs (312 bytes)
 *   ..  write_count x { u64 addr, u64 length, length bytes padded to 8 }
 */
#ifndef MOLT_STATES_FLOOR_H
#define MOLT_STATES_FLOOR_H

#include "floor.h"

/* Paths given with --guest and --plan (NULL when absent). */
extern const char *states_guest_path;
extern const char *states_plan_path;

/* Memory size of the loaded plan (0 before a states scenario's setup). */
extern uint64_t states_memory_bytes;

void setup_states_create(struct bench *b);
uint64_t op_states_create_and_evolve(struct bench *b, long i);
void setup_states_noop(struct bench *b);
uint64_t op_states_call_noop_i32(struct bench *b, long i);
void setup_states_host_call(struct bench *b);
uint64_t op_states_call_one_host_call(struct bench *b, long i);
void setup_states_echo(struct bench *b);
uint64_t op_states_echo_1mib(struct bench *b, long i);
void teardown_states(struct bench *b);

/* Writes the guest memory right before initialisation runs (plan + ELF + boot block) to
 * `image_path` and the entry registers (struct kvm_sregs, then struct kvm_regs) to
 * `registers_path`. */
void states_dump(const char *image_path, const char *registers_path);

#endif
