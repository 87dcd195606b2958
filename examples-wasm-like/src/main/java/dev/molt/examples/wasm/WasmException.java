package dev.molt.examples.wasm;

import dev.molt.api.SandboxStatus;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A failure the WebAssembly engine reported: the module was rejected ({@link
 * WasmModuleException}) or a call trapped ({@link WasmTrapException}). Both are normal results:
 * the sandbox is left as {@link #leftIn()} says (Ready). Failures of Molt itself (a guest fault, a
 * kill, KVM) are {@link dev.molt.api.SandboxException}s.
 */
public abstract sealed class WasmException extends Exception permits WasmModuleException, WasmTrapException {

  private static final long serialVersionUID = 1L;

  private final String engineMessage;
  private final SandboxStatus leftIn;

  WasmException(String message, String engineMessage, SandboxStatus leftIn, @Nullable Throwable cause) {
    super(message + " [sandbox left " + leftIn + "]", cause);
    this.engineMessage = Objects.requireNonNull(engineMessage, "engineMessage");
    this.leftIn = Objects.requireNonNull(leftIn, "leftIn");
  }

  /**
   * The engine's own message, e.g. {@code integer divide by zero} or {@code type mismatch
   * (expected i32, found i64)}.
   *
   * @return the message
   */
  public final String engineMessage() {
    return engineMessage;
  }

  /**
   * The sandbox's status after the failure.
   *
   * @return the status (Ready: the engine reported the failure itself)
   */
  public final SandboxStatus leftIn() {
    return leftIn;
  }
}
