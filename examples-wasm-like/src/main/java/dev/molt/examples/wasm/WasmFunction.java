package dev.molt.examples.wasm;

import dev.molt.api.SandboxException;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.mustcall.qual.NotOwning;

/**
 * An exported function resolved once ({@link LoadedWasmSandbox#function}): its name and type are
 * known, so each call only checks and encodes its arguments. Calls go through the state that
 * resolved it and fail with {@link dev.molt.api.SandboxConsumedException} once that state is
 * consumed (the module was unloaded).
 *
 * {@snippet :
 * WasmFunction fib = loaded.function("fib");
 * int fib20 = fib.callSingle(WasmValue.i32(20)).asI32();
 * }
 */
public final class WasmFunction {

  private final @NotOwning LoadedWasmSandbox owner;
  private final WasmExport.Function export;

  WasmFunction(@NotOwning LoadedWasmSandbox owner, WasmExport.Function export) {
    this.owner = owner;
    this.export = export;
  }

  /**
   * The export name.
   *
   * @return the name
   */
  public String name() {
    return export.name();
  }

  /**
   * The function's type.
   *
   * @return the type
   */
  public WasmFunctionType type() {
    return export.type();
  }

  /**
   * Calls the function.
   *
   * @param arguments one per parameter, of the parameter's type
   * @return the results
   * @throws IllegalArgumentException if the arguments do not match the parameters
   * @throws WasmTrapException if the call trapped (the sandbox stays Ready)
   * @throws SandboxException if the guest exited abnormally (Poisoned) or KVM failed
   * @throws dev.molt.api.SandboxConsumedException if the state that resolved it was consumed
   */
  public List<WasmValue> call(WasmValue... arguments) throws WasmTrapException, SandboxException {
    Objects.requireNonNull(arguments, "arguments");
    return owner.invoke(export, List.of(arguments));
  }

  /**
   * Calls a function of exactly one result and returns it.
   *
   * @param arguments one per parameter, of the parameter's type
   * @return the result
   * @throws IllegalStateException if the function does not have exactly one result
   * @throws IllegalArgumentException if the arguments do not match the parameters
   * @throws WasmTrapException if the call trapped (the sandbox stays Ready)
   * @throws SandboxException if the guest exited abnormally (Poisoned) or KVM failed
   */
  public WasmValue callSingle(WasmValue... arguments) throws WasmTrapException, SandboxException {
    if (export.type().results().size() != 1) {
      throw new IllegalStateException(
          "\"" + name() + "\" returns " + export.type().results().size() + " values " + export.type()
              + "; use call()");
    }
    return call(arguments).getFirst();
  }

  @Override
  public String toString() {
    return "WasmFunction[" + name() + type() + "]";
  }
}
