package dev.molt.api.spi;

import dev.molt.api.HostFunctions;
import dev.molt.api.LayoutId;
import dev.molt.api.Lineage;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * What all states of one sandbox share and hand on: guest memory, vCPU, host functions. The KVM
 * implementation lives in {@code dev.molt.states}; tests use in-memory ones. A substrate is owned
 * by exactly one {@link StateHandle} lineage of moves; states never expose it.
 *
 * <p>Implementations must be thread-safe for {@link #status()} and must make {@link #close()}
 * idempotent.
 */
@InheritableMustCall("close")
public interface Substrate extends AutoCloseable {

  /**
   * What the sandbox can still do. The substrate owns the status: it poisons itself on an abnormal
   * guest exit, becomes Ready again after a successful {@link #restore}, and Unrecoverable when a
   * restore or the VM itself fails.
   *
   * @return the current status
   */
  SandboxStatus status();

  /**
   * The lineage this substrate belongs to (new for a fresh sandbox, inherited from the snapshot
   * for one created from a snapshot).
   *
   * @return the lineage
   */
  Lineage lineage();

  /**
   * The fingerprint of this substrate's memory layout.
   *
   * @return the layout id
   */
  LayoutId layout();

  /**
   * The host functions registered now (recorded in snapshots).
   *
   * @return the registry
   */
  HostFunctions hostFunctions();

  /**
   * Captures guest memory and vCPU state as an immutable image.
   *
   * @return the image
   * @throws SandboxException if capturing is refused (a call in progress: Ready, nothing
   *     changed) or failed (the exception says the status)
   * @throws IllegalStateException if the status does not allow {@link
   *     dev.molt.api.SandboxStatus.Operation#SNAPSHOT}
   */
  SnapshotImage capture() throws SandboxException;

  /**
   * Makes guest memory and vCPU state exactly those of {@code image} and clears Poisoned. Callers
   * (Molt) have already checked lineage and layout.
   *
   * @param image an image captured from a substrate of this lineage and layout
   * @throws dev.molt.api.SnapshotIncompatibleException if the image is of a kind this substrate
   *     cannot restore (nothing changed)
   * @throws SandboxException if restoring failed midway (normally Unrecoverable)
   */
  void restore(SnapshotImage image) throws SandboxException;

  /** Releases the substrate's resources. Idempotent. */
  @Override
  void close();
}
