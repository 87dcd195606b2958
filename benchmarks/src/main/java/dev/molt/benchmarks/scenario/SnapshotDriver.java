package dev.molt.benchmarks.scenario;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The Java side of the floor's snapshot scenarios ({@code snapshot}, {@code restore-N}, {@code
 * create-from-snapshot}), to be implemented over Molt's {@code vmm} module and registered as a
 * {@link ServiceLoader} provider, like {@link ScenarioDriver}. The guest, its data pages and the
 * snapshot's vCPU state equal the floor's ({@code src/main/c/snapshot_floor.c}).
 */
public interface SnapshotDriver {

  /**
   * A name for reports, e.g. {@code molt-vmm}.
   *
   * @return the driver's name
   */
  String name();

  /**
   * Builds the reference snapshot VM (setup, not measured): the reference layout, the dirtying
   * code, the 256 data pages, one warm-up entry, xmm0 and the entry registers for {@code pages}
   * dirtied pages; then captures its snapshot.
   *
   * @param pages how many data pages a run from the snapshot dirties (1..256)
   * @return the VM with its snapshot; the caller closes it
   * @throws IllegalArgumentException if {@code pages} is out of range
   */
  ReferenceSnapshot open(int pages);

  /**
   * The registered driver.
   *
   * @return the driver
   * @throws IllegalStateException if none is registered
   */
  static SnapshotDriver require() {
    Optional<SnapshotDriver> found = ServiceLoader.load(SnapshotDriver.class).findFirst();
    return found.orElseThrow(
        () ->
            new IllegalStateException(
                "no SnapshotDriver is registered: the Java side of the snapshot scenarios needs"
                    + " dev.molt.benchmarks.driver.VmmSnapshotDriver (META-INF/services and"
                    + " module-info)"));
  }
}
