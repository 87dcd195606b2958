package dev.molt.api.spi;

import dev.molt.api.Sandbox;
import java.util.Objects;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * How Molt reaches one concrete state class without public members: the class, a way to read a
 * state's {@link StateHandle}, and a way to create a state around a handle (normally a method
 * reference to a private constructor). A family declares one per state, privately, and gives
 * them to {@link StateFamily#of}.
 *
 * {@snippet class=dev.molt.transitions.demo.DemoProto region=type}
 *
 * @param <S> the state class
 * @param <B> the substrate type
 */
// Class<T> carries no obligation, but the Checker's annotated JDK bounds T by @MustCall({}), so
// every Class<S> with S a sandbox type variable is reported (type.argument). Call sites that pass
// class literals are not affected. Only that Must Call key is suppressed.
@SuppressWarnings("mustcall:type.argument")
public final class StateType<S extends Sandbox, B extends Substrate> {

  /**
   * Reads a state's handle.
   *
   * @param <S> the state class
   * @param <B> the substrate type
   */
  @FunctionalInterface
  public interface Access<S extends Sandbox, B extends Substrate> {
    /**
     * The handle held by {@code state}.
     *
     * @param state a state
     * @return its handle (still owned by the state)
     */
    @NotOwning StateHandle<B> handleOf(S state);
  }

  /**
   * Creates a state around a handle.
   *
   * @param <S> the state class
   * @param <B> the substrate type
   */
  @FunctionalInterface
  public interface Factory<S extends Sandbox, B extends Substrate> {
    /**
     * Creates the state.
     *
     * @param handle the handle the new state owns
     * @return the state
     */
    S create(@Owning StateHandle<B> handle);
  }

  private final Class<S> type;
  private final Access<S, B> access;
  private final Factory<S, B> factory;
  private final boolean entry;

  private StateType(Class<S> type, Access<S, B> access, Factory<S, B> factory, boolean entry) {
    this.type = type;
    this.access = access;
    this.factory = factory;
    this.entry = entry;
  }

  /**
   * A state that only transitions, restores and snapshots create.
   *
   * @param type the state class; must be final
   * @param access reads a state's handle
   * @param factory creates a state around a handle
   * @param <S> the state class
   * @param <B> the substrate type
   * @return the state type
   * @throws IllegalArgumentException if {@code type} is not a final class
   */
  public static <S extends Sandbox, B extends Substrate> StateType<S, B> of(
      Class<S> type, Access<S, B> access, Factory<S, B> factory) {
    return create(type, access, factory, false);
  }

  /**
   * A state that the family's entry factories may also create from a fresh substrate ({@link
   * StateFamily#open}), like "uninitialized sandbox from a guest binary".
   *
   * @param type the state class; must be final
   * @param access reads a state's handle
   * @param factory creates a state around a handle
   * @param <S> the state class
   * @param <B> the substrate type
   * @return the state type
   * @throws IllegalArgumentException if {@code type} is not a final class
   */
  public static <S extends Sandbox, B extends Substrate> StateType<S, B> entry(
      Class<S> type, Access<S, B> access, Factory<S, B> factory) {
    return create(type, access, factory, true);
  }

  private static <S extends Sandbox, B extends Substrate> StateType<S, B> create(
      Class<S> type, Access<S, B> access, Factory<S, B> factory, boolean entry) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(factory, "factory");
    if (type.isInterface() || !java.lang.reflect.Modifier.isFinal(type.getModifiers())) {
      throw new IllegalArgumentException(
          "state " + type.getName() + " must be a final class (states are leaves of a sealed family)");
    }
    return new StateType<>(type, access, factory, entry);
  }

  /**
   * The state class.
   *
   * @return the class
   */
  public Class<S> type() {
    return type;
  }

  /**
   * Whether entry factories may create this state from a fresh substrate.
   *
   * @return true for entry states
   */
  public boolean isEntry() {
    return entry;
  }

  @NotOwning StateHandle<B> handleOf(S state) {
    return access.handleOf(state);
  }

  S create(@Owning StateHandle<B> handle) {
    return factory.create(handle);
  }

  @Override
  public String toString() {
    return "StateType[" + type.getSimpleName() + (entry ? ", entry" : "") + "]";
  }
}
