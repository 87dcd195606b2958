package dev.molt.vmm;

import dev.molt.vmm.internal.sys.Sys;
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

  /**
   * A read-only segment over the mapping {@code [address, address + size)} that this segment owns:
   * when it becomes unreachable the mapping is removed and {@code fd} (if not negative) closed.
   *
   * <p>Safety: the caller passes a live mapping it hands over entirely (no other reference to the
   * address may be used afterwards).
   */
  // Restricted reinterpret, as above; the cleanup action captures only primitives, so the
  // segment's reachability alone decides when the mapping goes.
  @SuppressWarnings("restricted")
  static MemorySegment owned(long address, long size, int fd) {
    return MemorySegment.ofAddress(address)
        .reinterpret(
            size,
            Arena.ofAuto(),
            unused -> {
              Sys.libc().munmap(address, size);
              if (fd >= 0) {
                Sys.libc().close(fd);
              }
            })
        .asReadOnly();
  }

  /**
   * An empty segment whose only job is to close {@code fd} when it becomes unreachable.
   *
   * <p>Safety: the caller hands the descriptor over entirely. The segment has no bytes.
   */
  // Restricted reinterpret of the NULL segment to zero bytes: nothing can be accessed through it;
  // it exists for its cleanup action, which captures only the descriptor number.
  @SuppressWarnings("restricted")
  static MemorySegment ownedDescriptor(int fd) {
    return MemorySegment.NULL.reinterpret(0, Arena.ofAuto(), unused -> Sys.libc().close(fd));
  }
}
