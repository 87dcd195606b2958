package dev.molt.vmm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * The guest-physical memory of one {@link VirtualMachine}: bounds-checked access by {@link
 * GuestAddress}. Every access must lie inside one memory region; integers are little-endian. Host
 * writes bypass {@code KVM_MEM_READONLY} (that flag only stops the guest). Every write marks the
 * pages it touches in the region's host-dirty bitmap (see {@link VirtualMachine#takeDirtyPages()}),
 * so snapshots restore host writes as well as guest writes. Thread-safe; accesses
 * racing with the removal of their region throw {@link IllegalStateException}, never touch
 * unmapped memory.
 */
public final class GuestMemory {
  private static final ValueLayout.OfShort SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final VirtualMachine owner;

  GuestMemory(VirtualMachine owner) {
    this.owner = owner;
  }

  /**
   * The regions, ordered by base address.
   *
   * @return an immutable snapshot
   * @throws IllegalStateException if the VM is closed
   */
  public List<MemoryRegion> regions() {
    return owner.regions();
  }

  /**
   * Whether {@code [address, address + length)} lies inside one region.
   *
   * @param address the first address
   * @param length the length in bytes
   * @return whether an access there would succeed
   * @throws IllegalStateException if the VM is closed
   */
  public boolean isMapped(GuestAddress address, long length) {
    Objects.requireNonNull(address, "address");
    for (MemoryRegion region : owner.regions()) {
      if (region.contains(address, length)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The one range check every access goes through: the region holding {@code [address,
   * address+length)}.
   */
  private MemoryRegion locate(GuestAddress address, long length) {
    Objects.requireNonNull(address, "address");
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    for (MemoryRegion region : owner.regions()) {
      if (region.contains(address, length)) {
        return region;
      }
    }
    String end;
    try {
      end = address.plus(length).toString();
    } catch (ArithmeticException e) {
      end = "beyond 2^64";
    }
    throw new IllegalArgumentException(
        "guest range ["
            + address
            + ", "
            + end
            + ") is not inside one memory region; regions: "
            + owner.regions());
  }

  /** The segment slice for reading {@code [address, address+length)}. */
  private MemorySegment slice(GuestAddress address, long length) {
    MemoryRegion region = locate(address, length);
    // In bounds: locate() checked offset + length <= region size.
    return region.segment().asSlice(address.offsetFrom(region.base()), length);
  }

  /**
   * Writes through {@code write} to the slice for {@code [address, address+length)}, then marks
   * the pages host-dirty (after the write: a harvest that sees the mark also sees the data).
   */
  private void write(GuestAddress address, long length, java.util.function.Consumer<MemorySegment> write) {
    MemoryRegion region = locate(address, length);
    long offset = address.offsetFrom(region.base());
    // In bounds: locate() checked offset + length <= region size.
    write.accept(region.segment().asSlice(offset, length));
    region.markHostWrite(offset, length);
  }

  /**
   * Copies bytes out of guest memory.
   *
   * @param address the first address
   * @param length how many bytes
   * @return a new array
   * @throws IllegalArgumentException if the range is not inside one region or length is negative
   */
  public byte[] read(GuestAddress address, int length) {
    MemorySegment source = slice(address, length);
    return source.toArray(ValueLayout.JAVA_BYTE);
  }

  /**
   * Copies bytes out of guest memory into {@code target} (no allocation).
   *
   * @param address the first address
   * @param target where to copy
   * @param offset the first index of {@code target} written
   * @param length how many bytes
   * @throws IllegalArgumentException if the range is not inside one region or length is negative
   * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside {@code
   *     target}
   */
  public void read(GuestAddress address, byte[] target, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, target.length);
    MemorySegment source = slice(address, length);
    MemorySegment.copy(source, ValueLayout.JAVA_BYTE, 0, target, offset, length);
  }

  /**
   * Copies {@code bytes} into guest memory.
   *
   * @param address the first address
   * @param bytes the data
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public void write(GuestAddress address, byte[] bytes) {
    write(
        address,
        bytes.length,
        target -> MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, 0, bytes.length));
  }

  /**
   * Sets {@code length} bytes to {@code value}.
   *
   * @param address the first address
   * @param length how many bytes
   * @param value the byte
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public void fill(GuestAddress address, long length, byte value) {
    write(address, length, target -> target.fill(value));
  }

  /**
   * Reads one byte.
   *
   * @param address the address
   * @return the byte
   * @throws IllegalArgumentException if the address is not mapped
   */
  public byte readByte(GuestAddress address) {
    return slice(address, 1).get(ValueLayout.JAVA_BYTE, 0);
  }

  /**
   * Writes one byte.
   *
   * @param address the address
   * @param value the byte
   * @throws IllegalArgumentException if the address is not mapped
   */
  public void writeByte(GuestAddress address, byte value) {
    write(address, 1, target -> target.set(ValueLayout.JAVA_BYTE, 0, value));
  }

  /**
   * Reads a little-endian 16-bit integer (any alignment).
   *
   * @param address the address
   * @return the value
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public short readShort(GuestAddress address) {
    return slice(address, 2).get(SHORT, 0);
  }

  /**
   * Writes a little-endian 16-bit integer (any alignment).
   *
   * @param address the address
   * @param value the value
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public void writeShort(GuestAddress address, short value) {
    write(address, 2, target -> target.set(SHORT, 0, value));
  }

  /**
   * Reads a little-endian 32-bit integer (any alignment).
   *
   * @param address the address
   * @return the value
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public int readInt(GuestAddress address) {
    return slice(address, 4).get(INT, 0);
  }

  /**
   * Writes a little-endian 32-bit integer (any alignment).
   *
   * @param address the address
   * @param value the value
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public void writeInt(GuestAddress address, int value) {
    write(address, 4, target -> target.set(INT, 0, value));
  }

  /**
   * Reads a little-endian 64-bit integer (any alignment, plain access).
   *
   * @param address the address
   * @return the value
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public long readLong(GuestAddress address) {
    return slice(address, 8).get(LONG, 0);
  }

  /**
   * Writes a little-endian 64-bit integer (any alignment, plain access).
   *
   * @param address the address
   * @param value the value
   * @throws IllegalArgumentException if the range is not inside one region
   */
  public void writeLong(GuestAddress address, long value) {
    write(address, 8, target -> target.set(LONG, 0, value));
  }

  /**
   * A 64-bit cell for memory-ordered access shared with a running guest.
   *
   * @param address an 8-byte aligned address
   * @return the cell
   * @throws IllegalArgumentException if the address is not 8-byte aligned or not mapped
   */
  public MemoryCell cell(GuestAddress address) {
    if (!address.isAligned(8)) {
      throw new IllegalArgumentException("a memory cell must be 8-byte aligned: " + address);
    }
    MemoryRegion region = locate(address, 8);
    long offset = address.offsetFrom(region.base());
    // In bounds: locate() checked offset + 8 <= region size.
    return new MemoryCell(address, region, offset, region.segment().asSlice(offset, 8));
  }
}
