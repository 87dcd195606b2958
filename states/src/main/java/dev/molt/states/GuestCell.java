package dev.molt.states;

/**
 * An aligned 64-bit location in guest memory that the host and the running guest share, e.g. a
 * credits counter the host writes before initialisation and updates later while the guest reads
 * it. Little-endian; accesses have the memory orderings their names say. Valid as long as the
 * sandbox's substrate is open (it survives the transition from {@link UninitializedSandbox} to
 * {@link MultiUseSandbox}); afterwards every access throws {@link IllegalStateException}.
 */
public sealed interface GuestCell permits dev.molt.states.internal.SharedCell {

  /**
   * The guest-physical address of the cell.
   *
   * @return the address
   */
  long address();

  /**
   * Plain read.
   *
   * @return the value
   * @throws IllegalStateException if the sandbox was closed
   */
  long get();

  /**
   * Volatile read.
   *
   * @return the value
   * @throws IllegalStateException if the sandbox was closed
   */
  long getVolatile();

  /**
   * Volatile write: visible to the guest before any later host action.
   *
   * @param value the value
   * @throws IllegalStateException if the sandbox was closed
   */
  void setVolatile(long value);

  /**
   * Atomic add.
   *
   * @param delta the amount
   * @return the previous value
   * @throws IllegalStateException if the sandbox was closed
   */
  long getAndAdd(long delta);

  /**
   * Atomic compare-and-set.
   *
   * @param expected the expected value
   * @param value the new value
   * @return whether the cell held {@code expected}
   * @throws IllegalStateException if the sandbox was closed
   */
  boolean compareAndSet(long expected, long value);
}
