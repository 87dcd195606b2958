package dev.molt.examples.wasm;

import dev.molt.api.SandboxStatus;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The engine rejected a module in {@link WasmSandbox#loadModule}: nothing was loaded, and the
 * {@link WasmSandbox} is still the caller's, Ready for another module.
 */
public final class WasmModuleException extends WasmException {

  private static final long serialVersionUID = 1L;

  /** Why the module was rejected; each reason is one of the guest's error codes. */
  public enum Reason {
    /** The bytes are not a WebAssembly binary module (guest code 1001). */
    MALFORMED(1001),
    /** The module decodes but fails validation, e.g. a type mismatch (1002). */
    INVALID(1002),
    /** An import is unknown or of another type than the host offers (1003). */
    UNLINKABLE(1003),
    /**
     * Instantiation trapped: in the start function or a segment out of bounds (1004, 1005); the
     * trap is the cause, a {@link WasmTrapException}.
     */
    UNINSTANTIABLE(1004),
    /** The engine ran out of guest heap, e.g. for a huge initial memory (1006). */
    RESOURCES_EXHAUSTED(1006);

    private final int guestCode;

    Reason(int guestCode) {
      this.guestCode = guestCode;
    }

    /**
     * The guest's error code for this reason (README, "Errors").
     *
     * @return the code
     */
    public int guestCode() {
      return guestCode;
    }
  }

  private final Reason reason;

  WasmModuleException(Reason reason, String engineMessage, SandboxStatus leftIn, @Nullable Throwable cause) {
    super(describe(reason, engineMessage), engineMessage, leftIn, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private static String describe(Reason reason, String engineMessage) {
    String what =
        switch (reason) {
          case MALFORMED -> "malformed module";
          case INVALID -> "invalid module";
          case UNLINKABLE -> "unlinkable module";
          case UNINSTANTIABLE -> "module trapped while instantiating";
          case RESOURCES_EXHAUSTED -> "module needs more than the engine can allocate";
        };
    return what + ": " + engineMessage;
  }

  /**
   * Why the module was rejected.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
