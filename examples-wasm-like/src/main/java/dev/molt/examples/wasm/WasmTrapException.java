package dev.molt.examples.wasm;

import dev.molt.api.SandboxStatus;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A WebAssembly trap: the call stopped, as the specification says, and the engine reported it.
 * The sandbox stays Ready with the module loaded (memory and globals as the trapping code left
 * them); the next call starts on clean stacks.
 */
public final class WasmTrapException extends WasmException {

  private static final long serialVersionUID = 1L;

  /** The kinds of trap, after the specification's messages. */
  public enum Kind {
    /** {@code unreachable} executed. */
    UNREACHABLE("unreachable"),
    /** Integer division or remainder by zero. */
    INTEGER_DIVIDE_BY_ZERO("integer divide by zero"),
    /** Signed division overflow, or a float-to-int conversion out of range. */
    INTEGER_OVERFLOW("integer overflow"),
    /** A NaN converted to an integer by a trapping conversion. */
    INVALID_CONVERSION_TO_INTEGER("invalid conversion to integer"),
    /** A load, store or bulk memory operation out of the memory's bounds. */
    OUT_OF_BOUNDS_MEMORY_ACCESS("out of bounds memory access"),
    /** A table access or bulk table operation out of bounds. */
    OUT_OF_BOUNDS_TABLE_ACCESS("out of bounds table access"),
    /** {@code call_indirect} through an index beyond the table. */
    UNDEFINED_ELEMENT("undefined element"),
    /** {@code call_indirect} through a null table entry. */
    UNINITIALIZED_ELEMENT("uninitialized element"),
    /** {@code call_indirect} to a function of another type. */
    INDIRECT_CALL_TYPE_MISMATCH("indirect call type mismatch"),
    /** Recursion deeper than the engine's call stack (guest code 1005). */
    CALL_STACK_EXHAUSTED("call stack exhausted"),
    /** A host function threw (guest code 1008); the Java exception is the cause. */
    HOST_FUNCTION_FAILED("host function"),
    /** Any other trap message (an engine-internal error). */
    OTHER("");

    private final String messagePrefix;

    Kind(String messagePrefix) {
      this.messagePrefix = messagePrefix;
    }

    /**
     * The kind of a trap (guest code 1004) from the engine's message.
     *
     * @param engineMessage the message
     * @return the kind, {@link #OTHER} if none matches
     */
    static Kind ofTrapMessage(String engineMessage) {
      for (Kind k : values()) {
        if (k != OTHER && k != CALL_STACK_EXHAUSTED && k != HOST_FUNCTION_FAILED
            && engineMessage.startsWith(k.messagePrefix)) {
          return k;
        }
      }
      return OTHER;
    }
  }

  private final Kind kind;
  private final String function;

  WasmTrapException(Kind kind, String function, String engineMessage, SandboxStatus leftIn, @Nullable Throwable cause) {
    super("wasm trap in " + function + ": " + engineMessage, engineMessage, leftIn, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.function = Objects.requireNonNull(function, "function");
  }

  /**
   * What trapped.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The export that was called ({@code "(instantiation)"} for a trap while loading).
   *
   * @return the export name
   */
  public String function() {
    return function;
  }
}
