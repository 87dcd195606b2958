package dev.molt.states.demo;

import dev.molt.api.CallTimedOutException;
import dev.molt.api.GuestErrorException;
import dev.molt.api.GuestFaultException;
import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.Snapshot;
import dev.molt.api.ValueType;
import dev.molt.guest.TestGuest;
import dev.molt.states.GuestBinary;
import dev.molt.states.GuestFunction;
import dev.molt.states.MultiUseSandbox;
import dev.molt.states.PooledSandbox;
import dev.molt.states.SandboxPool;
import dev.molt.states.UninitializedSandbox;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Molt demo: runs the shipped C test guest in a KVM micro-VM through the built-in states —
 * create, evolve (guest initialisation), typed calls, a host callback into Java, a guest fault
 * caught as a typed error and undone by restoring a snapshot, a sandbox created from that
 * snapshot, a pool, a runaway call stopped by the time limit — printing what happened and how long
 * each step took, then medians of the lifecycle operations.
 *
 * <p>Run with {@code mvn -B -q -Pstates-demo -DskipTests verify} from the project root.
 */
public final class StatesDemo {
  private static final GuestBinary BEHAVIOURS = GuestBinary.of(TestGuest.BEHAVIOURS.elf());
  private static final GuestBinary NOOP = GuestBinary.of(TestGuest.NOOP.elf());
  private static final SandboxConfiguration CONFIG =
      SandboxConfiguration.builder()
          .guestMemorySize(16L << 20)
          .heapSize(4L << 20)
          .inputBufferSize((1L << 20) + 4096)
          .outputBufferSize((1L << 20) + 4096)
          .build();

  private StatesDemo() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   * @throws Exception if KVM is unusable or a step fails unexpectedly
   */
  public static void main(String[] args) throws Exception {
    System.out.printf(
        "Molt demo on Java %s: the 'behaviours' C guest (%d bytes) in a KVM micro-VM%n",
        Runtime.version(), BEHAVIOURS.bytes().length);
    System.out.println(
        "(single steps are first calls: class loading, jnr-ffi set-up and JIT included;"
            + " the medians at the end are steady state)");
    HostFunctions host =
        HostFunctions.empty()
            .with(
                HostFunction.of(
                    "Add",
                    HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.I32),
                    a -> {
                      int sum = (Integer) a.get(0) + (Integer) a.get(1);
                      return sum;
                    }));

    long t0 = System.nanoTime();
    UninitializedSandbox fresh = UninitializedSandbox.create(BEHAVIOURS, CONFIG, host);
    step("create: validate ELF, map 16 MiB, write supervisor + image + boot block, vCPU", t0);
    try (fresh) {
      t0 = System.nanoTime();
      try (MultiUseSandbox sandbox = fresh.evolve()) {
        step("evolve: run guest init on the same VM (" + sandbox.functions().size() + " functions)", t0);

        t0 = System.nanoTime();
        Snapshot<MultiUseSandbox> clean = sandbox.snapshot();
        step("snapshot    " + clean, t0);

        t0 = System.nanoTime();
        int sum = sandbox.call("Add", Integer.class, 40, 2);
        step("typed call  Add(40, 2) = " + sum, t0);

        t0 = System.nanoTime();
        String echoed = sandbox.call("EchoString", String.class, "h\u00e9llo from Java");
        step("typed call  EchoString -> \"" + echoed + "\"", t0);

        t0 = System.nanoTime();
        int viaHost = sandbox.call("CallHostAdd", Integer.class, 1000, 337);
        step("host call   CallHostAdd(1000, 337): guest -> Java Add -> guest = " + viaHost, t0);

        t0 = System.nanoTime();
        int printed = sandbox.call("Print", Integer.class, "hello from ring 3");
        step("print       guest HostPrint -> SLF4J 'dev.molt.guest' (" + printed + " bytes)", t0);

        t0 = System.nanoTime();
        try {
          sandbox.call("Fail", Void.class, 1234, "input rejected");
        } catch (GuestErrorException e) {
          step("reported    " + e.getMessage(), t0);
        }

        t0 = System.nanoTime();
        try {
          sandbox.call("NullDeref", Long.class);
        } catch (GuestFaultException e) {
          step("fault       " + e.getMessage(), t0);
          System.out.printf("            -> vector %d, rip 0x%x, address 0x%x; status now %s%n",
              e.vector(), e.rip(), e.faultAddress().orElse(-1), sandbox.status());
        }

        t0 = System.nanoTime();
        sandbox.restore(clean);
        step("restore     back to the snapshot: status " + sandbox.status() + ", Add(2, 3) = "
            + sandbox.call("Add", Integer.class, 2, 3), t0);

        t0 = System.nanoTime();
        try (MultiUseSandbox copy = MultiUseSandbox.fromSnapshot(clean, host)) {
          step("from snapshot: a second VM mapping the image copy-on-write, Counter() = "
              + copy.call("Counter", Long.class), t0);
        }

        try (SandboxPool pool = SandboxPool.create(clean, host, 2)) {
          for (int user = 1; user <= 2; user++) {
            t0 = System.nanoTime();
            try (PooledSandbox lease = pool.acquire()) {
              long counter = lease.sandbox().call("Counter", Long.class);
              step("pool user " + user + ": Counter() = " + counter
                  + " (each user starts from the snapshot)", t0);
            }
          }
        }

        System.out.println();
        System.out.println("snapshot medians (this machine):");
        median("snapshot (memory unchanged: image reused)", 200, sandbox::snapshot);
        median("snapshot after a call (fresh image)", 100, () -> {
          sandbox.call("Counter", Long.class);
          sandbox.snapshot();
        });
        median("call + restore (Counter dirties pages)", 500, () -> {
          sandbox.call("Counter", Long.class);
          sandbox.restore(clean);
        });
        median("create from snapshot + close", 100, () -> MultiUseSandbox.fromSnapshot(clean, host).close());
        try (SandboxPool pool = SandboxPool.create(clean, host, 1)) {
          median("pool acquire + call + release", 500, () -> {
            try (PooledSandbox lease = pool.acquire()) {
              lease.sandbox().call("Counter", Long.class);
            }
          });
        }
      }
    }

    SandboxConfiguration limited = SandboxConfiguration.builder().callTimeLimit(Duration.ofMillis(50)).build();
    try (UninitializedSandbox spin = UninitializedSandbox.create(BEHAVIOURS, limited);
        MultiUseSandbox sandbox = spin.evolve()) {
      t0 = System.nanoTime();
      try {
        sandbox.call("SpinForever", Void.class);
      } catch (CallTimedOutException e) {
        step("time limit  " + e.getMessage(), t0);
      }
    }

    System.out.println();
    System.out.println("medians (this machine; compare ratios, not absolutes):");
    measureCreateAndEvolve();
    try (UninitializedSandbox n = UninitializedSandbox.create(NOOP, CONFIG);
        MultiUseSandbox noop = n.evolve()) {
      GuestFunction<Void> call = noop.function("Noop", Void.class);
      median("no-op call Noop(i32)", 2000, () -> call.call(7));
    }
    try (UninitializedSandbox b = UninitializedSandbox.create(BEHAVIOURS, CONFIG, host);
        MultiUseSandbox sandbox = b.evolve()) {
      GuestFunction<Integer> hostAdd = sandbox.function("CallHostAdd", Integer.class);
      median("call with one host call (CallHostAdd)", 2000, () -> hostAdd.call(1, 2));
      byte[] mib = new byte[1 << 20];
      Arrays.fill(mib, (byte) 7);
      GuestFunction<byte[]> echo = sandbox.function("EchoBytes", byte[].class);
      median("1 MiB echo (EchoBytes)", 100, () -> echo.call((Object) mib));
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void measureCreateAndEvolve() throws Exception {
    int rounds = 200;
    long[] createEvolve = new long[rounds];
    long[] close = new long[rounds];
    for (int i = -rounds / 5; i < rounds; i++) {
      long t0 = System.nanoTime();
      UninitializedSandbox n = UninitializedSandbox.create(NOOP, CONFIG);
      MultiUseSandbox ready;
      try {
        ready = n.evolve();
      } finally {
        n.close(); // consumed on success: does nothing
      }
      long t1 = System.nanoTime();
      ready.close();
      long t2 = System.nanoTime();
      if (i >= 0) {
        createEvolve[i] = t1 - t0;
        close[i] = t2 - t1;
      }
    }
    report("create + evolve (noop guest)", createEvolve);
    report("close (VM, vCPU, 16 MiB unmapped)", close);
  }

  private static void median(String what, int rounds, Step step) throws Exception {
    for (int i = 0; i < rounds / 5; i++) {
      step.run(); // warm-up
    }
    long[] samples = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      step.run();
      samples[i] = System.nanoTime() - t;
    }
    report(what, samples);
  }

  private static void report(String what, long[] samples) {
    Arrays.sort(samples);
    int n = samples.length;
    System.out.printf(Locale.ROOT, "  %-42s median %8.1f us   p10 %8.1f   p90 %8.1f   (%d runs)%n",
        what, samples[n / 2] / 1e3, samples[n / 10] / 1e3, samples[n * 9 / 10] / 1e3, n);
  }

  private static void step(String what, long startNanos) {
    System.out.printf(Locale.ROOT, "%9.1f us  %s%n", (System.nanoTime() - startNanos) / 1e3, what);
  }
}
