package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.report.Machine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Describes the machine from {@code /proc} and {@code /sys}: CPU, cores, memory, kernel, and
 * whether KVM is hardware-backed or the PVM software hypervisor.
 */
final class MachineProbe {
  private final Path root;

  /** Probes the real machine. */
  MachineProbe() {
    this(Path.of("/"));
  }

  /** Probes a copy of {@code /proc}, {@code /sys} and {@code /dev} under {@code root} (tests). */
  MachineProbe(Path root) {
    this.root = root;
  }

  Machine probe() {
    String cpuinfo = read("proc/cpuinfo").orElse("");
    String cpuModel = field(cpuinfo, "model name").orElse("unknown CPU");
    int cores = (int) cpuinfo.lines().filter(l -> l.startsWith("processor")).count();
    long memory =
        field(read("proc/meminfo").orElse(""), "MemTotal")
            .map(v -> Long.parseLong(v.replace("kB", "").strip()) * 1024)
            .orElse(0L);
    String kernel = read("proc/sys/kernel/osrelease").map(String::strip).orElse("unknown");
    List<String> evidence = new ArrayList<>();
    String kvm = kvmKind(cpuinfo, evidence);
    return new Machine(
        cpuModel, cores, memory, kernel, kvm, String.join("; ", evidence),
        System.getProperty("java.runtime.version", "unknown"));
  }

  private String kvmKind(String cpuinfo, List<String> evidence) {
    String flags = field(cpuinfo, "flags").orElse("");
    List<String> flagList = List.of(flags.split("\\s+"));
    evidence.add(
        "cpuinfo flags: "
            + (flagList.contains("vmx") ? "vmx" : flagList.contains("svm") ? "svm" : "no vmx/svm")
            + (flagList.contains("hypervisor") ? ", hypervisor" : ""));
    if (!Files.exists(root.resolve("dev/kvm"))) {
      evidence.add("/dev/kvm absent");
      return "none";
    }
    for (String module : List.of("kvm_pvm", "kvm_intel", "kvm_amd")) {
      if (Files.isDirectory(root.resolve("sys/module").resolve(module))) {
        evidence.add("/sys/module/" + module + " present");
        return module.equals("kvm_pvm") ? "pvm" : "hardware";
      }
    }
    evidence.add("/dev/kvm present, no kvm_pvm/kvm_intel/kvm_amd module listed");
    return "unknown";
  }

  private Optional<String> read(String relative) {
    try {
      return Optional.of(Files.readString(root.resolve(relative), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The value of the first {@code name : value} line. */
  static Optional<String> field(String text, String name) {
    return text.lines()
        .filter(l -> l.startsWith(name) && l.indexOf(':') > 0)
        .filter(l -> l.substring(0, l.indexOf(':')).strip().equals(name))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst();
  }
}
