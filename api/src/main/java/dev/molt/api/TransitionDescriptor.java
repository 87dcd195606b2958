package dev.molt.api;

import java.util.Objects;

/**
 * What a declared transition is, without running it: its name, kind and the state classes it
 * connects. Graphs and journals are built from descriptors.
 *
 * @param name the declared name
 * @param kind the direction
 * @param from the state class consumed
 * @param to the state class produced
 */
public record TransitionDescriptor(
    String name,
    TransitionKind kind,
    Class<? extends Sandbox> from,
    Class<? extends Sandbox> to) {

  /**
   * Validates the components.
   *
   * @param name the declared name; not blank
   * @param kind the direction
   * @param from the state class consumed
   * @param to the state class produced
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public TransitionDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (name.isBlank()) {
      throw new IllegalArgumentException("transition name must not be blank");
    }
  }

  @Override
  public String toString() {
    return name + " (" + kind + ": " + from.getSimpleName() + " -> " + to.getSimpleName() + ")";
  }
}
