package dev.molt.examples.wasm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Java host functions a sandbox offers to the modules it loads, fixed when the sandbox is
 * created ({@link ProtoWasmSandbox#create(WasmImports)}). Immutable.
 *
 * {@snippet :
 * WasmImports imports = WasmImports.builder()
 *     .function("env", "log", WasmFunctionType.params(WasmType.I32), args -> {
 *       System.out.println("module says " + args.getFirst().asI32());
 *       return List.of();
 *     })
 *     .build();
 * }
 */
public final class WasmImports {

  /** The most host functions one sandbox offers. */
  public static final int MAX_FUNCTIONS = 256;

  /** The longest module or field name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 1024;

  private static final WasmImports NONE = new WasmImports(List.of());

  private final List<WasmHostFunction> functions;

  private WasmImports(List<WasmHostFunction> functions) {
    this.functions = List.copyOf(functions);
  }

  /**
   * No host functions: modules may import only from {@code spectest}.
   *
   * @return the empty set
   */
  public static WasmImports none() {
    return NONE;
  }

  /**
   * A builder.
   *
   * @return a new, empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The host functions, in the order they were added (a function's index is its position).
   *
   * @return an immutable list
   */
  public List<WasmHostFunction> functions() {
    return functions;
  }

  @Override
  public String toString() {
    return "WasmImports" + functions;
  }

  /** Collects host functions; rejects a second function of the same module and name. */
  public static final class Builder {
    private final Map<String, WasmHostFunction> byName = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a host function.
     *
     * @param module the import's module name
     * @param name the import's field name
     * @param type the function type the module must import it with
     * @param body what it does
     * @return this builder
     * @throws IllegalArgumentException if a function of that module and name was added, a name
     *     is longer than {@link #MAX_NAME_BYTES} UTF-8 bytes, or {@link #MAX_FUNCTIONS} were added
     */
    public Builder function(String module, String name, WasmFunctionType type, WasmHostFunction.Body body) {
      return function(new WasmHostFunction(module, name, type, body));
    }

    /**
     * Adds a host function.
     *
     * @param function the function
     * @return this builder
     * @throws IllegalArgumentException as {@link #function(String, String, WasmFunctionType,
     *     WasmHostFunction.Body)}
     */
    public Builder function(WasmHostFunction function) {
      Objects.requireNonNull(function, "function");
      requireName("module", function.module());
      requireName("name", function.name());
      String key = function.module() + "\u0000" + function.name();
      WasmHostFunction earlier = byName.get(key);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "host function " + function.module() + "." + function.name() + " is already defined as " + earlier);
      }
      if (byName.size() == MAX_FUNCTIONS) {
        throw new IllegalArgumentException("at most " + MAX_FUNCTIONS + " host functions per sandbox");
      }
      byName.put(key, function);
      return this;
    }

    /**
     * Adds a host function of one {@code i32} result from an {@code int} function of {@code i32}
     * arguments, for the common case.
     *
     * @param module the import's module name
     * @param name the import's field name
     * @param parameters how many {@code i32} parameters
     * @param body computes the result from the arguments
     * @return this builder
     * @throws IllegalArgumentException as {@link #function(WasmHostFunction)}
     */
    public Builder i32Function(String module, String name, int parameters, Function<int[], Integer> body) {
      Objects.requireNonNull(body, "body");
      if (parameters < 0 || parameters > WasmFunctionType.MAX_VALUES) {
        throw new IllegalArgumentException("parameters must be 0.." + WasmFunctionType.MAX_VALUES + ", got " + parameters);
      }
      List<WasmType> params = new ArrayList<>();
      for (int i = 0; i < parameters; i++) {
        params.add(WasmType.I32);
      }
      return function(
          module,
          name,
          WasmFunctionType.of(params, List.of(WasmType.I32)),
          args -> List.of(WasmValue.i32(body.apply(args.stream().mapToInt(WasmValue::asI32).toArray()))));
    }

    /**
     * Adds a host function with no results that consumes its arguments.
     *
     * @param module the import's module name
     * @param name the import's field name
     * @param type the function type; must have no results
     * @param body what it does with the arguments
     * @return this builder
     * @throws IllegalArgumentException if {@code type} has results, or as {@link
     *     #function(WasmHostFunction)}
     */
    public Builder procedure(String module, String name, WasmFunctionType type, Consumer<List<WasmValue>> body) {
      Objects.requireNonNull(body, "body");
      if (!Objects.requireNonNull(type, "type").results().isEmpty()) {
        throw new IllegalArgumentException("a procedure has no results, but the type is " + type);
      }
      return function(module, name, type, args -> {
        body.accept(args);
        return List.of();
      });
    }

    /**
     * The imports.
     *
     * @return an immutable value
     */
    public WasmImports build() {
      return byName.isEmpty() ? NONE : new WasmImports(new ArrayList<>(byName.values()));
    }

    private static void requireName(String what, String name) {
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw new IllegalArgumentException(what + " '" + name.substring(0, 40) + "…' is longer than "
            + MAX_NAME_BYTES + " UTF-8 bytes");
      }
    }
  }
}
