package dev.molt.states.internal;

import dev.molt.states.GuestCell;
import dev.molt.vmm.MemoryCell;

/** A {@link GuestCell} over vmm's memory cell. */
public final class SharedCell implements GuestCell {
  private final MemoryCell cell;

  SharedCell(MemoryCell cell) {
    this.cell = cell;
  }

  @Override
  public long address() {
    return cell.address().value();
  }

  @Override
  public long get() {
    return cell.get();
  }

  @Override
  public long getVolatile() {
    return cell.getVolatile();
  }

  @Override
  public void setVolatile(long value) {
    cell.setVolatile(value);
  }

  @Override
  public long getAndAdd(long delta) {
    return cell.getAndAdd(delta);
  }

  @Override
  public boolean compareAndSet(long expected, long value) {
    return cell.compareAndSet(expected, value);
  }

  @Override
  public String toString() {
    return "GuestCell[0x" + Long.toHexString(address()) + "]";
  }
}
