package dev.molt.api;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable registry of host functions. Adding a function returns a new registry; the original
 * is unchanged, so one registry value can be shared by many sandboxes.
 *
 * <p>Each function has a numeric id: its position in registration order (0, 1, 2 …), stable for
 * the life of a registry and its extensions. {@link #replacing(HostFunction)} keeps the id.
 *
 * <p><b>Duplicate names are rejected</b>: {@link #with(HostFunction)} throws if the name is
 * already registered, because silently replacing a function (possibly with another signature)
 * would change what a guest calls without anyone saying so. Replacing is explicit: {@link
 * #replacing(HostFunction)}.
 *
 * {@snippet class=dev.molt.api.HostFunctionsTest region=registry}
 */
public final class HostFunctions {

  private static final HostFunctions EMPTY = new HostFunctions(ImmutableList.of());

  /** Functions in id order. */
  private final ImmutableList<HostFunction> functions;

  /** Name to id. */
  private final ImmutableMap<String, Integer> ids;

  private HostFunctions(ImmutableList<HostFunction> functions) {
    this.functions = functions;
    ImmutableMap.Builder<String, Integer> b = ImmutableMap.builder();
    for (int i = 0; i < functions.size(); i++) {
      b.put(functions.get(i).name(), i);
    }
    this.ids = b.buildOrThrow();
  }

  /**
   * The registry with no functions.
   *
   * @return the empty registry
   */
  public static HostFunctions empty() {
    return EMPTY;
  }

  /**
   * The default registry: {@link HostPrint} (logging to the platform logger) with id 0.
   *
   * @return a registry containing {@code HostPrint}
   */
  public static HostFunctions defaults() {
    return EMPTY.with(HostPrint.toSystemLogger());
  }

  /**
   * A registry with {@code function} added (id = the current size).
   *
   * @param function the function to add
   * @return a new registry; this one is unchanged
   * @throws IllegalArgumentException if a function with the same name is already registered
   */
  public HostFunctions with(HostFunction function) {
    Objects.requireNonNull(function, "function");
    Integer existing = ids.get(function.name());
    if (existing != null) {
      throw new IllegalArgumentException(
          "host function '" + function.name() + "' is already registered (id " + existing + ", "
              + functions.get(existing) + "); names are unique: use replacing(...) to swap it");
    }
    return new HostFunctions(
        ImmutableList.<HostFunction>builder().addAll(functions).add(function).build());
  }

  /**
   * A registry where the function named like {@code function} is replaced by it, keeping its id.
   *
   * @param function the replacement
   * @return a new registry; this one is unchanged
   * @throws IllegalArgumentException if no function with that name is registered
   */
  public HostFunctions replacing(HostFunction function) {
    Objects.requireNonNull(function, "function");
    Integer existing = ids.get(function.name());
    if (existing == null) {
      throw new IllegalArgumentException(
          "cannot replace host function '" + function.name() + "': it is not registered (registered: "
              + ids.keySet() + ")");
    }
    List<HostFunction> copy = new ArrayList<>(functions);
    copy.set(existing, function);
    return new HostFunctions(ImmutableList.copyOf(copy));
  }

  /**
   * The function named {@code name}.
   *
   * @param name the name
   * @return the function, or empty
   */
  public Optional<HostFunction> lookup(String name) {
    Integer id = ids.get(Objects.requireNonNull(name, "name"));
    return id == null ? Optional.empty() : Optional.of(functions.get(id));
  }

  /**
   * The function with numeric id {@code id}.
   *
   * @param id the id (registration position)
   * @return the function, or empty when no function has that id (including negative ids)
   */
  public Optional<HostFunction> lookup(int id) {
    return id >= 0 && id < functions.size() ? Optional.of(functions.get(id)) : Optional.empty();
  }

  /**
   * The numeric id of the function named {@code name}.
   *
   * @param name the name
   * @return the id, or empty
   */
  public OptionalInt idOf(String name) {
    Integer id = ids.get(Objects.requireNonNull(name, "name"));
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /**
   * How many functions are registered.
   *
   * @return the count
   */
  public int size() {
    return functions.size();
  }

  /**
   * The functions in id order.
   *
   * @return an immutable list
   */
  public List<HostFunction> functions() {
    return functions;
  }

  /**
   * The signatures by name, in id order: what a snapshot records.
   *
   * @return an immutable map
   */
  public ImmutableMap<String, HostFunctionSignature> signatures() {
    ImmutableMap.Builder<String, HostFunctionSignature> b = ImmutableMap.builder();
    functions.forEach(f -> b.put(f.name(), f.signature()));
    return b.buildOrThrow();
  }

  /**
   * Every way this registry fails to offer {@code required}: a function missing, or registered
   * with another signature. Extra functions are fine (a superset satisfies).
   *
   * @param required signatures by name (as a snapshot recorded them)
   * @return the problems sorted by name; empty when this registry satisfies {@code required}
   */
  public List<HostFunctionProblem> problemsAgainst(Map<String, HostFunctionSignature> required) {
    Objects.requireNonNull(required, "required");
    List<HostFunctionProblem> problems = new ArrayList<>();
    required.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              Optional<HostFunction> offered = lookup(e.getKey());
              if (offered.isEmpty()) {
                problems.add(new HostFunctionProblem.Missing(e.getKey(), e.getValue()));
              } else if (!offered.get().signature().equals(e.getValue())) {
                problems.add(
                    new HostFunctionProblem.SignatureMismatch(
                        e.getKey(), e.getValue(), offered.get().signature()));
              }
            });
    return List.copyOf(problems);
  }

  /**
   * Throws unless this registry is a superset of {@code required} with equal signatures: the
   * check a sandbox created from a snapshot runs.
   *
   * @param required signatures by name
   * @throws HostFunctionMismatchException listing every missing or mismatched function; it says
   *     no sandbox was created (Unrecoverable for the nonexistent sandbox)
   */
  public void requireSatisfies(Map<String, HostFunctionSignature> required)
      throws HostFunctionMismatchException {
    List<HostFunctionProblem> problems = problemsAgainst(required);
    if (!problems.isEmpty()) {
      throw new HostFunctionMismatchException(
          problems, SandboxStatus.unrecoverable("no sandbox was created"));
    }
  }

  @Override
  public String toString() {
    return "HostFunctions" + functions;
  }
}
