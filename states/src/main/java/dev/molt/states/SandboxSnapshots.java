package dev.molt.states;

import dev.molt.api.Sandbox;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.states.internal.Events;
import dev.molt.states.internal.snapshotfile.CpuIdentity;
import dev.molt.states.internal.snapshotfile.SnapshotFile;
import dev.molt.states.internal.snapshotfile.SnapshotFileReader;
import dev.molt.states.internal.snapshotfile.SnapshotFiles;
import dev.molt.states.internal.snapshotfile.SnapshotFormatException;
import dev.molt.states.internal.snapshotfile.SnapshotLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Snapshot files: {@link #save} writes a snapshot of a KVM sandbox (any state family over {@code
 * GuestSubstrate}) in the versioned format of {@code docs/snapshot-format.md}; {@link #load} reads
 * one back, validating every byte before anything reaches a VM, typed by the state the caller
 * expects. A loaded snapshot creates new sandboxes ({@link MultiUseSandbox#fromSnapshot}) or
 * restores the sandbox lineage it came from.
 *
 * <p>Trust model: the file is untrusted. Every section is hashed (SHA-256) and parsed from the
 * same heap copy; the memory image is copied into a sealed memfd while it is hashed, so a file
 * changed after it was checked cannot reach a guest. The cost is one copy of the image per load.
 */
public final class SandboxSnapshots {

  /** Largest guest memory a loaded snapshot may describe (Molt's layout allows about 480 MiB). */
  public static final long MAX_MEMORY_BYTES = 1L << 30;

  private static volatile @Nullable CpuIdentity hostCpu;

  private SandboxSnapshots() {}

  /** This host's CPU identity, read from {@code /proc/cpuinfo} once. */
  private static CpuIdentity hostCpu(SandboxStatus status) throws SnapshotIncompatibleException {
    CpuIdentity cpu = hostCpu;
    if (cpu == null) {
      try {
        cpu = CpuIdentity.host();
      } catch (IOException e) {
        throw new SnapshotIncompatibleException(
            SnapshotIncompatibleException.Reason.CPU,
            "cannot identify this host's CPU from /proc/cpuinfo: " + e.getMessage(),
            status);
      }
      hostCpu = cpu;
    }
    return cpu;
  }

  /**
   * Writes {@code snapshot} to {@code path}, atomically replacing any file there.
   *
   * @param snapshot a snapshot of a KVM sandbox
   * @param path where to write
   * @throws IllegalArgumentException if the snapshot is not a KVM sandbox's
   * @throws SnapshotIncompatibleException ({@code FORMAT}) if writing failed (the message says
   *     why; nothing is left at {@code path} but a previous file)
   */
  public static void save(Snapshot<?> snapshot, Path path) throws SnapshotIncompatibleException {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(path, "path");
    Events.Save event = new Events.Save();
    event.begin();
    event.path = path.toString();
    event.memorySize = snapshot.image().sizeBytes();
    try {
      SnapshotFiles.save(snapshot, hostCpu(SandboxStatus.ready()), path);
      event.outcome = "saved";
    } catch (SnapshotFormatException e) {
      event.outcome = e.problem().name();
      throw e.toIncompatible(SandboxStatus.ready());
    } catch (RuntimeException e) {
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      event.commit();
    }
  }

  /**
   * Reads and validates the snapshot file at {@code path}.
   *
   * @param path the file
   * @param state the state class the caller expects it to have been taken in
   * @param <S> the state
   * @return the snapshot
   * @throws SnapshotIncompatibleException with reason {@code FORMAT} for a truncated, corrupted,
   *     oversized or otherwise invalid file (the message names the defect), {@code CPU} if it was
   *     taken on a CPU of another vendor or with features this host lacks, {@code STATE} if it was
   *     taken in another state
   */
  // As in dev.molt.api.Snapshot: Class<S> carries no obligation, but the Checker's annotated JDK
  // bounds Class's T by @MustCall({}), so Class<S> of a sandbox type variable is reported
  // (type.argument). Only that Must Call key is suppressed.
  @SuppressWarnings("mustcall:type.argument")
  public static <S extends Sandbox> Snapshot<S> load(Path path, Class<S> state)
      throws SnapshotIncompatibleException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(state, "state");
    SandboxStatus none = SandboxStatus.unrecoverable("no sandbox was created");
    Events.Load event = new Events.Load();
    event.begin();
    event.path = path.toString();
    try {
      SnapshotFile file =
          SnapshotFileReader.read(
              path,
              SnapshotLimits.defaults().withGuestRange(MAX_MEMORY_BYTES, MAX_MEMORY_BYTES),
              hostCpu(none));
      event.memorySize = file.memory().sizeBytes();
      Snapshot<S> snapshot = SnapshotFiles.toSnapshot(file, state, none);
      event.outcome = "loaded";
      return snapshot;
    } catch (SnapshotFormatException e) {
      event.outcome = e.problem().name();
      throw e.toIncompatible(none);
    } catch (SnapshotIncompatibleException | RuntimeException e) {
      event.outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      event.commit();
    }
  }
}
