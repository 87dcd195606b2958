package dev.molt.states.internal.snapshotfile;

/**
 * What a snapshot file may contain at most; checked before anything is allocated for it.
 *
 * @param maxFileBytes largest file accepted
 * @param maxMemoryBytes largest memory image (sum of region sizes)
 * @param guestAddressLimit first guest-physical address no region may reach (exclusive)
 * @param maxRegions most memory regions
 * @param maxVcpus most vCPU register sets
 * @param maxHostFunctions most host-function signatures
 * @param maxCpuFeatures most CPU feature names
 * @param maxStringBytes longest string (UTF-8 bytes)
 */
public record SnapshotLimits(
    long maxFileBytes,
    long maxMemoryBytes,
    long guestAddressLimit,
    int maxRegions,
    int maxVcpus,
    int maxHostFunctions,
    int maxCpuFeatures,
    int maxStringBytes) {

  /**
   * Checks that every limit is positive.
   *
   * @throws IllegalArgumentException naming the first limit that is not
   */
  public SnapshotLimits {
    positive("maxFileBytes", maxFileBytes);
    positive("maxMemoryBytes", maxMemoryBytes);
    positive("guestAddressLimit", guestAddressLimit);
    positive("maxRegions", maxRegions);
    positive("maxVcpus", maxVcpus);
    positive("maxHostFunctions", maxHostFunctions);
    positive("maxCpuFeatures", maxCpuFeatures);
    positive("maxStringBytes", maxStringBytes);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /**
   * Defaults: 4 GiB of memory below a 4 GiB guest-physical limit, 64 regions, 64 vCPUs, 4096 host
   * functions, 256 CPU features, 4 KiB strings, and a file no larger than memory plus 16 MiB.
   *
   * @return the limits
   */
  public static SnapshotLimits defaults() {
    long memory = 4L << 30;
    return new SnapshotLimits(memory + (16L << 20), memory, 1L << 32, 64, 64, 4096, 256, 4096);
  }

  /**
   * These limits with another guest-physical range and memory maximum (e.g. the layout's).
   *
   * @param guestAddressLimit first guest-physical address no region may reach
   * @param maxMemoryBytes largest memory image
   * @return the limits
   */
  public SnapshotLimits withGuestRange(long guestAddressLimit, long maxMemoryBytes) {
    return new SnapshotLimits(
        maxFileBytes, maxMemoryBytes, guestAddressLimit, maxRegions, maxVcpus, maxHostFunctions,
        maxCpuFeatures, maxStringBytes);
  }
}
