package dev.molt.states.internal.snapshotfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU a snapshot was taken on, as far as it matters for resuming guest code elsewhere: the
 * vendor and the instruction-set features a guest may have used (ring-3 code runs natively, so a
 * guest that detected AVX2 would fault on a host without it). Read from {@code /proc/cpuinfo}
 * (the kernel's view of CPUID).
 *
 * @param vendor the CPUID vendor string, e.g. {@code GenuineIntel}, {@code AuthenticAMD}
 * @param features the {@link #RELEVANT} flags this CPU has, sorted
 */
public record CpuIdentity(String vendor, Set<String> features) {

  /** The {@code /proc/cpuinfo} flags recorded and compared: the user-visible ISA extensions. */
  public static final List<String> RELEVANT =
      List.of(
          "fpu", "sse", "sse2", "pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "pclmulqdq",
          "xsave", "avx", "f16c", "fma", "bmi1", "bmi2", "avx2", "movbe", "lzcnt", "abm", "adx",
          "rdrand", "rdseed", "sha_ni", "erms", "fsrm", "avx512f", "avx512dq", "avx512cd",
          "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "vaes", "vpclmulqdq", "gfni",
          "clflushopt", "clwb", "xsaveopt", "xsavec", "xsaves", "fsgsbase", "rdpid");

  /**
   * Copies and sorts the features.
   *
   * @throws NullPointerException if a component is null
   */
  public CpuIdentity {
    Objects.requireNonNull(vendor, "vendor");
    features = java.util.Collections.unmodifiableSet(new TreeSet<>(features));
  }

  /**
   * This host's CPU.
   *
   * @return the identity
   * @throws IOException if {@code /proc/cpuinfo} cannot be read or lacks vendor or flags
   */
  public static CpuIdentity host() throws IOException {
    return parse(Files.readString(Path.of("/proc/cpuinfo")));
  }

  /**
   * Parses the first processor of a {@code /proc/cpuinfo} text.
   *
   * @param cpuinfo the text
   * @return the identity
   * @throws IOException if vendor or flags are missing
   */
  static CpuIdentity parse(String cpuinfo) throws IOException {
    String vendor = null;
    String flags = null;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (vendor == null && key.equals("vendor_id")) {
        vendor = value;
      } else if (flags == null && key.equals("flags")) {
        flags = value;
      }
    }
    if (vendor == null || flags == null) {
      throw new IOException("/proc/cpuinfo has no vendor_id or flags line");
    }
    Set<String> present = new TreeSet<>(Arrays.asList(flags.split("\\s+")));
    present.retainAll(RELEVANT);
    return new CpuIdentity(vendor, present);
  }

  /**
   * Why a snapshot taken on {@code recorded} cannot resume on this CPU, or empty if it can: the
   * vendor must be equal and this CPU must have every recorded feature.
   *
   * @param recorded the CPU of the snapshot
   * @return the problem, or empty
   */
  public java.util.Optional<String> cannotRun(CpuIdentity recorded) {
    if (!vendor.equals(recorded.vendor)) {
      return java.util.Optional.of(
          "snapshot taken on a " + recorded.vendor + " CPU, this host is " + vendor);
    }
    Set<String> missing = new TreeSet<>(recorded.features);
    missing.removeAll(features);
    if (!missing.isEmpty()) {
      return java.util.Optional.of("this host's CPU lacks features the snapshot's had: " + missing);
    }
    return java.util.Optional.empty();
  }
}
