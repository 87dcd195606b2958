package dev.molt.api;

/**
 * A backward transition whose effect is a rollback to the point its matching {@link Evolve}
 * recorded: cheap, exact, and typed by the state it returns to. Allowed on a {@link
 * SandboxStatus.Poisoned} sandbox (it is a restore).
 *
 * <p>Created by a family through {@code dev.molt.api.spi.StateFamily#devolve}.
 *
 * @param <F> the state consumed (the evolve's target)
 * @param <T> the state produced (the evolve's source)
 */
public interface Devolve<F extends Sandbox, T extends Sandbox> extends DeclaredTransition<F, T> {

  /**
   * The evolve whose rollback point this devolve restores.
   *
   * @return the matching evolve
   */
  Evolve<T, F> reverses();
}
