package dev.molt.vmm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * An aligned little-endian 64-bit location in guest memory that the host and a running guest may
 * both access, with the memory orderings of {@link VarHandle}. Obtained from {@link
 * GuestMemory#cell(GuestAddress)}. Accessing it after its region was removed throws {@link
 * IllegalStateException}. Every write marks the cell's page host-dirty (see {@link
 * VirtualMachine#takeDirtyPages()}).
 */
public final class MemoryCell {
  // x86-64 is little-endian, so the native-order aligned layout is the guest's byte order.
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private final GuestAddress address;
  private final MemoryRegion region;
  private final long offset;
  private final MemorySegment segment;

  MemoryCell(GuestAddress address, MemoryRegion region, long offset, MemorySegment segment) {
    this.address = address;
    this.region = region;
    this.offset = offset;
    this.segment = segment;
  }

  /** Marks the cell's page host-dirty; called after each write. */
  private void written() {
    region.markHostWrite(offset, 8);
  }

  /**
   * The guest-physical address.
   *
   * @return the address
   */
  public GuestAddress address() {
    return address;
  }

  /**
   * Plain read.
   *
   * @return the value
   */
  public long get() {
    return (long) LONG.get(segment, 0L);
  }

  /**
   * Plain write.
   *
   * @param value the value
   */
  public void set(long value) {
    LONG.set(segment, 0L, value);
    written();
  }

  /**
   * Volatile read.
   *
   * @return the value
   */
  public long getVolatile() {
    return (long) LONG.getVolatile(segment, 0L);
  }

  /**
   * Volatile write.
   *
   * @param value the value
   */
  public void setVolatile(long value) {
    LONG.setVolatile(segment, 0L, value);
    written();
  }

  /**
   * Acquire read.
   *
   * @return the value
   */
  public long getAcquire() {
    return (long) LONG.getAcquire(segment, 0L);
  }

  /**
   * Release write.
   *
   * @param value the value
   */
  public void setRelease(long value) {
    LONG.setRelease(segment, 0L, value);
    written();
  }

  /**
   * Atomic compare-and-set.
   *
   * @param expected the expected value
   * @param value the new value
   * @return whether the cell held {@code expected} and now holds {@code value}
   */
  public boolean compareAndSet(long expected, long value) {
    boolean set = LONG.compareAndSet(segment, 0L, expected, value);
    if (set) {
      written();
    }
    return set;
  }

  /**
   * Atomic add.
   *
   * @param delta the amount to add
   * @return the previous value
   */
  public long getAndAdd(long delta) {
    long previous = (long) LONG.getAndAdd(segment, 0L, delta);
    written();
    return previous;
  }

  @Override
  public String toString() {
    return "MemoryCell[" + address + "]";
  }
}
