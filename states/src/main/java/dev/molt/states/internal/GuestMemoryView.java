package dev.molt.states.internal;

import dev.molt.states.GuestCell;
import dev.molt.states.GuestMemoryAccess;
import dev.molt.states.GuestMemoryRangeException;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestMemory;
import java.util.Objects;

/** The {@link GuestMemoryAccess} of a substrate: one range check in front of vmm's memory. */
public final class GuestMemoryView implements GuestMemoryAccess {
  private final GuestMemory memory;
  private final long first;
  private final long end;

  GuestMemoryView(GuestMemory memory, long first, long end) {
    this.memory = memory;
    this.first = first;
    this.end = end;
  }

  @Override
  public long firstAddress() {
    return first;
  }

  @Override
  public long endAddress() {
    return end;
  }

  private GuestAddress check(long address, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    if (Long.compareUnsigned(address, first) < 0) {
      throw new GuestMemoryRangeException(
          address, length, first, end, "starts below the guest image (null page, supervisor area, boot block)");
    }
    if (Long.compareUnsigned(address, end) > 0 || length > end - address) {
      throw new GuestMemoryRangeException(
          address, length, first, end, "runs past the end of guest memory");
    }
    return GuestAddress.of(address);
  }

  @Override
  public void write(long address, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    memory.write(check(address, bytes.length), bytes);
  }

  @Override
  public byte[] read(long address, int length) {
    return memory.read(check(address, length), length);
  }

  @Override
  public void writeInt(long address, int value) {
    memory.writeInt(check(address, 4), value);
  }

  @Override
  public int readInt(long address) {
    return memory.readInt(check(address, 4));
  }

  @Override
  public void writeLong(long address, long value) {
    memory.writeLong(check(address, 8), value);
  }

  @Override
  public long readLong(long address) {
    return memory.readLong(check(address, 8));
  }

  @Override
  public GuestCell cell(long address) {
    GuestAddress at = check(address, 8);
    if ((address & 7) != 0) {
      throw new IllegalArgumentException(
          "a guest cell must be 8-byte aligned: 0x" + Long.toHexString(address));
    }
    return new SharedCell(memory.cell(at));
  }

  @Override
  public String toString() {
    return "GuestMemoryAccess[0x%x, 0x%x)".formatted(first, end);
  }
}
