package dev.molt.vmm.longmode;

import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestMemory;

/** Bytes to place at a guest-physical address. Immutable: the bytes are copied in and out. */
public final class MemoryWrite {
  private final String name;
  private final GuestAddress address;
  private final byte[] bytes;

  MemoryWrite(String name, GuestAddress address, byte[] bytes) {
    this.name = name;
    this.address = address;
    this.bytes = bytes.clone();
  }

  /**
   * What the bytes are.
   *
   * @return e.g. {@code "gdt"}
   */
  public String name() {
    return name;
  }

  /**
   * Where they go.
   *
   * @return the guest-physical address
   */
  public GuestAddress address() {
    return address;
  }

  /**
   * The bytes.
   *
   * @return a copy
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * How many bytes.
   *
   * @return the length
   */
  public int length() {
    return bytes.length;
  }

  /**
   * Writes the bytes.
   *
   * @param memory the guest memory
   * @throws IllegalArgumentException if the range is not mapped
   */
  public void writeTo(GuestMemory memory) {
    memory.write(address, bytes);
  }

  @Override
  public String toString() {
    return name + "@" + address + "(" + bytes.length + " bytes)";
  }
}
