package dev.molt.states;


/**
 * Bounds-checked access to a sandbox's guest memory by guest-physical address (identity-mapped:
 * the address a guest pointer holds). For writing boot data before initialisation (e.g. into a
 * global of the guest image, whose address the guest author knows) and reading results the
 * guest left in memory. No raw pointer is ever handed out.
 *
 * <p>The host may access {@code [firstAddress(), endAddress())}: the guest image and everything
 * after it (stack, buffers, heap). The supervisor structures, the null page and the boot block
 * below {@code 0x200000} are refused. Every access must lie entirely inside that range; an access
 * outside throws {@link GuestMemoryRangeException}. Integers are little-endian. After the sandbox
 * is closed every access throws {@link IllegalStateException}.
 *
 * <p>Writing while a guest call runs on another thread races with the guest; use a {@link
 * GuestCell} for values the guest and host share.
 */
public sealed interface GuestMemoryAccess permits dev.molt.states.internal.GuestMemoryView {

  /**
   * The lowest address the host may access (the guest image's link address).
   *
   * @return {@code 0x200000}
   */
  long firstAddress();

  /**
   * The first address after the accessible range (the guest memory size).
   *
   * @return the end
   */
  long endAddress();

  /**
   * Copies bytes into guest memory.
   *
   * @param address the first guest-physical address
   * @param bytes the data
   * @throws GuestMemoryRangeException if the range is not accessible
   */
  void write(long address, byte[] bytes);

  /**
   * Copies bytes out of guest memory.
   *
   * @param address the first guest-physical address
   * @param length how many bytes
   * @return a new array
   * @throws GuestMemoryRangeException if the range is not accessible
   */
  byte[] read(long address, int length);

  /**
   * Writes a little-endian 32-bit integer.
   *
   * @param address the guest-physical address
   * @param value the value
   * @throws GuestMemoryRangeException if the range is not accessible
   */
  void writeInt(long address, int value);

  /**
   * Reads a little-endian 32-bit integer.
   *
   * @param address the guest-physical address
   * @return the value
   * @throws GuestMemoryRangeException if the range is not accessible
   */
  int readInt(long address);

  /**
   * Writes a little-endian 64-bit integer.
   *
   * @param address the guest-physical address
   * @param value the value
   * @throws GuestMemoryRangeException if the range is not accessible
   */
  void writeLong(long address, long value);

  /**
   * Reads a little-endian 64-bit integer.
   *
   * @param address the guest-physical address
   * @return the value
   * @throws GuestMemoryRangeException if the range is not accessible
   */
  long readLong(long address);

  /**
   * A 64-bit cell shared with the guest (volatile and atomic access).
   *
   * @param address an 8-byte aligned guest-physical address
   * @return the cell
   * @throws GuestMemoryRangeException if the range is not accessible
   * @throws IllegalArgumentException if the address is not 8-byte aligned
   */
  GuestCell cell(long address);
}
