package dev.molt.benchmarks.report;

import java.util.Locale;
import java.util.Objects;

/**
 * The machine a report was measured on.
 *
 * @param cpuModel the CPU model name ({@code /proc/cpuinfo})
 * @param cores the number of online logical CPUs
 * @param memoryBytes the total memory in bytes ({@code /proc/meminfo})
 * @param kernel the kernel release ({@code uname -r})
 * @param kvm how KVM is provided: {@code hardware}, {@code pvm} (software hypervisor),
 *     {@code none} or {@code unknown}
 * @param kvmEvidence what {@code kvm} was concluded from
 * @param java the Java runtime version of the harness and its JMH forks
 */
public record Machine(
    String cpuModel,
    int cores,
    long memoryBytes,
    String kernel,
    String kvm,
    String kvmEvidence,
    String java) {

  /**
   * Checks the description.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code cores} or {@code memoryBytes} is negative
   */
  public Machine {
    Objects.requireNonNull(cpuModel, "cpuModel");
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(kvm, "kvm");
    Objects.requireNonNull(kvmEvidence, "kvmEvidence");
    Objects.requireNonNull(java, "java");
    if (cores < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException(
          "cores and memory must not be negative, got " + cores + " and " + memoryBytes);
    }
  }

  /**
   * One line for tables and chart captions.
   *
   * @return e.g. {@code AMD EPYC, 2 cores, 23.4 GiB, kernel 6.18, KVM: pvm, Java 25}
   */
  public String oneLine() {
    return String.format(
        Locale.ROOT,
        "%s, %d cores, %.1f GiB, kernel %s, KVM: %s, Java %s",
        cpuModel,
        cores,
        memoryBytes / (1024.0 * 1024 * 1024),
        kernel,
        kvm,
        java);
  }
}
