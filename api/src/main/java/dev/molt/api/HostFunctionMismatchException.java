package dev.molt.api;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The host functions offered do not satisfy those required (by a snapshot, or by a guest calling
 * a function that is not registered): some are missing, some have a different signature. Lists
 * every problem, not just the first. Nothing was changed or created: the inputs can be corrected
 * and reused.
 */
public final class HostFunctionMismatchException extends HostFunctionException {

  private static final long serialVersionUID = 1L;

  /** Every missing or mismatched function. */
  private final ImmutableList<HostFunctionProblem> problems;

  /**
   * Creates an exception.
   *
   * @param problems every missing or mismatched function; not empty
   * @param leftIn the status the sandbox was left in
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public HostFunctionMismatchException(List<HostFunctionProblem> problems, SandboxStatus leftIn) {
    super(describe(problems), leftIn, null);
    this.problems = ImmutableList.copyOf(problems);
  }

  private static String describe(List<HostFunctionProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a host function mismatch needs at least one problem");
    }
    return "host functions do not match: "
        + problems.stream().map(HostFunctionProblem::toString).collect(Collectors.joining("; "));
  }

  /**
   * Every missing or mismatched function, sorted by name.
   *
   * @return the problems
   */
  public List<HostFunctionProblem> problems() {
    return problems;
  }
}
