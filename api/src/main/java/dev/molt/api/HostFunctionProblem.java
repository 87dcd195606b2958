package dev.molt.api;

import java.io.Serializable;
import java.util.Objects;

/** One reason a set of host functions does not satisfy what is required. */
public sealed interface HostFunctionProblem extends Serializable
    permits HostFunctionProblem.Missing, HostFunctionProblem.SignatureMismatch {

  /**
   * The function's name.
   *
   * @return the name
   */
  String name();

  /**
   * A required function is not registered.
   *
   * @param name the function's name
   * @param required the signature required
   */
  record Missing(String name, HostFunctionSignature required) implements HostFunctionProblem {
    /**
     * Validates the components.
     *
     * @param name the function's name
     * @param required the signature required
     */
    public Missing {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(required, "required");
    }

    @Override
    public String toString() {
      return "missing " + name + required;
    }
  }

  /**
   * A function is registered with a different signature.
   *
   * @param name the function's name
   * @param required the signature required
   * @param offered the signature registered
   */
  record SignatureMismatch(String name, HostFunctionSignature required, HostFunctionSignature offered)
      implements HostFunctionProblem {
    /**
     * Validates the components.
     *
     * @param name the function's name
     * @param required the signature required
     * @param offered the signature registered
     */
    public SignatureMismatch {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(required, "required");
      Objects.requireNonNull(offered, "offered");
    }

    @Override
    public String toString() {
      return name + " requires " + required + " but offers " + offered;
    }
  }
}
