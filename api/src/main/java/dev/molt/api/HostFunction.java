package dev.molt.api;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Java function the guest may call: a name, a {@link HostFunctionSignature} and a body.
 * Immutable; registered in a {@link HostFunctions} registry.
 *
 * {@snippet class=dev.molt.api.HostFunctionsTest region=define}
 */
public final class HostFunction {

  /** Names: an identifier of at most 128 characters (letters, digits, '_', '.'). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");

  /** The body of a host function. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the function.
     *
     * @param arguments the arguments, already checked against the signature
     * @return the result, of the Java type of the signature's result ({@code null} for void)
     * @throws Exception any failure; the guest receives an error result
     */
    @Nullable Object call(List<@Nullable Object> arguments) throws Exception;
  }

  /** The name the guest calls it by. */
  private final String name;

  /** Parameter and result types. */
  private final HostFunctionSignature signature;

  /** What it does. */
  private final Body body;

  private HostFunction(String name, HostFunctionSignature signature, Body body) {
    this.name = name;
    this.signature = signature;
    this.body = body;
  }

  /**
   * A host function.
   *
   * @param name the name the guest calls it by: a letter or '_' then up to 127 letters, digits,
   *     '_' or '.'
   * @param signature its parameter and result types
   * @param body what it does
   * @return the function
   * @throws IllegalArgumentException if the name is not a valid identifier
   */
  public static HostFunction of(String name, HostFunctionSignature signature, Body body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(body, "body");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "host function name '" + name + "' is invalid: use a letter or '_' followed by up to 127"
              + " letters, digits, '_' or '.'");
    }
    return new HostFunction(name, signature, body);
  }

  /**
   * The name the guest calls it by.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Its parameter and result types.
   *
   * @return the signature
   */
  public HostFunctionSignature signature() {
    return signature;
  }

  /**
   * Calls the function with arguments checked against its signature, and checks its result.
   *
   * @param arguments the arguments, of the Java types of the signature's parameters
   * @return the result ({@code null} for void)
   * @throws IllegalArgumentException if the arguments do not match the signature (count or type)
   * @throws HostFunctionFailedException if the body threw, or returned a value of the wrong type;
   *     the exception says the sandbox is left Ready
   */
  public @Nullable Object invoke(List<? extends @Nullable Object> arguments)
      throws HostFunctionFailedException {
    Objects.requireNonNull(arguments, "arguments");
    ImmutableList<ValueType> params = signature.parameters();
    if (arguments.size() != params.size()) {
      throw new IllegalArgumentException(
          "host function '" + name + signature + "' takes " + params.size() + " arguments, got "
              + arguments.size());
    }
    for (int i = 0; i < params.size(); i++) {
      Object a = arguments.get(i);
      if (!params.get(i).accepts(a)) {
        throw new IllegalArgumentException(
            "argument " + i + " of host function '" + name + "' must be " + params.get(i) + ", got "
                + (a == null ? "null" : a.getClass().getSimpleName() + " " + a));
      }
    }
    @Nullable Object result;
    try {
      result = body.call(java.util.Collections.unmodifiableList(new java.util.ArrayList<@Nullable Object>(arguments)));
    } catch (Exception e) {
      throw new HostFunctionFailedException(name, e, SandboxStatus.ready());
    }
    if (!signature.result().accepts(result)) {
      throw new HostFunctionFailedException(
          name,
          new IllegalStateException(
              "returned " + (result == null ? "null" : result.getClass().getSimpleName())
                  + " but its signature promises " + signature.result()),
          SandboxStatus.ready());
    }
    return result;
  }

  @Override
  public String toString() {
    return name + signature;
  }
}
