package dev.molt.api.spi;

import dev.molt.api.JournalEntry;
import dev.molt.api.Sandbox;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.TransitionDescriptor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.checkerframework.checker.mustcall.qual.MustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;

/**
 * A state's claim on its sandbox's {@link Substrate}, and the consumed-state guard. Every state
 * holds exactly one handle in an {@code @Owning} field and routes every operation through {@link
 * #substrate()}; a transition {@linkplain #begin begins} a move on it (compare-and-set: of two
 * threads racing to transition one state, exactly one wins) and then {@linkplain #commit commits}
 * it, which returns the successor handle for the new state, or {@linkplain #abort aborts} it,
 * which leaves this handle live.
 *
 * <p>After a commit this handle is dead: {@link #substrate()} and {@link #status()} throw {@link
 * SandboxConsumedException} naming the transition and the state it became, and {@link #close()}
 * does nothing (the substrate belongs to the successor). While a move is in progress, the other
 * threads' calls throw {@link IllegalStateException} naming it.
 *
 * <p>State implementations write:
 *
 * {@snippet class=dev.molt.transitions.demo.DemoRuntime region=state}
 *
 * @param <B> the substrate type
 */
@MustCall("close")
public final class StateHandle<B extends Substrate> implements AutoCloseable {

  /** The lifecycle of one handle. */
  private sealed interface Fate {}

  private record Live() implements Fate {}

  private record InProgress(TransitionDescriptor by) implements Fate {}

  private record Moved(TransitionDescriptor by) implements Fate {}

  private record RolledBack(String by) implements Fate {}

  private record Closed() implements Fate {}

  private static final Live LIVE = new Live();
  private static final Closed CLOSED = new Closed();

  private final Lease<B> lease;
  private final String state;
  private final AtomicReference<Fate> fate = new AtomicReference<>(LIVE);

  private StateHandle(Lease<B> lease, String state) {
    this.lease = lease;
    this.state = state;
  }

  /**
   * Opens the first handle of a new sandbox (for a family's entry factory, through {@link
   * StateFamily#open}).
   *
   * @param substrate the substrate; ownership moves to the handle
   * @param state the state class that will hold the handle
   * @param <B> the substrate type
   * @return a live handle
   */
  // The substrate's obligation moves into the lease shared by this handle and its successors; the
  // one live handle closes it. The Resource Leak Checker cannot express a resource shared by a
  // sequence of moved owners (TOOLCHAIN.md: no use-after-move tracking), so it reports the
  // parameter as unclosed here.
  @SuppressWarnings("required.method.not.called")
  static <B extends Substrate> StateHandle<B> open(
      @Owning B substrate, Class<? extends Sandbox> state) {
    return new StateHandle<>(
        new Lease<>(Objects.requireNonNull(substrate, "substrate")),
        Objects.requireNonNull(state, "state").getSimpleName());
  }

  /**
   * The substrate, for an operation of the state that holds this handle.
   *
   * @return the substrate (not owned by the caller)
   * @throws SandboxConsumedException if a transition consumed this state
   * @throws IllegalStateException if this state is closed, being consumed by a transition in
   *     progress, or was rolled back
   */
  public @NotOwning B substrate() {
    requireLive();
    return lease.substrate;
  }

  /**
   * The sandbox's status.
   *
   * @return the substrate's status
   * @throws SandboxConsumedException if a transition consumed this state
   * @throws IllegalStateException if this state is closed or being consumed
   */
  public SandboxStatus status() {
    requireLive();
    return lease.substrate.status();
  }

  /**
   * The simple name of the state class holding this handle.
   *
   * @return the name
   */
  public String stateName() {
    return state;
  }

  /**
   * Whether this handle may be used (not consumed, closed, rolled back or being consumed).
   *
   * @return true if live
   */
  public boolean isLive() {
    return fate.get() instanceof Live;
  }

  /** How many journal entries a sandbox keeps: the most recent ones. */
  public static final int JOURNAL_LIMIT = 256;

  /**
   * The transitions this sandbox went through, oldest first (shared by all its states; readable
   * from dead handles too, for error messages): the most recent {@value #JOURNAL_LIMIT}, numbered
   * from 1 since the sandbox was created, so a gap before the first entry shows what was dropped.
   *
   * @return an immutable copy
   */
  public List<JournalEntry> journal() {
    return lease.journal();
  }

  /**
   * Starts consuming this state by {@code transition}: compare-and-set from live to in-progress.
   * Exactly one of several racing threads succeeds; the others get an exception.
   *
   * @param transition the transition about to run
   * @return the substrate, for the transition's work
   * @throws SandboxConsumedException if a transition already consumed this state
   * @throws IllegalStateException if this state is closed or another transition is in progress
   */
  public @NotOwning B begin(TransitionDescriptor transition) {
    Objects.requireNonNull(transition, "transition");
    InProgress next = new InProgress(transition);
    while (!fate.compareAndSet(LIVE, next)) {
      requireLive(); // throws unless the handle became live again (an aborted move): then retry
    }
    return lease.substrate;
  }

  /**
   * Abandons the move started by {@link #begin}: the state stays live and its owner's.
   *
   * @param detail why it failed (journaled)
   * @param rolledBack whether a rollback point was restored (journaled)
   * @throws IllegalStateException if no move is in progress
   */
  public void abort(String detail, boolean rolledBack) {
    Fate f = fate.get();
    if (!(f instanceof InProgress p) || !fate.compareAndSet(f, LIVE)) {
      throw new IllegalStateException("no transition in progress on " + state);
    }
    lease.record(
        p.by(),
        state,
        p.by().to().getSimpleName(),
        rolledBack ? JournalEntry.Outcome.ROLLED_BACK : JournalEntry.Outcome.FAILED,
        detail);
  }

  /**
   * Completes the move started by {@link #begin}: this handle dies and the returned successor,
   * for the new state, owns the substrate.
   *
   * @return the successor handle
   * @throws IllegalStateException if no move is in progress
   */
  public StateHandle<B> commit() {
    Fate f = fate.get();
    if (!(f instanceof InProgress p) || !fate.compareAndSet(f, new Moved(p.by()))) {
      throw new IllegalStateException("no transition in progress on " + state);
    }
    lease.record(p.by(), state, p.by().to().getSimpleName(), JournalEntry.Outcome.SUCCEEDED, "");
    return new StateHandle<>(lease, p.by().to().getSimpleName());
  }

  /**
   * Completes the operation started by {@link #begin} without a new state: the handle is live
   * again (same state, same owner) and the operation is journaled as succeeded. For operations
   * that keep the state, such as restoring a snapshot of the same state.
   *
   * @throws IllegalStateException if no operation is in progress
   */
  void completeInPlace() {
    Fate f = fate.get();
    if (!(f instanceof InProgress p) || !fate.compareAndSet(f, LIVE)) {
      throw new IllegalStateException("no transition in progress on " + state);
    }
    lease.record(p.by(), state, state, JournalEntry.Outcome.SUCCEEDED, "");
  }

  /**
   * Releases the sandbox if this handle is live; otherwise (consumed, rolled back, already
   * closed) does nothing. Idempotent.
   */
  @Override
  public void close() {
    if (fate.compareAndSet(LIVE, CLOSED)) {
      lease.substrate.close();
    }
  }

  Lease<B> lease() {
    return lease;
  }

  /**
   * Makes this (moved) handle live again and kills {@code successor}, the currently live handle
   * of the same sandbox: after a chain's rollback the caller's original state is usable again.
   */
  void reclaimFrom(StateHandle<B> successor, String by) {
    if (successor.lease != lease) {
      throw new IllegalArgumentException("handles belong to different sandboxes");
    }
    if (!successor.fate.compareAndSet(LIVE, new RolledBack(by))) {
      successor.requireLive();
    }
    fate.set(LIVE);
  }

  private void requireLive() {
    Fate f = fate.get();
    switch (f) {
      case Live l -> {}
      case Moved m ->
          throw new SandboxConsumedException(state, m.by().name(), m.by().to().getSimpleName());
      case InProgress p ->
          throw new IllegalStateException(
              state + " is being consumed by transition '" + p.by().name() + "' (in progress)");
      case RolledBack r ->
          throw new IllegalStateException(
              state + " was rolled back by " + r.by() + "; the state it came from is live again");
      case Closed c -> throw new IllegalStateException(state + " is closed");
    }
  }

  @Override
  public String toString() {
    return "StateHandle[" + state + ", " + fate.get() + "]";
  }
}
