package dev.molt.states.internal.snapshotfile;

import dev.molt.api.Sandbox;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.SnapshotIncompatibleException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Between API snapshots ({@link Snapshot} with a {@link VmSnapshotImage}) and snapshot files: what
 * a state family's save and load call.
 */
public final class SnapshotFiles {
  private SnapshotFiles() {}

  /**
   * Saves {@code snapshot} to {@code path} (atomically replaced).
   *
   * @param snapshot a snapshot whose image is a {@link VmSnapshotImage}
   * @param cpu the CPU it was taken on (normally {@link CpuIdentity#host()})
   * @param path where to write
   * @throws IllegalArgumentException if the image is not a {@link VmSnapshotImage}
   * @throws SnapshotFormatException ({@code IO}) if writing fails
   */
  public static void save(Snapshot<?> snapshot, CpuIdentity cpu, Path path)
      throws SnapshotFormatException {
    Objects.requireNonNull(snapshot, "snapshot");
    if (!(snapshot.image() instanceof VmSnapshotImage image)) {
      throw new IllegalArgumentException(
          "only snapshots of the KVM substrate can be saved, this image is a "
              + snapshot.image().getClass().getName());
    }
    SnapshotFileWriter.write(
        SnapshotFile.of(
            snapshot.state().getName(), snapshot.lineage(), snapshot.layout(),
            snapshot.generation(), snapshot.hostFunctions(), cpu, image.vcpus(), image.memory(),
            image.guest()),
        path);
  }

  /**
   * The API snapshot of a validated file, typed by {@code state}.
   *
   * @param file a file read by {@link SnapshotFileReader}
   * @param state the state class the caller expects
   * @param status the status reported in the exception (Unrecoverable when no sandbox exists yet)
   * @param <S> the state
   * @return the snapshot
   * @throws SnapshotIncompatibleException ({@code STATE}) if the file was taken in another state
   */
  // As in dev.molt.api.Snapshot: Class<S> carries no obligation, but the Checker's annotated JDK
  // bounds Class's T by @MustCall({}), so Class<S> of a sandbox type variable is reported
  // (type.argument). Only that Must Call key is suppressed.
  @SuppressWarnings("mustcall:type.argument")
  public static <S extends Sandbox> Snapshot<S> toSnapshot(
      SnapshotFile file, Class<S> state, SandboxStatus status) throws SnapshotIncompatibleException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(state, "state");
    if (!state.getName().equals(file.stateClassName())) {
      throw new SnapshotIncompatibleException(
          SnapshotIncompatibleException.Reason.STATE,
          "snapshot was taken in " + file.stateClassName() + ", not " + state.getName(),
          status);
    }
    return Snapshot.of(
        state, file.lineage(), file.layout(), file.generation(), file.hostFunctions(),
        new VmSnapshotImage(file.memory(), file.vcpus(), file.guest()));
  }
}
