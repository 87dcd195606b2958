package dev.molt.api.spi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.molt.api.DeclaredTransition;
import dev.molt.api.Devolve;
import dev.molt.api.Evolve;
import dev.molt.api.JournalEntry;
import dev.molt.api.Sandbox;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.api.TransitionDescriptor;
import dev.molt.api.TransitionFailedException;
import dev.molt.api.TransitionKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.checkerframework.checker.mustcall.qual.MustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A sealed family of states over one kind of {@link Substrate}, and the operations Molt performs
 * on any of its states: open (entry factories), snapshot, restore, create from a snapshot, and the
 * family's {@link Evolve evolves}, {@link Devolve devolves} and other moves. This is the SPI the
 * built-in states and library families (such as a WebAssembly runtime's) implement: they declare
 * a {@link StateType} per state and let this class do the ownership, rollback and journal work.
 *
 * <p>The family interface must be sealed, and every concrete state must have exactly one {@link
 * StateType}. A family may publish its {@code StateFamily} (it cannot create states out of thin
 * air: {@link #open} only creates declared entry states, and {@link #fromSnapshot} only the state
 * a snapshot proves).
 *
 * <p>The complete example family of the test suite:
 *
 * {@snippet class=dev.molt.transitions.demo.Demo region=family}
 *
 * @param <Fam> the sealed family interface
 * @param <B> the substrate type
 */
// Class<T> carries no obligation, but the Checker's annotated JDK bounds T by @MustCall({}), so
// every Class<S> with S a sandbox type variable is reported (type.argument). Call sites that pass
// class literals are not affected. Only that Must Call key is suppressed.
@SuppressWarnings("mustcall:type.argument")
public final class StateFamily<Fam extends Sandbox, B extends Substrate> {

  /**
   * The work of an evolve or move, done on the substrate before Molt hands the substrate on.
   *
   * @param <F> the state consumed
   * @param <B> the substrate type
   */
  @FunctionalInterface
  public interface Work<F extends Sandbox, B extends Substrate> {
    /**
     * Does the work. The state is being consumed while this runs: its guarded methods throw, its
     * fields may be read.
     *
     * @param from the state being consumed (not owned)
     * @param substrate its substrate
     * @throws SandboxException if the work failed; the substrate's status says what is left
     */
    void perform(F from, B substrate) throws SandboxException;
  }

  private final Class<Fam> family;
  private final ImmutableMap<Class<?>, StateType<? extends Fam, B>> types;

  private StateFamily(Class<Fam> family, ImmutableMap<Class<?>, StateType<? extends Fam, B>> types) {
    this.family = family;
    this.types = types;
  }

  /**
   * Declares a family.
   *
   * @param family the sealed family interface
   * @param types one state type per concrete state of the family
   * @param <Fam> the family
   * @param <B> the substrate type
   * @return the family
   * @throws IllegalArgumentException if {@code family} is not a sealed interface, a concrete state
   *     has no type, a type is declared twice, or a type is not a state of the family
   */
  public static <Fam extends Sandbox, B extends Substrate> StateFamily<Fam, B> of(
      Class<Fam> family, List<StateType<? extends Fam, B>> types) {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(types, "types");
    Set<Class<?>> states = statesOf(family);
    ImmutableMap.Builder<Class<?>, StateType<? extends Fam, B>> b = ImmutableMap.builder();
    Set<Class<?>> seen = new LinkedHashSet<>();
    for (StateType<? extends Fam, B> t : types) {
      Objects.requireNonNull(t, "types contains null");
      if (!states.contains(t.type())) {
        throw new IllegalArgumentException(
            t.type().getName() + " is not a state of the sealed family " + family.getName()
                + " (states: " + names(states) + ")");
      }
      if (!seen.add(t.type())) {
        throw new IllegalArgumentException("state " + t.type().getName() + " is declared twice");
      }
      b.put(t.type(), t);
    }
    for (Class<?> s : states) {
      if (!seen.contains(s)) {
        throw new IllegalArgumentException(
            "state " + s.getName() + " of family " + family.getName() + " has no StateType");
      }
    }
    return new StateFamily<>(family, b.buildOrThrow());
  }

  /**
   * The concrete states of a sealed family, discovered through {@link
   * Class#getPermittedSubclasses()} (sealed sub-interfaces are followed), in declaration order.
   *
   * @param family a sealed interface
   * @return the concrete states
   * @throws IllegalArgumentException if {@code family} is not a sealed interface, or a permitted
   *     subtype is neither sealed nor final
   */
  public static Set<Class<?>> statesOf(Class<?> family) {
    Objects.requireNonNull(family, "family");
    if (!family.isInterface() || !family.isSealed()) {
      throw new IllegalArgumentException(
          family.getName() + " is not a sealed interface: a state family must be sealed so its"
              + " states are a closed set");
    }
    Set<Class<?>> states = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(family);
    while (!todo.isEmpty()) {
      Class<?> c = todo.removeFirst();
      Class<?>[] permitted = c.getPermittedSubclasses();
      if (c.isSealed() && permitted != null) {
        todo.addAll(List.of(permitted));
      } else if (!c.isInterface() && java.lang.reflect.Modifier.isFinal(c.getModifiers())) {
        states.add(c);
      } else {
        throw new IllegalArgumentException(
            c.getName() + " in family " + family.getName() + " is neither sealed nor final");
      }
    }
    return states;
  }

  /**
   * The family interface.
   *
   * @return the class
   */
  public Class<Fam> family() {
    return family;
  }

  /**
   * The concrete states, in declaration order.
   *
   * @return the state classes
   */
  public List<Class<?>> states() {
    return ImmutableList.copyOf(types.keySet());
  }

  /**
   * The states entry factories may create ({@link StateType#entry}).
   *
   * @return the entry state classes
   */
  public List<Class<?>> entryStates() {
    return types.values().stream().filter(StateType::isEntry).<Class<?>>map(StateType::type).toList();
  }

  /**
   * Creates an entry state around a fresh substrate: the body of a family's entry factory.
   *
   * @param substrate the new sandbox's substrate; owned by the returned state
   * @param entryState a state declared with {@link StateType#entry}
   * @param <S> the state
   * @return the state, owning the substrate
   * @throws IllegalArgumentException if {@code entryState} is not an entry state of this family
   *     (the substrate is closed)
   */
  public <S extends Fam> S open(@Owning B substrate, Class<S> entryState) {
    StateType<S, B> type;
    try {
      type = typeOf(entryState);
      if (!type.isEntry()) {
        throw new IllegalArgumentException(
            entryState.getSimpleName() + " is not an entry state of " + family.getSimpleName()
                + " (entry states: " + names(entryStates()) + ")");
      }
    } catch (RuntimeException e) {
      substrate.close();
      throw e;
    }
    return type.create(StateHandle.open(substrate, entryState));
  }

  /**
   * Creates a state directly from a snapshot, around a fresh substrate of the snapshot's lineage
   * and layout: no entry state, no evolve. The substrate must offer the host functions the
   * snapshot recorded (a superset with equal signatures).
   *
   * @param substrate the new sandbox's substrate; owned by the returned state, or closed on
   *     failure
   * @param snapshot the snapshot to start from
   * @param <S> the state
   * @return the state the snapshot was taken in
   * @throws dev.molt.api.HostFunctionMismatchException listing every missing or mismatched host
   *     function
   * @throws SnapshotIncompatibleException if lineage, layout or state do not fit
   * @throws SandboxException if the substrate failed to restore
   */
  public <S extends Fam> S fromSnapshot(@Owning B substrate, Snapshot<S> snapshot)
      throws SandboxException {
    StateType<S, B> type;
    try {
      type = snapshotType(snapshot, SandboxStatus.unrecoverable("no sandbox was created"));
      snapshot.requireRestorableOn(
          substrate.lineage(), substrate.layout(), SandboxStatus.unrecoverable("no sandbox was created"));
      snapshot.requireHostFunctions(substrate.hostFunctions());
      substrate.restore(snapshot.image());
    } catch (SandboxException | RuntimeException e) {
      substrate.close();
      throw e;
    }
    return type.create(StateHandle.open(substrate, snapshot.state()));
  }

  /**
   * Captures a snapshot of {@code state}, typed by its static type.
   *
   * @param state a live state of this family (not consumed)
   * @param <S> the state
   * @return the snapshot
   * @throws SandboxException if the substrate refused or failed to capture
   * @throws IllegalStateException if the state is consumed, closed, or its status does not allow
   *     snapshots
   */
  public <S extends Fam> Snapshot<S> snapshot(S state) throws SandboxException {
    StateHandle<B> h = handleOfAny(state);
    @MustCall("close") B s = h.substrate();
    s.status().require(SandboxStatus.Operation.SNAPSHOT, h.stateName());
    return capture(h, s, state);
  }

  /**
   * Restores {@code snapshot} into the sandbox {@code current} belongs to, consuming {@code
   * current} and returning the snapshot's state. Allowed on a Poisoned sandbox; the result is
   * Ready. Rollback points in force when the snapshot was taken in this sandbox are reinstated
   * (none for a snapshot from another sandbox or from storage).
   *
   * @param current a live state of the sandbox to restore; consumed on success, the caller's on
   *     failure
   * @param snapshot a snapshot of this sandbox's lineage and layout
   * @param <X> the current state
   * @param <S> the snapshot's state
   * @return the restored state
   * @throws SnapshotIncompatibleException if lineage, layout or state do not fit (nothing changed)
   * @throws SandboxException if the substrate failed to restore (see its status)
   * @throws IllegalStateException if {@code current} is consumed or closed, or Unrecoverable
   */
  public <X extends Fam, S extends Fam> S restore(@Owning X current, Snapshot<S> snapshot)
      throws SandboxException {
    Objects.requireNonNull(snapshot, "snapshot");
    StateHandle<B> h = restoreBegun(current, snapshot, snapshot.state(), null);
    StateType<S, B> target = typeOf(snapshot.state()); // checked by restoreBegun
    StateHandle<B> next = h.commit();
    current.close();
    return target.create(next);
  }

  /**
   * Restores {@code snapshot}, taken in {@code current}'s own state class, into {@code current}'s
   * sandbox and keeps {@code current} live: the same object is usable afterwards (Ready), nothing
   * is consumed. Allowed on a Poisoned sandbox. Rollback points in force when the snapshot was
   * taken in this sandbox are reinstated (none for a snapshot from another sandbox or from
   * storage). This is what a state's own {@code restore(snapshot)} method calls.
   *
   * @param current a live state of the sandbox to restore
   * @param snapshot a snapshot of this sandbox's lineage and layout, taken in {@code current}'s
   *     class
   * @param <S> the state
   * @throws SnapshotIncompatibleException if lineage, layout or state do not fit (nothing changed)
   * @throws SandboxException if the substrate refused (a call in progress: nothing changed) or
   *     failed to restore (see its status)
   * @throws IllegalStateException if {@code current} is consumed or closed, or Unrecoverable
   */
  public <S extends Fam> void restoreInPlace(S current, Snapshot<? extends S> snapshot)
      throws SandboxException {
    Objects.requireNonNull(snapshot, "snapshot");
    restoreBegun(current, snapshot, current.getClass(), current.getClass()).completeInPlace();
  }

  /**
   * The shared part of {@link #restore} and {@link #restoreInPlace}: begins a "restore" on {@code
   * current}'s handle, checks the status, the snapshot's state (a state of this family; {@code
   * requiredState} when given), lineage and layout, restores the image and reinstates the rollback
   * points in force when it was captured. On failure the move is aborted (the state stays the
   * caller's); on success it is still in progress, for the caller to commit or complete.
   */
  private @NotOwning StateHandle<B> restoreBegun(
      Fam current,
      Snapshot<?> snapshot,
      Class<? extends Sandbox> to,
      @org.checkerframework.checker.nullness.qual.Nullable Class<? extends Sandbox> requiredState)
      throws SandboxException {
    StateHandle<B> h = handleOfAny(current);
    @MustCall("close") B s =
        h.begin(new TransitionDescriptor("restore", TransitionKind.MOVE, current.getClass(), to));
    requireOrAbort(h, s, SandboxStatus.Operation.RESTORE);
    try {
      requireFamilyState(snapshot, s.status());
      if (requiredState != null && snapshot.state() != requiredState) {
        throw new SnapshotIncompatibleException(
            SnapshotIncompatibleException.Reason.STATE,
            "snapshot was taken in " + snapshot.state().getSimpleName() + ", not in "
                + requiredState.getSimpleName() + " (restore it through the family's restore,"
                + " which returns the snapshot's state)",
            s.status());
      }
      snapshot.requireRestorableOn(s.lineage(), s.layout(), s.status());
      s.restore(snapshot.image());
    } catch (SandboxException | RuntimeException e) {
      h.abort(String.valueOf(e.getMessage()), false);
      throw e;
    }
    h.lease().resetRollbackPoints(h.lease().pointsAt(snapshot.image()));
    return h;
  }

  /**
   * Declares an evolve: a forward move that records the state it leaves as a rollback point
   * (restored by the matching {@link #devolve}). If {@code work} fails and leaves the sandbox
   * Poisoned, the rollback point is restored before the {@link TransitionFailedException} is
   * thrown, so the caller's state is Ready and as it was.
   *
   * @param name the name, for journals, diagrams and errors
   * @param from the state consumed
   * @param to the state produced
   * @param work what the evolve does to the substrate
   * @param <F> the state consumed
   * @param <T> the state produced
   * @return the evolve
   * @throws IllegalArgumentException if a state is not part of this family or the name is blank
   */
  public <F extends Fam, T extends Fam> Evolve<F, T> evolve(
      String name, Class<F> from, Class<T> to, Work<F, B> work) {
    return new FamilyMove<>(
        this,
        new TransitionDescriptor(name, TransitionKind.EVOLVE, from, to),
        typeOf(from),
        typeOf(to),
        Objects.requireNonNull(work, "work"));
  }

  /**
   * Declares a move that records no rollback point (e.g. a reset that is not a rollback). A
   * failure is reported as for an evolve, without rollback.
   *
   * @param name the name
   * @param from the state consumed
   * @param to the state produced
   * @param work what the move does to the substrate
   * @param <F> the state consumed
   * @param <T> the state produced
   * @return the transition
   * @throws IllegalArgumentException if a state is not part of this family or the name is blank
   */
  public <F extends Fam, T extends Fam> DeclaredTransition<F, T> move(
      String name, Class<F> from, Class<T> to, Work<F, B> work) {
    return new FamilyMove<>(
        this,
        new TransitionDescriptor(name, TransitionKind.MOVE, from, to),
        typeOf(from),
        typeOf(to),
        Objects.requireNonNull(work, "work"));
  }

  /**
   * Declares the devolve that undoes {@code matching}: it restores the newest rollback point that
   * evolve recorded in the sandbox and returns the evolve's source state. Allowed on a Poisoned
   * sandbox. Evolves match by descriptor (name, kind, states), so an evolve declared anew per
   * argument (a {@code loadModule(bytes)} factory) is matched by one devolve.
   *
   * @param name the name
   * @param matching an evolve of this family
   * @param <F> the evolve's source (produced by the devolve)
   * @param <T> the evolve's target (consumed by the devolve)
   * @return the devolve
   * @throws IllegalArgumentException if {@code matching} was not declared by this family
   */
  public <F extends Fam, T extends Fam> Devolve<T, F> devolve(String name, Evolve<F, T> matching) {
    Objects.requireNonNull(matching, "matching");
    if (!(matching instanceof FamilyMove<?, ?, ?, ?> m)
        || m.family != this
        || matching.kind() != TransitionKind.EVOLVE) {
      throw new IllegalArgumentException(
          "evolve '" + matching.name() + "' was not declared by family " + family.getSimpleName());
    }
    TransitionDescriptor e = matching.descriptor();
    @SuppressWarnings("unchecked") // the descriptor of an Evolve<F, T> names F and T
    Class<F> source = (Class<F>) e.from();
    @SuppressWarnings("unchecked") // as above
    Class<T> target = (Class<T>) e.to();
    return new FamilyDevolve<>(
        new TransitionDescriptor(name, TransitionKind.DEVOLVE, target, source),
        matching,
        typeOf(target),
        typeOf(source));
  }

  /**
   * The transitions the sandbox of {@code state} went through, oldest first. Works on consumed
   * states too (for error messages).
   *
   * @param state any state of this family
   * @return the journal
   */
  public List<JournalEntry> journal(Fam state) {
    return handleOfAny(state).journal();
  }

  /**
   * The names of the rollback points currently recorded in the sandbox of {@code state}, oldest
   * first.
   *
   * @param state a state of this family
   * @return the names of the evolves (or chains) that recorded them
   */
  public List<String> rollbackPoints(Fam state) {
    return handleOfAny(state).lease().rollbackPoints().stream().map(RollbackPoint::recordedBy).toList();
  }

  /**
   * Records a rollback point for {@code state} without pushing it (for chains: {@link #rollBack}
   * returns to it).
   *
   * @param state a live, Ready state
   * @param by the name of the chain, for journals
   * @param <F> the state
   * @return the point
   * @throws SandboxException if the substrate refused or failed to capture
   * @throws IllegalStateException if the state is consumed or not Ready
   */
  public <F extends Fam> RollbackPoint<F> mark(F state, String by) throws SandboxException {
    Objects.requireNonNull(by, "by");
    StateHandle<B> h = handleOfAny(state);
    @MustCall("close") B s = h.substrate();
    s.status().require(SandboxStatus.Operation.TRANSITION, h.stateName());
    List<RollbackPoint<?>> before = h.lease().rollbackPoints();
    return new RollbackPoint<>(capture(h, s, state), by, new Object(), h, before);
  }

  /**
   * Returns the sandbox to {@code point}: restores its snapshot through {@code current} (the live
   * state of the same sandbox), reinstates the rollback points in force then, and makes the state
   * the point was marked on live again; {@code current}, if it is another state, becomes dead (and
   * closing it does nothing).
   *
   * @param point a point marked in the same sandbox
   * @param current the sandbox's live state
   * @param by the name of the chain, for journals
   * @throws SandboxException if the restore failed (the substrate's status says what is left)
   * @throws IllegalArgumentException if {@code point} belongs to another sandbox
   * @throws IllegalStateException if {@code current} is not live
   */
  public void rollBack(RollbackPoint<? extends Fam> point, Fam current, String by)
      throws SandboxException {
    Objects.requireNonNull(point, "point");
    StateHandle<B> h = handleOfAny(current);
    if (point.origin().lease() != h.lease()) {
      throw new IllegalArgumentException("rollback point " + point + " belongs to another sandbox");
    }
    @MustCall("close") B s = h.substrate();
    s.restore(point.snapshot().image());
    h.lease().resetRollbackPoints(point.pointsBefore());
    h.lease()
        .record(
            new TransitionDescriptor(by, TransitionKind.MOVE, current.getClass(), point.snapshot().state()),
            h.stateName(),
            point.origin().stateName(),
            JournalEntry.Outcome.ROLLED_BACK,
            "rolled back to the point marked before '" + by + "'");
    if (point.origin() != h) {
      @SuppressWarnings("unchecked") // same lease, hence same substrate type
      StateHandle<B> origin = (StateHandle<B>) point.origin();
      origin.reclaimFrom(h, "'" + by + "'");
    }
  }

  // ---------------------------------------------------------------------------------------------

  private <S extends Fam> Snapshot<S> capture(StateHandle<B> h, B s, S state) throws SandboxException {
    SnapshotImage image = s.capture();
    h.lease().rememberPoints(image);
    @SuppressWarnings("unchecked") // state's class is S or a subclass: a Snapshot of it is an S
    Class<S> type = (Class<S>) state.getClass();
    return Snapshot.of(
        type, s.lineage(), s.layout(), h.lease().nextGeneration(), s.hostFunctions().signatures(), image);
  }

  private <S extends Fam> StateType<S, B> snapshotType(Snapshot<S> snapshot, SandboxStatus status)
      throws SnapshotIncompatibleException {
    requireFamilyState(snapshot, status);
    return typeOf(snapshot.state());
  }

  private void requireFamilyState(Snapshot<?> snapshot, SandboxStatus status)
      throws SnapshotIncompatibleException {
    if (!types.containsKey(snapshot.state())) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.STATE,
          snapshot.state().getName() + " is not a state of family " + family.getSimpleName(),
          status);
    }
  }

  private static void requireOrAbort(StateHandle<?> h, Substrate s, SandboxStatus.Operation op) {
    SandboxStatus st = s.status();
    if (!st.allows(op)) {
      h.abort("status " + st, false);
      st.require(op, h.stateName());
    }
  }

  <S extends Fam> StateType<S, B> typeOf(Class<S> state) {
    Objects.requireNonNull(state, "state");
    StateType<? extends Fam, B> t = types.get(state);
    if (t == null) {
      throw new IllegalArgumentException(
          state.getName() + " is not a state of family " + family.getSimpleName() + " (states: "
              + names(types.keySet()) + ")");
    }
    @SuppressWarnings("unchecked") // the map is keyed by each type's own class
    StateType<S, B> typed = (StateType<S, B>) t;
    return typed;
  }

  private @NotOwning StateHandle<B> handleOfAny(Fam state) {
    Objects.requireNonNull(state, "state");
    StateType<? extends Fam, B> t = types.get(state.getClass());
    if (t == null) {
      throw new IllegalArgumentException(
          state.getClass().getName() + " is not a state of family " + family.getSimpleName());
    }
    return handleVia(t, state);
  }

  private static <S extends Sandbox, B extends Substrate> @NotOwning StateHandle<B> handleVia(
      StateType<S, B> t, Sandbox state) {
    if (!t.type().isInstance(state)) {
      throw new IllegalArgumentException(state.getClass().getName() + " is not a " + t.type().getName());
    }
    @SuppressWarnings("unchecked") // checked by isInstance just above
    @MustCall("close") S typed = (S) state;
    return t.handleOf(typed);
  }

  private static String names(java.util.Collection<? extends Class<?>> classes) {
    List<String> n = new ArrayList<>();
    classes.forEach(c -> n.add(c.getSimpleName()));
    return n.toString();
  }

  /** An evolve or plain move declared by a family. */
  private static final class FamilyMove<Fam extends Sandbox, B extends Substrate, F extends Fam, T extends Fam>
      implements Evolve<F, T> {
    final StateFamily<Fam, B> family;
    private final TransitionDescriptor descriptor;
    private final StateType<F, B> fromType;
    private final StateType<T, B> toType;
    private final Work<F, B> work;

    FamilyMove(
        StateFamily<Fam, B> family,
        TransitionDescriptor descriptor,
        StateType<F, B> fromType,
        StateType<T, B> toType,
        Work<F, B> work) {
      this.family = family;
      this.descriptor = descriptor;
      this.fromType = fromType;
      this.toType = toType;
      this.work = work;
    }

    @Override
    public TransitionDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public T apply(@Owning F from) throws SandboxException {
      StateHandle<B> h = fromType.handleOf(from);
      @MustCall("close") B s = h.begin(descriptor);
      requireOrAbort(h, s, SandboxStatus.Operation.TRANSITION);
      boolean evolve = descriptor.kind() == TransitionKind.EVOLVE;
      RollbackPoint<F> point = null;
      try {
        if (evolve) {
          point =
              new RollbackPoint<>(
                  family.capture(h, s, from),
                  descriptor.name(),
                  descriptor,
                  h,
                  h.lease().rollbackPoints());
        }
        work.perform(from, s);
      } catch (SandboxException e) {
        boolean rolledBack = rollBackIfPoisoned(s, point, e);
        h.abort(String.valueOf(e.getMessage()), rolledBack);
        throw new TransitionFailedException(1, descriptor.name(), e, s.status(), rolledBack);
      } catch (RuntimeException e) {
        h.abort(String.valueOf(e), rollBackIfPoisoned(s, point, e));
        throw e;
      }
      if (point != null) {
        h.lease().push(point);
      }
      StateHandle<B> next = h.commit();
      from.close();
      return toType.create(next);
    }

    /** Restores {@code point} if the failed work left the substrate Poisoned; true if it did. */
    private static boolean rollBackIfPoisoned(
        Substrate s, @org.checkerframework.checker.nullness.qual.Nullable RollbackPoint<?> point, Exception failure) {
      if (point == null || !(s.status() instanceof SandboxStatus.Poisoned)) {
        return false;
      }
      try {
        s.restore(point.snapshot().image());
        return true;
      } catch (SandboxException | RuntimeException restoreFailure) {
        failure.addSuppressed(restoreFailure);
        return false;
      }
    }

    @Override
    public String toString() {
      return descriptor.toString();
    }
  }

  /** A devolve declared by a family. */
  private static final class FamilyDevolve<B extends Substrate, F extends Sandbox, T extends Sandbox>
      implements Devolve<F, T> {
    private final TransitionDescriptor descriptor;
    private final Evolve<T, F> matching;
    private final StateType<F, B> fromType;
    private final StateType<T, B> toType;

    FamilyDevolve(
        TransitionDescriptor descriptor,
        Evolve<T, F> matching,
        StateType<F, B> fromType,
        StateType<T, B> toType) {
      this.descriptor = descriptor;
      this.matching = matching;
      this.fromType = fromType;
      this.toType = toType;
    }

    @Override
    public TransitionDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public Evolve<T, F> reverses() {
      return matching;
    }

    @Override
    public T apply(@Owning F from) throws SandboxException {
      StateHandle<B> h = fromType.handleOf(from);
      @MustCall("close") B s = h.begin(descriptor);
      requireOrAbort(h, s, SandboxStatus.Operation.RESTORE);
      RollbackPoint<?> point = h.lease().newest(matching.descriptor());
      if (point == null) {
        h.abort("no rollback point", false);
        throw new IllegalStateException(
            "devolve '" + descriptor.name() + "' found no rollback point recorded by evolve '"
                + matching.name() + "' in this sandbox (it was created from a snapshot, restored, or"
                + " already devolved); journal: " + h.journal());
      }
      try {
        s.restore(point.snapshot().image());
      } catch (SandboxException e) {
        h.abort(String.valueOf(e.getMessage()), false);
        throw new TransitionFailedException(1, descriptor.name(), e, s.status(), false);
      } catch (RuntimeException e) {
        h.abort(String.valueOf(e), false);
        throw e;
      }
      h.lease().resetRollbackPoints(point.pointsBefore());
      StateHandle<B> next = h.commit();
      from.close();
      return toType.create(next);
    }

    @Override
    public String toString() {
      return descriptor.toString();
    }
  }
}
