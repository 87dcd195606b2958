package dev.molt.vmm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The one place that turns a raw mapping address into a bounds-checked {@link MemorySegment}. */
final class NativeMemory {
  private NativeMemory() {}

  /**
   * A segment over {@code [address, address + size)}, valid until {@code arena} closes.
   *
   * <p>Safety: the caller passes a live mapping of at least {@code size} bytes that it owns, and
   * closes {@code arena} before unmapping it; the segment then refuses every access.
   */
  // The restricted reinterpret is the purpose of this method; the module is granted native access
  // (--enable-native-access) and the preconditions above keep every access inside the mapping.
  @SuppressWarnings("restricted")
  static MemorySegment view(long address, long size, Arena arena) {
    return MemorySegment.ofAddress(address).reinterpret(size, arena, unused -> {});
  }
}
