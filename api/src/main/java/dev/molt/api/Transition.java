package dev.molt.api;

import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A typed move from state {@code F} to state {@code T}.
 *
 * @param <F> the state consumed
 * @param <T> the state produced
 */
@FunctionalInterface
public interface Transition<F extends Sandbox, T extends Sandbox> {

  /**
   * Performs the move. On success {@code from} is consumed; on failure it stays with the caller.
   *
   * @param from the state to move from
   * @return the new state
   */
  T apply(@Owning F from);
}
