package dev.molt.api;

/**
 * A transition that knows its name, kind and endpoints at run time (type arguments are erased), so
 * that the legal-move graph of a family can be built from it.
 *
 * @param <F> the state consumed
 * @param <T> the state produced
 */
public interface DeclaredTransition<F extends Sandbox, T extends Sandbox> extends Transition<F, T> {

  /**
   * The descriptor: name, kind and state classes.
   *
   * @return the descriptor
   */
  TransitionDescriptor descriptor();

  @Override
  default String name() {
    return descriptor().name();
  }

  @Override
  default TransitionKind kind() {
    return descriptor().kind();
  }
}
