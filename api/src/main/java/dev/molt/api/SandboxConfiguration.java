package dev.molt.api;

import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How big a sandbox is and how it behaves: an immutable value built with {@link #builder()} (or
 * {@link #defaults()}), validated when built with messages naming the offending field.
 *
 * <p>Sizes are in bytes. Memory sizes and the stack size are multiples of the 4 KiB page;
 * the heap, the stack and both buffers must fit in guest memory together (a substrate's layout may
 * need more, and says so when it rejects a configuration).
 *
 * {@snippet class=dev.molt.api.SandboxConfigurationTest region=builder}
 */
@Value.Immutable
@Value.Style(strictBuilder = true, defaults = @Value.Immutable(copy = true))
public interface SandboxConfiguration {

  /** The guest page size all memory sizes are multiples of. */
  long PAGE_SIZE = 4096;

  /** The largest guest memory Molt accepts (64 GiB). */
  long MAX_GUEST_MEMORY = 64L << 30;

  /** The smallest input or output buffer (one page). */
  long MIN_BUFFER_SIZE = PAGE_SIZE;

  /** The longest per-call time limit (one day). */
  Duration MAX_CALL_TIME_LIMIT = Duration.ofDays(1);

  /**
   * Total guest memory. Default 16 MiB.
   *
   * @return bytes, a positive multiple of 4096, at most {@link #MAX_GUEST_MEMORY}
   */
  @Value.Default
  default long guestMemorySize() {
    return 16L << 20;
  }

  /**
   * The guest heap. Default 4 MiB.
   *
   * @return bytes, a positive multiple of 4096
   */
  @Value.Default
  default long heapSize() {
    return 4L << 20;
  }

  /**
   * The guest stack (a guard page below it is extra). Default 64 KiB.
   *
   * @return bytes, a positive multiple of 4096
   */
  @Value.Default
  default long stackSize() {
    return 64L << 10;
  }

  /**
   * The buffer the host writes call arguments into. Default 64 KiB.
   *
   * @return bytes, at least 4096
   */
  @Value.Default
  default long inputBufferSize() {
    return 64L << 10;
  }

  /**
   * The buffer the guest writes results into. Default 64 KiB.
   *
   * @return bytes, at least 4096
   */
  @Value.Default
  default long outputBufferSize() {
    return 64L << 10;
  }

  /**
   * The longest a single guest call may run before it is stopped (and the sandbox poisoned).
   * Default: none.
   *
   * @return the limit, positive and at most {@link #MAX_CALL_TIME_LIMIT}, or empty for none
   */
  Optional<Duration> callTimeLimit();

  /**
   * The most verbose guest log messages forwarded to the host. Default {@link GuestLogLevel#INFO}.
   *
   * @return the level
   */
  @Value.Default
  default GuestLogLevel guestLogLevel() {
    return GuestLogLevel.INFO;
  }

  /**
   * Checks the fields together; run by the builder.
   *
   * @throws IllegalArgumentException naming the first invalid field and why
   */
  @Value.Check
  default void validate() {
    requirePages("guestMemorySize", guestMemorySize());
    if (guestMemorySize() > MAX_GUEST_MEMORY) {
      throw new IllegalArgumentException(
          "guestMemorySize must be at most " + MAX_GUEST_MEMORY + " bytes, was " + guestMemorySize());
    }
    requirePages("heapSize", heapSize());
    requirePages("stackSize", stackSize());
    requireBuffer("inputBufferSize", inputBufferSize());
    requireBuffer("outputBufferSize", outputBufferSize());
    long needed = heapSize() + stackSize() + inputBufferSize() + outputBufferSize();
    if (needed > guestMemorySize()) {
      throw new IllegalArgumentException(
          "guestMemorySize ("
              + guestMemorySize()
              + ") is smaller than heapSize + stackSize + inputBufferSize + outputBufferSize ("
              + needed
              + ")");
    }
    callTimeLimit()
        .ifPresent(
            limit -> {
              if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("callTimeLimit must be positive, was " + limit);
              }
              if (limit.compareTo(MAX_CALL_TIME_LIMIT) > 0) {
                throw new IllegalArgumentException(
                    "callTimeLimit must be at most " + MAX_CALL_TIME_LIMIT + ", was " + limit);
              }
            });
  }

  private static void requirePages(String field, long value) {
    if (value <= 0 || value % PAGE_SIZE != 0) {
      throw new IllegalArgumentException(
          field + " must be a positive multiple of " + PAGE_SIZE + " bytes, was " + value);
    }
  }

  private static void requireBuffer(String field, long value) {
    if (value < MIN_BUFFER_SIZE || value > MAX_GUEST_MEMORY) {
      throw new IllegalArgumentException(
          field + " must be between " + MIN_BUFFER_SIZE + " and " + MAX_GUEST_MEMORY + " bytes, was " + value);
    }
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  static ImmutableSandboxConfiguration.Builder builder() {
    return ImmutableSandboxConfiguration.builder();
  }

  /**
   * The default configuration.
   *
   * @return 16 MiB memory, 4 MiB heap, 64 KiB stack and buffers, no time limit, INFO logging
   */
  static SandboxConfiguration defaults() {
    return ImmutableSandboxConfiguration.builder().build();
  }
}
