package dev.molt.vmm.demo;

import static dev.molt.vmm.testing.ReferenceLayout.DONE_PORT;
import static dev.molt.vmm.testing.ReferenceLayout.STACK_GUARD;
import static dev.molt.vmm.testing.ReferenceLayout.STACK_TOP;
import static dev.molt.vmm.testing.ReferenceLayout.USER_CODE;

import dev.molt.vmm.DescriptorTable;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.InterruptHandle;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuExit;
import dev.molt.vmm.testing.Programs;
import dev.molt.vmm.testing.RingThreeGuest;
import dev.molt.vmm.testing.X86;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The vmm demo: boots a ring-3 guest on /dev/kvm, runs a computation and checks it, faults it,
 * kills a spinning guest from another thread, triple-faults it, and recovers the same VM after
 * each, printing what happened and how long each step took.
 *
 * <p>Run by hand: {@code java --enable-native-access=ALL-UNNAMED -cp <vmm test class path> dev.molt.vmm.demo.VmmDemo}.
 */
public final class VmmDemo {
  private static final long COMPUTE = USER_CODE;
  private static final long FAULT = USER_CODE + 0x1000;
  private static final long SPIN = USER_CODE + 0x2000;
  private static final long LOOP = USER_CODE + 0x3000;
  private static final long ECHO = USER_CODE + 0x4000;
  private static final long UD2 = USER_CODE + 0x5000;
  private static final long N = 10_000_000;

  private VmmDemo() {}

  public static void main(String[] args) throws Exception {
    System.out.printf(
        "Molt vmm demo on Java %s (%s)%n", Runtime.version(), System.getProperty("java.home"));
    System.out.println(
        "(single steps are first calls, class loading and JIT included; medians at the end are"
            + " steady state)");
    try (Kvm kvm = timed("open /dev/kvm, check API version 12 (loads jnr-ffi)", Kvm::open)) {
      RingThreeGuest guest =
          timed(
              "create VM + 2 MiB memory + long-mode structures + vCPU",
              () -> RingThreeGuest.boot(kvm));
      try (guest) {
        System.out.printf(
            "      sync registers through kvm_run: %s%n", guest.vcpu().usesSyncRegisters());
        guest.load(COMPUTE, Programs.sumTo(N));
        guest.load(FAULT, new X86().loadRax(STACK_GUARD).assemble());
        guest.load(SPIN, new X86().spin().assemble());

        compute(guest, "run: ring-3 guest sums 1.." + N);

        VcpuExit fault = timed("fault: guest reads its stack guard page", () -> guest.call(FAULT));
        System.out.println("      -> " + describe(fault));
        expect(fault instanceof VcpuExit.Fault, "a typed fault");

        compute(guest, "recover: same VM, registers reset, runs again");

        InterruptHandle handle = guest.vcpu().interruptHandle();
        guest.enter(SPIN);
        long[] killedAt = new long[1];
        Thread killer =
            Thread.ofPlatform()
                .name("killer")
                .start(
                    () -> {
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                      killedAt[0] = System.nanoTime();
                      handle.kill();
                    });
        long start = System.nanoTime();
        VcpuExit killed = guest.vcpu().run();
        long end = System.nanoTime();
        killer.join();
        System.out.printf(
            "%-64s %10s  (spun %s, kill -> exit %s)%n",
            "kill: spinning guest stopped from another thread",
            "",
            duration(killedAt[0] - start),
            duration(end - killedAt[0]));
        System.out.println("      -> " + describe(killed));
        expect(killed instanceof VcpuExit.Interrupted, "Interrupted");

        compute(guest, "recover: same VM runs again");

        guest.enter(FAULT);
        guest.vcpu().setSpecialRegisters(
            guest.ringThree().toBuilder().idt(new DescriptorTable(0, 0)).build());
        VcpuExit shutdown =
            timed("triple fault: same fault with no IDT", () -> guest.vcpu().run());
        System.out.println("      -> " + describe(shutdown));
        expect(shutdown instanceof VcpuExit.Shutdown, "Shutdown");

        compute(guest, "recover: same VM runs again");
        measure(guest);
        timed("close VM (vCPU, fd, memory)", () -> {
          guest.close();
          return null;
        });
      }
    }
    System.out.println("demo OK");
  }

  /** Medians of repeated steady-state operations (the first 10% are warm-up). */
  private static void measure(RingThreeGuest guest) throws InterruptedException {
    Vcpu vcpu = guest.vcpu();
    guest.load(LOOP, new X86().label("l").outAl(DONE_PORT).jmp("l").assemble());
    guest.load(ECHO, new X86().mov(X86.RAX, X86.RDI).outAl(DONE_PORT).assemble());
    guest.load(UD2, new X86().ud2().assemble());

    guest.enter(LOOP);
    report("IO exit round trip (out; jmp) x 2,000", median(2000, vcpu::run));

    Registers echo = guest.image().entryRegisters(GuestAddress.of(ECHO), GuestAddress.of(STACK_TOP));
    long[] argument = {0};
    report(
        "dispatch via sync regs: set RIP/RSP/RDI, run, read RAX x 2,000",
        median(
            2000,
            () -> {
              vcpu.setRegisters(echo.toBuilder().rdi(++argument[0]).build());
              vcpu.run();
              expect(vcpu.registers().rax() == argument[0], "the echoed argument");
            }));

    report("kill: kick -> run() returns Interrupted x 200", killLatency(guest));

    report(
        "fault round trip: ud2, decode, reset x 2,000",
        median(
            2000,
            () -> {
              guest.enter(UD2);
              expect(vcpu.run() instanceof VcpuExit.Fault, "a fault");
            }));
  }

  /** Runs a spinning guest 200 times; another thread kills each run after 2 ms. */
  private static long killLatency(RingThreeGuest guest) throws InterruptedException {
    int repetitions = 200;
    InterruptHandle handle = guest.vcpu().interruptHandle();
    long[] kicked = new long[repetitions];
    long[] latency = new long[repetitions];
    SynchronousQueue<Integer> started = new SynchronousQueue<>();
    Thread killer =
        Thread.ofPlatform()
            .name("killer")
            .start(
                () -> {
                  try {
                    for (int i = 0; i < repetitions; i++) {
                      int run = started.take();
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                      kicked[run] = System.nanoTime();
                      handle.kill();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    for (int i = 0; i < repetitions; i++) {
      guest.enter(SPIN);
      started.put(i);
      VcpuExit exit = guest.vcpu().run();
      latency[i] = System.nanoTime();
      expect(exit instanceof VcpuExit.Interrupted, "Interrupted");
    }
    killer.join();
    long[] steady = new long[repetitions - repetitions / 10];
    for (int i = repetitions / 10; i < repetitions; i++) {
      steady[i - repetitions / 10] = latency[i] - kicked[i];
    }
    Arrays.sort(steady);
    return steady[steady.length / 2];
  }

  private static long median(int repetitions, Runnable operation) {
    long[] nanos = new long[repetitions];
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      operation.run();
      nanos[i] = System.nanoTime() - start;
    }
    long[] steady = Arrays.copyOfRange(nanos, repetitions / 10, repetitions);
    Arrays.sort(steady);
    return steady[steady.length / 2];
  }

  private static void report(String label, long medianNanos) {
    System.out.printf("%-64s %10s  (median)%n", label, duration(medianNanos));
  }

  private static void compute(RingThreeGuest guest, String label) {
    VcpuExit exit = timed(label, () -> guest.call(COMPUTE));
    long rax = guest.vcpu().registers().rax();
    System.out.printf(
        "      -> %s, RAX = %,d (expected %,d)%n", describe(exit), rax, Programs.expectedSum(N));
    expect(rax == Programs.expectedSum(N), "the sum");
  }

  private static String describe(VcpuExit exit) {
    return switch (exit) {
      case VcpuExit.Fault f -> "Fault " + f.fault();
      case VcpuExit.IoOut io ->
          String.format(Locale.ROOT, "IoOut port 0x%x value 0x%x", io.port(), io.value());
      default -> exit.toString();
    };
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("demo expected " + what);
    }
  }

  private static <T> T timed(String label, Supplier<T> step) {
    long start = System.nanoTime();
    T result = step.get();
    System.out.printf("%-64s %10s%n", label, duration(System.nanoTime() - start));
    return result;
  }

  private static String duration(long nanos) {
    if (nanos >= 10_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    if (nanos < 100_000) {
      return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
  }
}
