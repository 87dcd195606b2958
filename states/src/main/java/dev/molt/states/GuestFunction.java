package dev.molt.states;

import dev.molt.api.SandboxException;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A guest function resolved once from a {@link MultiUseSandbox}'s function table, with its result
 * type checked: repeated calls skip the lookup. Calls go through the sandbox (so they fail like
 * its own methods once it is consumed or closed).
 *
 * {@snippet :
 * GuestFunction<Integer> add = sandbox.function("Add", Integer.class);
 * int sum = add.call(40, 2);
 * }
 *
 * @param <R> the Java type of the result ({@code Void} for void functions)
 */
public final class GuestFunction<R> {
  private final MultiUseSandbox sandbox;
  private final GuestFunctionDescriptor descriptor;
  private final Class<R> resultType;

  GuestFunction(MultiUseSandbox sandbox, GuestFunctionDescriptor descriptor, Class<R> resultType) {
    this.sandbox = sandbox;
    this.descriptor = descriptor;
    this.resultType = resultType;
  }

  /**
   * The function's name, id and signature.
   *
   * @return the descriptor
   */
  public GuestFunctionDescriptor descriptor() {
    return descriptor;
  }

  /**
   * Calls the function.
   *
   * @param arguments one per parameter, of the parameters' Java types
   * @return the result ({@code null} for void)
   * @throws IllegalArgumentException if the arguments do not match the parameters
   * @throws IllegalStateException if the sandbox is not Ready, consumed or closed
   * @throws SandboxException as {@link MultiUseSandbox#call}
   */
  public @Nullable R call(@Nullable Object... arguments) throws SandboxException {
    Objects.requireNonNull(arguments, "arguments");
    return resultType.cast(sandbox.invoke(descriptor, arguments));
  }

  @Override
  public String toString() {
    return "GuestFunction[" + descriptor + "]";
  }
}
