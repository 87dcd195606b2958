package dev.molt.api;

import com.google.common.collect.ImmutableMap;
import dev.molt.api.spi.SnapshotImage;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of a sandbox, typed by the state it was taken in: restoring a {@code
 * Snapshot<S>} can only produce an {@code S} (or fail with {@link SnapshotIncompatibleException}
 * when it belongs to another lineage or layout). It can be restored any number of times, shared
 * between threads, and used to create new sandboxes.
 *
 * <p>Besides the substrate's image (guest memory and vCPU state) it records the sandbox's {@link
 * Lineage}, its {@link LayoutId}, a generation number (increasing per capture within one sandbox)
 * and the host-function signatures registered when it was taken, so that a sandbox created from
 * it can require a superset with equal signatures ({@link #requireHostFunctions}).
 *
 * <p>Snapshots are taken and restored through the state family ({@code
 * dev.molt.api.spi.StateFamily}); {@link #of} is for substrates that load snapshots from storage.
 *
 * @param <S> the state the snapshot was taken in
 */
// Class<T> carries no obligation, but the Checker's annotated JDK bounds T by @MustCall({}), so
// every Class<S> with S a sandbox type variable is reported (type.argument). Call sites that pass
// class literals are not affected. Only that Must Call key is suppressed.
@SuppressWarnings("mustcall:type.argument")
public final class Snapshot<S extends Sandbox> {

  private final Class<S> state;
  private final Lineage lineage;
  private final LayoutId layout;
  private final long generation;
  private final ImmutableMap<String, HostFunctionSignature> hostFunctions;
  private final SnapshotImage image;

  private Snapshot(
      Class<S> state,
      Lineage lineage,
      LayoutId layout,
      long generation,
      ImmutableMap<String, HostFunctionSignature> hostFunctions,
      SnapshotImage image) {
    this.state = state;
    this.lineage = lineage;
    this.layout = layout;
    this.generation = generation;
    this.hostFunctions = hostFunctions;
    this.image = image;
  }

  /**
   * A snapshot value (SPI: for state families and for substrates loading snapshots from storage).
   *
   * @param state the state class it was taken in
   * @param lineage the sandbox lineage
   * @param layout the memory layout
   * @param generation the capture number within its sandbox, not negative
   * @param hostFunctions the host-function signatures registered when it was taken
   * @param image the substrate's content
   * @param <S> the state
   * @return the snapshot
   * @throws IllegalArgumentException if {@code generation} is negative
   */
  public static <S extends Sandbox> Snapshot<S> of(
      Class<S> state,
      Lineage lineage,
      LayoutId layout,
      long generation,
      Map<String, HostFunctionSignature> hostFunctions,
      SnapshotImage image) {
    if (generation < 0) {
      throw new IllegalArgumentException("generation must not be negative, was " + generation);
    }
    return new Snapshot<>(
        Objects.requireNonNull(state, "state"),
        Objects.requireNonNull(lineage, "lineage"),
        Objects.requireNonNull(layout, "layout"),
        generation,
        ImmutableMap.copyOf(Objects.requireNonNull(hostFunctions, "hostFunctions")),
        Objects.requireNonNull(image, "image"));
  }

  /**
   * The state class the snapshot was taken in.
   *
   * @return the class
   */
  public Class<S> state() {
    return state;
  }

  /**
   * The lineage of the sandbox it was taken from.
   *
   * @return the lineage
   */
  public Lineage lineage() {
    return lineage;
  }

  /**
   * The memory layout of the sandbox it was taken from.
   *
   * @return the layout
   */
  public LayoutId layout() {
    return layout;
  }

  /**
   * The capture number within its sandbox (0 for the first capture).
   *
   * @return the generation
   */
  public long generation() {
    return generation;
  }

  /**
   * The host-function signatures registered when it was taken.
   *
   * @return signatures by name
   */
  public ImmutableMap<String, HostFunctionSignature> hostFunctions() {
    return hostFunctions;
  }

  /**
   * The substrate's content (SPI: only the substrate that captured it can interpret it).
   *
   * @return the image
   */
  public SnapshotImage image() {
    return image;
  }

  /**
   * Throws unless this snapshot can be restored into a sandbox of {@code lineage} and {@code
   * layout}.
   *
   * @param lineage the target sandbox's lineage
   * @param layout the target sandbox's layout
   * @param status the target sandbox's current status, reported unchanged in the exception
   * @throws SnapshotIncompatibleException naming the mismatch with both values
   */
  public void requireRestorableOn(Lineage lineage, LayoutId layout, SandboxStatus status)
      throws SnapshotIncompatibleException {
    if (!this.lineage.equals(lineage)) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.LINEAGE,
          "snapshot of " + this.lineage + " cannot be restored into a sandbox of " + lineage,
          status);
    }
    if (!this.layout.equals(layout)) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.LAYOUT,
          "snapshot has layout " + this.layout + " but the sandbox has layout " + layout,
          status);
    }
  }

  /**
   * Throws unless {@code offered} is a superset of the host functions this snapshot recorded, with
   * equal signatures: the check before creating a sandbox from this snapshot.
   *
   * @param offered the host functions the new sandbox would have
   * @throws HostFunctionMismatchException listing every missing or mismatched function
   */
  public void requireHostFunctions(HostFunctions offered) throws HostFunctionMismatchException {
    Objects.requireNonNull(offered, "offered").requireSatisfies(hostFunctions);
  }

  @Override
  public String toString() {
    return "Snapshot<" + state.getSimpleName() + ">(" + lineage + ", layout " + layout + ", generation "
        + generation + ", " + image.sizeBytes() + " bytes)";
  }
}
