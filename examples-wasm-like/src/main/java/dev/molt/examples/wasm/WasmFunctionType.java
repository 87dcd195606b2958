package dev.molt.examples.wasm;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The type of a WebAssembly function: parameter and result types (several results are allowed).
 *
 * @param parameters the parameter types, in order
 * @param results the result types, in order
 */
public record WasmFunctionType(List<WasmType> parameters, List<WasmType> results) {

  /** The most parameters or results a function may have at the guest interface. */
  public static final int MAX_VALUES = 64;

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_VALUES} parameters or
   *     results
   */
  public WasmFunctionType {
    parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
    results = List.copyOf(Objects.requireNonNull(results, "results"));
    if (parameters.size() > MAX_VALUES || results.size() > MAX_VALUES) {
      throw new IllegalArgumentException(
          "a function has at most " + MAX_VALUES + " parameters and " + MAX_VALUES + " results here, got "
              + parameters.size() + " and " + results.size());
    }
  }

  /**
   * A function type.
   *
   * @param parameters the parameter types
   * @param results the result types
   * @return the type
   * @throws IllegalArgumentException if there are too many parameters or results
   */
  public static WasmFunctionType of(List<WasmType> parameters, List<WasmType> results) {
    return new WasmFunctionType(parameters, results);
  }

  /**
   * A function type with the given parameters and no results; add them with {@link #returning}.
   *
   * @param parameters the parameter types
   * @return the type
   */
  public static WasmFunctionType params(WasmType... parameters) {
    return new WasmFunctionType(List.of(parameters), List.of());
  }

  /**
   * This type with {@code results} as its results.
   *
   * @param results the result types
   * @return a new type
   */
  public WasmFunctionType returning(WasmType... results) {
    return new WasmFunctionType(parameters, List.of(results));
  }

  /**
   * Checks that {@code arguments} fit the parameters.
   *
   * @param what the function, for the message
   * @param arguments the values
   * @throws IllegalArgumentException naming the first mismatch (count or type)
   */
  void requireArguments(String what, List<WasmValue> arguments) {
    requireValues(what + " takes " + this + ";", "argument", parameters, arguments);
  }

  /**
   * Checks that {@code values} fit the results.
   *
   * @param what the function, for the message
   * @param values the values
   * @throws IllegalArgumentException naming the first mismatch (count or type)
   */
  void requireResults(String what, List<WasmValue> values) {
    requireValues(what + " returns " + this + ";", "result", results, values);
  }

  private static void requireValues(String prefix, String noun, List<WasmType> types, List<WasmValue> values) {
    if (values.size() != types.size()) {
      throw new IllegalArgumentException(
          prefix + " " + types.size() + " " + noun + "(s) expected, got " + values.size() + ": " + values);
    }
    for (int i = 0; i < types.size(); i++) {
      WasmValue v = Objects.requireNonNull(values.get(i), noun + " " + i);
      if (v.type() != types.get(i)) {
        throw new IllegalArgumentException(
            prefix + " " + noun + " " + i + " must be " + types.get(i) + ", got " + v);
      }
    }
  }

  /**
   * The guest's text form: {@code "i32,i32 i64"}, {@code "-"} for none.
   *
   * @return the wire form
   */
  String wireForm() {
    return wire(parameters) + " " + wire(results);
  }

  private static String wire(List<WasmType> types) {
    return types.isEmpty() ? "-" : types.stream().map(WasmType::textName).collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return "(" + types(parameters) + ") -> (" + types(results) + ")";
  }

  private static String types(List<WasmType> types) {
    return types.stream().map(WasmType::textName).collect(Collectors.joining(", "));
  }
}
