package dev.molt.api;

import java.util.Objects;
import org.checkerframework.checker.mustcall.qual.MustCall;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A typed move from state {@code F} to state {@code T}: a function that consumes an {@code F} and
 * returns a {@code T}.
 *
 * <p>Ownership (decided, see the project's design brief):
 *
 * <ul>
 *   <li>on <b>success</b> {@code from} is consumed: it is dead, and every use but {@code close()}
 *       throws {@link SandboxConsumedException};
 *   <li>on <b>failure</b> (a {@link SandboxException}) {@code from} stays with the caller, with a
 *       status saying what it can still do ({@link SandboxException#leftIn()}); where a rollback
 *       point exists Molt has restored it before throwing, so the caller gets its state back as it
 *       was.
 * </ul>
 *
 * <p>Because a failed transition leaves its input with the caller, the simplest correct call site
 * opens the input in try-with-resources: closing a consumed state does nothing.
 *
 * <p>Implementations must repeat {@code @Owning} on the parameter and, inside a library, be
 * written as (anonymous) classes rather than lambdas so the Resource Leak Checker checks them.
 *
 * @param <F> the state consumed
 * @param <T> the state produced
 */
@FunctionalInterface
public interface Transition<F extends Sandbox, T extends Sandbox> {

  /**
   * Performs the move.
   *
   * @param from the state to move from; consumed on success, still the caller's on failure
   * @return the new state, owned by the caller
   * @throws SandboxException if the move failed; {@link SandboxException#leftIn()} says what
   *     {@code from} can still do
   * @throws SandboxConsumedException if {@code from} was already consumed
   */
  T apply(@Owning F from) throws SandboxException;

  /**
   * A name for journals, diagrams and error messages. Declared transitions return the name they
   * were declared with; this default returns the implementing class's name.
   *
   * @return a non-empty name
   */
  default String name() {
    return getClass().getName();
  }

  /**
   * The direction of this move for tools and diagrams.
   *
   * @return {@link TransitionKind#MOVE} unless overridden by an {@link Evolve} or {@link Devolve}
   */
  default TransitionKind kind() {
    return TransitionKind.MOVE;
  }

  /**
   * Composes this transition with {@code next}. Only compiles when the states line up: the state
   * this transition produces must be accepted by {@code next}.
   *
   * <p>Plain composition is not atomic: if {@code next} fails, the intermediate state is closed
   * (this transition has already consumed the input) and a {@link TransitionFailedException} for
   * step 2 reports {@link SandboxStatus.Unrecoverable}. For all-or-nothing chains with rollback
   * use {@code dev.molt.transitions.Chain}.
   *
   * {@snippet class=dev.molt.transitions.ReadmeExampleTest region=andThen}
   *
   * @param next the transition to run on this one's result
   * @param <U> the state {@code next} produces
   * @return a transition from {@code F} to {@code U}
   * @throws NullPointerException if {@code next} is null
   */
  default <U extends Sandbox> Transition<F, U> andThen(Transition<? super T, ? extends U> next) {
    Objects.requireNonNull(next, "next");
    Transition<F, T> first = this;
    return new Transition<F, U>() {
      @Override
      public U apply(@Owning F from) throws SandboxException {
        @MustCall("close") T mid = first.apply(from);
        try {
          return next.apply(mid);
        } catch (SandboxException e) {
          mid.close();
          throw new TransitionFailedException(
              2,
              next.name(),
              e,
              SandboxStatus.unrecoverable(
                  "step 1 '" + first.name() + "' consumed the input; step 2 '" + next.name()
                      + "' failed and its input was closed"),
              false);
        }
      }

      @Override
      public String name() {
        return first.name() + " then " + next.name();
      }
    };
  }

  /**
   * The identity transition: returns its input unchanged and consumes nothing.
   *
   * @param <S> the state
   * @return a transition from {@code S} to {@code S}
   */
  static <S extends Sandbox> Transition<S, S> identity() {
    return new Transition<S, S>() {
      @Override
      public S apply(@Owning S from) {
        return from;
      }

      @Override
      public String name() {
        return "identity";
      }
    };
  }
}
