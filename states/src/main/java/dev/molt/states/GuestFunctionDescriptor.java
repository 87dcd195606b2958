package dev.molt.states;

import dev.molt.api.ValueType;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A function the guest registered during initialisation, as its INIT table reported it (and the
 * host validated it): its numeric id, name and signature.
 *
 * @param id the function id (its index in the guest's table), used by raw calls
 * @param name the name (1..128 bytes of UTF-8, unique in the guest)
 * @param parameters the parameter types (never void)
 * @param result the result type ({@link ValueType#VOID} for none)
 */
public record GuestFunctionDescriptor(
    int id, String name, List<ValueType> parameters, ValueType result) {

  /**
   * Copies the parameter list.
   *
   * @throws IllegalArgumentException if {@code id} is negative or a parameter is void
   */
  public GuestFunctionDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(result, "result");
    parameters = List.copyOf(parameters);
    if (id < 0) {
      throw new IllegalArgumentException("function id must not be negative: " + id);
    }
    if (parameters.contains(ValueType.VOID)) {
      throw new IllegalArgumentException(name + ": a parameter cannot be void");
    }
  }

  /**
   * The signature as the guest runtime writes it, e.g. {@code i32(i32,i32)}.
   *
   * @return the signature text
   */
  public String signature() {
    return result.wireName()
        + parameters.stream().map(ValueType::wireName).collect(Collectors.joining(",", "(", ")"));
  }

  @Override
  public String toString() {
    return name + " " + signature() + " #" + id;
  }
}
