package dev.molt.transitions;

import com.google.common.collect.ImmutableList;
import dev.molt.api.Sandbox;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Transition;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.spi.RollbackPoint;
import dev.molt.api.spi.StateFamily;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * An atomic sequence of transitions within one state family: all steps, or none.
 *
 * <p>Before the first step the chain marks a rollback point of its input. If a step fails, the
 * chain restores that point and makes the caller's input live again (Ready, as it was) before it
 * throws a {@link TransitionFailedException} naming the failed step (1-based) and why. A first
 * step that fails leaving the sandbox Ready changed nothing and needs no restore. If the restore
 * itself fails, the sandbox cannot be handed back: the chain closes it and the exception reports
 * {@link SandboxStatus.Unrecoverable}.
 *
 * <p>Each step keeps its own semantics: evolves inside a chain record their rollback points (so
 * the matching devolves work after the chain), and a successful chain consumes its input like any
 * transition. Chains are immutable, reusable and thread-safe; {@link #then} only compiles when the
 * states line up.
 *
 * {@snippet class=dev.molt.transitions.demo.DemoUsage region=chain}
 *
 * @param <F> the state consumed
 * @param <T> the state produced
 */
public final class Chain<F extends Sandbox, T extends Sandbox> implements Transition<F, T> {

  private final StateFamily<Sandbox, ?> family;
  private final String name;
  private final ImmutableList<Transition<?, ?>> steps;

  private Chain(StateFamily<Sandbox, ?> family, String name, ImmutableList<Transition<?, ?>> steps) {
    this.family = family;
    this.name = name;
    this.steps = steps;
  }

  /**
   * A chain of one step.
   *
   * @param family the family the chain's states belong to (it snapshots and restores them)
   * @param name the chain's name, for journals and errors
   * @param first the first step
   * @param <Fam> the family
   * @param <F> the state consumed
   * @param <T> the state the first step produces
   * @return the chain
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <Fam extends Sandbox, F extends Fam, T extends Sandbox> Chain<F, T> of(
      StateFamily<Fam, ?> family, String name, Transition<F, T> first) {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(first, "first");
    if (name.isBlank()) {
      throw new IllegalArgumentException("chain name must not be blank");
    }
    // The family's operations check at run time that each state belongs to it; the chain only
    // hands them states produced by its own typed steps.
    @SuppressWarnings("unchecked")
    StateFamily<Sandbox, ?> any = (StateFamily<Sandbox, ?>) (StateFamily<?, ?>) family;
    return new Chain<>(any, name, ImmutableList.of(first));
  }

  /**
   * This chain followed by {@code next}. Only compiles when {@code next} accepts what this chain
   * produces.
   *
   * @param next the next step
   * @param <U> the state {@code next} produces
   * @return a new chain; this one is unchanged
   */
  public <U extends Sandbox> Chain<F, U> then(Transition<? super T, U> next) {
    Objects.requireNonNull(next, "next");
    return new Chain<>(
        family, name, ImmutableList.<Transition<?, ?>>builder().addAll(steps).add(next).build());
  }

  /**
   * The names of the steps, in order.
   *
   * @return the step names
   */
  public List<String> stepNames() {
    return steps.stream().map(Transition::name).toList();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Runs every step, or none.
   *
   * @param from the input; consumed on success; on failure live and as it was (unless the
   *     rollback itself failed, see {@link SandboxException#leftIn()})
   * @return the last step's result
   * @throws TransitionFailedException naming the failed step and why
   * @throws SandboxException if the rollback point could not be captured (nothing ran)
   * @throws IllegalStateException if {@code from} is consumed, closed or not Ready
   */
  // Ownership moves through a loop over heterogeneous steps held as Transition<?, ?>: each
  // intermediate state is either passed to the next step, returned, or (after a rollback, when it
  // is dead) closed. The Resource Leak Checker cannot follow a must-call local reassigned across
  // loop iterations through unchecked casts, hence the suppressions; the behaviour is tested in
  // ChainTest.
  @Override
  @SuppressWarnings({"unchecked", "required.method.not.called", "mustcall:assignment", "resourceleak"})
  public T apply(@Owning F from) throws SandboxException {
    RollbackPoint<F> point = family.mark(from, name);
    Sandbox current = from;
    for (int i = 0; i < steps.size(); i++) {
      Transition<Sandbox, Sandbox> step = (Transition<Sandbox, Sandbox>) steps.get(i);
      try {
        current = step.apply(current);
      } catch (SandboxException e) {
        Recovery r = recover(i, e, point, from, current);
        throw new TransitionFailedException(i + 1, step.name(), e, r.leftIn(), r.rolledBack());
      } catch (RuntimeException e) {
        recover(i, e, point, from, current);
        throw e;
      }
    }
    return (T) current;
  }

  private static boolean untouched(int index, Exception e) {
    return index == 0 && e instanceof SandboxException se && se.leftIn() instanceof SandboxStatus.Ready;
  }

  /**
   * After step {@code index} failed with {@code e}: rolls back unless nothing changed, closes the
   * dead intermediate state, and says what the caller's input can still do.
   */
  @SuppressWarnings("required.method.not.called") // see apply(): `current` is closed or returned
  private Recovery recover(
      int index, Exception e, RollbackPoint<F> point, Sandbox from, Sandbox current) {
    if (untouched(index, e)) {
      return new Recovery(from.status(), false);
    }
    try {
      family.rollBack(point, current, name);
    } catch (SandboxException | RuntimeException rollbackFailure) {
      e.addSuppressed(rollbackFailure);
      if (current == from) {
        return new Recovery(from.status(), false);
      }
      current.close(); // the caller's input is consumed and the live state cannot be returned
      return new Recovery(
          SandboxStatus.unrecoverable(
              "chain '" + name + "' could not roll back after step " + (index + 1)
                  + "; the sandbox was closed"),
          false);
    }
    if (current != from) {
      current.close(); // dead after the rollback: does nothing
    }
    return new Recovery(from.status(), true);
  }

  /** What a failed step left: the input's status and whether it was rolled back. */
  private record Recovery(SandboxStatus leftIn, boolean rolledBack) {}

  @Override
  public String toString() {
    return "Chain[" + name + ": " + String.join(" -> ", stepNames()) + "]";
  }
}
