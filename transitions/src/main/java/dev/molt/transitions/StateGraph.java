package dev.molt.transitions;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.molt.api.DeclaredTransition;
import dev.molt.api.Sandbox;
import dev.molt.api.TransitionDescriptor;
import dev.molt.api.TransitionKind;
import dev.molt.api.spi.StateFamily;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The legal-move graph of a state family: its states, discovered from the sealed hierarchy
 * ({@link Class#getPermittedSubclasses()}), and its declared transitions as edges. Answers
 * reachability questions ("can I get from A to C, and how?", "which states are dead ends?", "which
 * states can no entry reach?") and renders as a Mermaid state diagram.
 *
 * {@snippet class=dev.molt.transitions.ReadmeExampleTest region=graph}
 */
public final class StateGraph {

  private final Class<?> family;
  private final ImmutableSet<Class<?>> states;
  private final ImmutableSet<Class<?>> entries;
  private final ImmutableList<TransitionDescriptor> edges;

  private StateGraph(
      Class<?> family,
      ImmutableSet<Class<?>> states,
      ImmutableSet<Class<?>> entries,
      ImmutableList<TransitionDescriptor> edges) {
    this.family = family;
    this.states = states;
    this.entries = entries;
    this.edges = edges;
  }

  /**
   * The graph of a declared family: states from its sealed interface, entry states from its
   * {@link dev.molt.api.spi.StateType#entry entry types}, edges from {@code transitions}.
   *
   * @param family the family
   * @param transitions its declared transitions
   * @return the graph
   * @throws IllegalArgumentException if a transition connects a class that is not a state of the
   *     family, or two transitions have the same name, kind and states
   */
  public static StateGraph of(
      StateFamily<?, ?> family, Collection<? extends DeclaredTransition<?, ?>> transitions) {
    Objects.requireNonNull(family, "family");
    return build(family.family(), family.entryStates(), descriptors(transitions));
  }

  /**
   * The graph of any sealed family, without entry states.
   *
   * @param family a sealed interface extending {@link Sandbox}
   * @param transitions its declared transitions
   * @return the graph
   * @throws IllegalArgumentException if {@code family} is not sealed, or a transition connects a
   *     class that is not a state of the family, or is declared twice
   */
  public static StateGraph of(
      Class<? extends Sandbox> family, Collection<? extends DeclaredTransition<?, ?>> transitions) {
    return build(family, List.of(), descriptors(transitions));
  }

  /**
   * The graph of a sealed family from transition descriptors.
   *
   * @param family a sealed interface extending {@link Sandbox}
   * @param entries the states entry factories create (may be empty)
   * @param transitions the transitions' descriptors
   * @return the graph
   * @throws IllegalArgumentException if {@code family} is not sealed, or an entry or transition
   *     names a class that is not a state of the family, or a transition is declared twice
   */
  public static StateGraph ofDescriptors(
      Class<? extends Sandbox> family,
      Collection<? extends Class<?>> entries,
      Collection<TransitionDescriptor> transitions) {
    return build(family, entries, transitions);
  }

  private static List<TransitionDescriptor> descriptors(
      Collection<? extends DeclaredTransition<?, ?>> transitions) {
    Objects.requireNonNull(transitions, "transitions");
    return transitions.stream().map(t -> Objects.requireNonNull(t, "transition").descriptor()).toList();
  }

  private static StateGraph build(
      Class<?> family, Collection<? extends Class<?>> entries, Collection<TransitionDescriptor> transitions) {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(entries, "entries");
    Objects.requireNonNull(transitions, "transitions");
    Set<Class<?>> states = StateFamily.statesOf(family);
    for (Class<?> e : entries) {
      requireState(family, states, e, "entry state");
    }
    Set<TransitionDescriptor> seen = new LinkedHashSet<>();
    for (TransitionDescriptor d : transitions) {
      requireState(family, states, d.from(), "transition " + d + " starts at");
      requireState(family, states, d.to(), "transition " + d + " ends at");
      if (!seen.add(d)) {
        throw new IllegalArgumentException("transition " + d + " is declared twice");
      }
    }
    return new StateGraph(
        family, ImmutableSet.copyOf(states), ImmutableSet.copyOf(entries), ImmutableList.copyOf(seen));
  }

  private static void requireState(Class<?> family, Set<Class<?>> states, Class<?> c, String what) {
    if (!states.contains(c)) {
      throw new IllegalArgumentException(
          what + " " + c.getName() + ", which is not a state of the sealed family " + family.getName());
    }
  }

  /**
   * The family interface.
   *
   * @return the class
   */
  public Class<?> family() {
    return family;
  }

  /**
   * The concrete states, in discovery order.
   *
   * @return the states
   */
  public Set<Class<?>> states() {
    return states;
  }

  /**
   * The states entry factories create.
   *
   * @return the entry states (empty if not known)
   */
  public Set<Class<?>> entries() {
    return entries;
  }

  /**
   * The declared transitions, in declaration order.
   *
   * @return the edges
   */
  public List<TransitionDescriptor> edges() {
    return edges;
  }

  /**
   * The moves that start at {@code state}.
   *
   * @param state a state of the family
   * @return the transitions leaving it
   * @throws IllegalArgumentException if {@code state} is not a state of the family
   */
  public List<TransitionDescriptor> movesFrom(Class<?> state) {
    requireState(family, states, Objects.requireNonNull(state, "state"), "state");
    return edges.stream().filter(e -> e.from() == state).toList();
  }

  /**
   * The states reachable from {@code state} by zero or more moves (including itself).
   *
   * @param state a state of the family
   * @return the reachable states, in breadth-first order
   * @throws IllegalArgumentException if {@code state} is not a state of the family
   */
  public Set<Class<?>> reachableFrom(Class<?> state) {
    return Collections.unmodifiableSet(searchFrom(state).keySet());
  }

  /**
   * Whether {@code to} can be reached from {@code from} by zero or more moves.
   *
   * @param from a state of the family
   * @param to a state of the family
   * @return true if reachable
   * @throws IllegalArgumentException if either is not a state of the family
   */
  public boolean canReach(Class<?> from, Class<?> to) {
    requireState(family, states, Objects.requireNonNull(to, "to"), "state");
    return searchFrom(from).containsKey(to);
  }

  /**
   * A shortest sequence of moves from {@code from} to {@code to}.
   *
   * @param from a state of the family
   * @param to a state of the family
   * @return the moves (empty list when {@code from == to}), or empty when unreachable
   * @throws IllegalArgumentException if either is not a state of the family
   */
  public Optional<List<TransitionDescriptor>> shortestPath(Class<?> from, Class<?> to) {
    requireState(family, states, Objects.requireNonNull(to, "to"), "state");
    Map<Class<?>, Optional<TransitionDescriptor>> via = searchFrom(from);
    if (!via.containsKey(to)) {
      return Optional.empty();
    }
    List<TransitionDescriptor> path = new ArrayList<>();
    Class<?> at = to;
    while (at != from) {
      TransitionDescriptor step = via.getOrDefault(at, Optional.empty()).orElseThrow();
      path.add(step);
      at = step.from();
    }
    Collections.reverse(path);
    return Optional.of(List.copyOf(path));
  }

  /**
   * The states no move leaves: once there, a sandbox can only be used and closed.
   *
   * @return the dead ends, in discovery order
   */
  public Set<Class<?>> deadEnds() {
    Set<Class<?>> dead = new LinkedHashSet<>(states);
    edges.forEach(e -> dead.remove(e.from()));
    return Collections.unmodifiableSet(dead);
  }

  /**
   * The states no entry state reaches (empty when no entries are known).
   *
   * @return the unreachable states, in discovery order
   */
  public Set<Class<?>> unreachableFromEntries() {
    if (entries.isEmpty()) {
      return Set.of();
    }
    Set<Class<?>> unreachable = new LinkedHashSet<>(states);
    entries.forEach(e -> unreachable.removeAll(searchFrom(e).keySet()));
    return Collections.unmodifiableSet(unreachable);
  }

  /** Breadth-first search: each reached state mapped to the edge it was first reached by. */
  private Map<Class<?>, Optional<TransitionDescriptor>> searchFrom(Class<?> start) {
    requireState(family, states, Objects.requireNonNull(start, "state"), "state");
    Map<Class<?>, Optional<TransitionDescriptor>> via = new java.util.LinkedHashMap<>();
    via.put(start, Optional.empty());
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      Class<?> at = todo.removeFirst();
      for (TransitionDescriptor e : edges) {
        if (e.from() == at && !via.containsKey(e.to())) {
          via.put(e.to(), Optional.of(e));
          todo.addLast(e.to());
        }
      }
    }
    return via;
  }

  /**
   * The graph as a Mermaid state diagram: entry states from {@code [*]}, one labelled edge per
   * transition ({@code name (evolve)}), dead ends to {@code [*]}.
   *
   * @return Mermaid source, lines separated by {@code \n}, ending with a newline
   */
  public String toMermaid() {
    StringBuilder out = new StringBuilder("stateDiagram-v2\n");
    Map<Class<?>, String> ids = new HashMap<>();
    states.forEach(s -> ids.put(s, mermaidId(s)));
    for (Class<?> e : entries) {
      out.append("    [*] --> ").append(ids.get(e)).append('\n');
    }
    for (TransitionDescriptor e : edges) {
      out.append("    ")
          .append(ids.get(e.from()))
          .append(" --> ")
          .append(ids.get(e.to()))
          .append(" : ")
          .append(mermaidLabel(e.name()))
          .append(" (")
          .append(kindLabel(e.kind()))
          .append(")\n");
    }
    for (Class<?> d : deadEnds()) {
      out.append("    ").append(ids.get(d)).append(" --> [*]\n");
    }
    return out.toString();
  }

  private static String kindLabel(TransitionKind kind) {
    return switch (kind) {
      case EVOLVE -> "evolve";
      case DEVOLVE -> "devolve";
      case MOVE -> "move";
    };
  }

  /** A Mermaid-safe state id: the simple name with anything but letters, digits and '_' replaced. */
  private static String mermaidId(Class<?> state) {
    return state.getSimpleName().replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** A label without the characters Mermaid gives meaning to on an edge line. */
  private static String mermaidLabel(String name) {
    return name.replaceAll("[:;#\\n\\r]", "_");
  }

  @Override
  public String toString() {
    return "StateGraph[" + family.getSimpleName() + ": " + states.size() + " states, " + edges.size()
        + " transitions]";
  }
}
