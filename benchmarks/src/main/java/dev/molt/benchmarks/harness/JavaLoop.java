package dev.molt.benchmarks.harness;

import dev.molt.benchmarks.report.Summary;
import dev.molt.benchmarks.scenario.KickableVcpu;
import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.benchmarks.scenario.ScenarioDrivers;
import java.util.List;
import java.util.Locale;

/**
 * The Java side of an operation JMH cannot time: kill-to-eintr spans two threads (the kick in one,
 * the return from KVM_RUN in the other), so it is measured the way the floor measures it, in a
 * plain loop in its own JVM, and printed as the floor prints its figures (one JSON line, read by
 * {@link FloorOutput#parse}).
 *
 * <p>{@code JavaLoop kill-to-eintr --ops N --warmup W}: first {@value #JIT_WARMUP} kicks with a
 * short settle time so the JIT compiles the path, then {@code W} unrecorded and {@code N}
 * recorded operations with the floor's 1 ms settle time.
 */
public final class JavaLoop {
  /** Kicks run before the warm-up proper, for the JIT (C2 compiles after ~10,000 calls). */
  static final int JIT_WARMUP = 12_000;

  private static final long JIT_SETTLE_NANOS = 20_000;

  private JavaLoop() {}

  /**
   * Runs the loop; exits 64 on bad arguments, 1 when an operation fails.
   *
   * @param args {@code kill-to-eintr --ops N --warmup W}
   */
  public static void main(String[] args) {
    Arguments a;
    try {
      a = Arguments.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("JavaLoop: " + e.getMessage());
      System.exit(64);
      return;
    }
    try {
      System.out.println(killToEintr(a.ops(), a.warmup(), JIT_WARMUP));
    } catch (RuntimeException e) {
      System.err.println("JavaLoop: " + e);
      System.exit(1);
    }
  }

  /** Runs kill-to-eintr and returns its JSON line. */
  static String killToEintr(int ops, int warmup, int jitWarmup) {
    double[] samples = new double[ops];
    try (KickableVcpu vcpu = ScenarioDrivers.require().openKickable()) {
      for (int i = 0; i < jitWarmup; i++) {
        vcpu.arm(JIT_SETTLE_NANOS);
        vcpu.kickAndMeasure();
      }
      for (int i = 0; i < warmup; i++) {
        vcpu.arm(KickableVcpu.SETTLE_NANOS);
        vcpu.kickAndMeasure();
      }
      for (int i = 0; i < ops; i++) {
        vcpu.arm(KickableVcpu.SETTLE_NANOS);
        samples[i] = vcpu.kickAndMeasure();
      }
    }
    Summary s = Summary.of(samples);
    double sum = 0;
    for (double v : samples) {
      sum += v;
    }
    return String.format(
        Locale.ROOT,
        "{\"scenario\":\"%s\",\"unit\":\"ns\",\"ops\":%d,\"warmup\":%d,\"median\":%.1f,"
            + "\"min\":%.0f,\"max\":%.0f,\"mean\":%.1f,\"verified\":true,"
            + "\"check\":\"run() returned Interrupted after the kick\",\"memoryBytes\":%d}",
        Scenario.KILL_TO_EINTR.operation(), ops, warmup, s.median(), s.min(), s.max(),
        sum / ops, 16L << 20);
  }

  /** The command line. */
  record Arguments(int ops, int warmup) {
    static Arguments parse(List<String> args) {
      if (args.isEmpty() || !args.get(0).equals(Scenario.KILL_TO_EINTR.operation())) {
        throw new IllegalArgumentException(
            "usage: JavaLoop kill-to-eintr --ops N [--warmup W] (the only loop-measured scenario)");
      }
      int ops = -1;
      int warmup = 20;
      for (int i = 1; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option '" + args.get(i) + "' needs a value");
        }
        int value = count(args.get(i), args.get(i + 1));
        switch (args.get(i)) {
          case "--ops" -> ops = value;
          case "--warmup" -> warmup = value;
          default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "'");
        }
      }
      if (ops < 1) {
        throw new IllegalArgumentException("--ops N (N >= 1) is required");
      }
      return new Arguments(ops, warmup);
    }

    private static int count(String option, String text) {
      try {
        int v = Integer.parseInt(text);
        if (v >= 0) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(option + " needs a non-negative integer, got '" + text + "'");
    }
  }
}
