package dev.molt.examples.wasm;

import java.util.List;
import java.util.Objects;

/**
 * A Java function a module may import as {@code (import "<module>" "<name>" (func ...))}. The
 * module's import must have exactly {@link #type()}, or loading it fails with {@link
 * WasmModuleException.Reason#UNLINKABLE}. Build them with {@link WasmImports.Builder}.
 *
 * @param module the import's module name
 * @param name the import's field name
 * @param type the function type the module must import it with
 * @param body what it does
 */
public record WasmHostFunction(String module, String name, WasmFunctionType type, Body body) {

  /** The body of a host function. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the function. An exception makes the WebAssembly call that called it trap with {@link
     * WasmTrapException.Kind#HOST_FUNCTION_FAILED}, the exception being the trap's cause.
     *
     * @param arguments the arguments, already checked against the parameter types
     * @return the results, of the result types (an empty list for none)
     * @throws Exception any failure
     */
    List<WasmValue> call(List<WasmValue> arguments) throws Exception;
  }

  /**
   * Validates the components.
   *
   * @throws NullPointerException if a component is null
   */
  public WasmHostFunction {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return module + "." + name + type;
  }
}
