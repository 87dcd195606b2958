package dev.molt.api;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The parameter and result types of a host function, e.g. {@code (string, i32) -> bool}. A
 * snapshot records the signatures registered when it was taken; a sandbox created from it must
 * offer equal ones.
 *
 * @param parameters the parameter types, in order; never {@link ValueType#VOID}
 * @param result the result type; {@link ValueType#VOID} for none
 */
public record HostFunctionSignature(ImmutableList<ValueType> parameters, ValueType result)
    implements Serializable {

  /** The most parameters a host function may take. */
  public static final int MAX_PARAMETERS = 32;

  /**
   * Validates the components.
   *
   * @param parameters the parameter types
   * @param result the result type
   * @throws IllegalArgumentException if a parameter is void or there are more than {@link
   *     #MAX_PARAMETERS}
   */
  public HostFunctionSignature {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(result, "result");
    if (parameters.size() > MAX_PARAMETERS) {
      throw new IllegalArgumentException(
          "a host function takes at most " + MAX_PARAMETERS + " parameters, got " + parameters.size());
    }
    for (int i = 0; i < parameters.size(); i++) {
      if (parameters.get(i) == ValueType.VOID) {
        throw new IllegalArgumentException("parameter " + i + " is void: void is only valid as a result type");
      }
    }
  }

  /**
   * A signature.
   *
   * @param result the result type
   * @param parameters the parameter types, in order
   * @return the signature
   * @throws IllegalArgumentException if a parameter is void or there are too many
   */
  public static HostFunctionSignature of(ValueType result, ValueType... parameters) {
    return new HostFunctionSignature(ImmutableList.copyOf(parameters), result);
  }

  /**
   * A signature.
   *
   * @param result the result type
   * @param parameters the parameter types, in order
   * @return the signature
   * @throws IllegalArgumentException if a parameter is void or there are too many
   */
  public static HostFunctionSignature of(ValueType result, List<ValueType> parameters) {
    return new HostFunctionSignature(ImmutableList.copyOf(parameters), result);
  }

  @Override
  public String toString() {
    return parameters.stream().map(ValueType::wireName).collect(Collectors.joining(", ", "(", ")"))
        + " -> "
        + result.wireName();
  }
}
