package dev.molt.examples.wasm;

import java.util.Objects;

/** An export of the loaded module, as {@link LoadedWasmSandbox#exports()} lists them. */
public sealed interface WasmExport
    permits WasmExport.Function, WasmExport.Global, WasmExport.Table, WasmExport.Memory {

  /**
   * The export's name (any UTF-8 string, possibly empty).
   *
   * @return the name
   */
  String name();

  /**
   * An exported function.
   *
   * @param name the export name
   * @param type its type
   */
  record Function(String name, WasmFunctionType type) implements WasmExport {
    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is null
     */
    public Function {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * An exported global.
   *
   * @param name the export name
   * @param type its value type
   */
  record Global(String name, WasmType type) implements WasmExport {
    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is null
     */
    public Global {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * An exported table.
   *
   * @param name the export name
   */
  record Table(String name) implements WasmExport {
    /**
     * Validates the component.
     *
     * @throws NullPointerException if the name is null
     */
    public Table {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * An exported memory.
   *
   * @param name the export name
   */
  record Memory(String name) implements WasmExport {
    /**
     * Validates the component.
     *
     * @throws NullPointerException if the name is null
     */
    public Memory {
      Objects.requireNonNull(name, "name");
    }
  }
}
