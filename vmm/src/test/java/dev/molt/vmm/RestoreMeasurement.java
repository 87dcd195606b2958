package dev.molt.vmm;

import static dev.molt.vmm.testing.ReferenceLayout.USER_CODE;

import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.testing.Programs;
import dev.molt.vmm.testing.RingThreeGuest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: prints medians of restore costs on this machine (README "Snapshots" table). Run
 * with {@code -Dmolt.measure=true -Dtest=RestoreMeasurement}. Asserts nothing about time.
 */
@RequiresKvm
@EnabledIfSystemProperty(named = "molt.measure", matches = "true")
class RestoreMeasurement {
  static final long MEMORY = 16L << 20;
  static final long DATA = 0x200000;
  static final int ROUNDS = 201;

  @Test
  void restoreCosts() throws java.io.IOException {
    try (Kvm kvm = Kvm.open()) {
      measure(kvm, true, "copy", 16, false); // warm-up (JIT), not printed
      for (int pass = 0; pass < 2; pass++) {
        for (boolean manual : new boolean[] {pass == 0, pass != 0}) {
          for (String strategy : new String[] {"copy", "remap"}) {
            for (long pages : new long[] {1, 16, 256, 3584}) {
              measure(kvm, manual, strategy, pages, true);
            }
          }
        }
      }
      measureUnknownImage(kvm);
      measureCapture(kvm);
      measureSharing(kvm);
    }
  }

  private static void measure(
      Kvm kvm, boolean manual, String strategy, long pages, boolean print) {
    try (RingThreeGuest guest =
        RingThreeGuest.on(kvm.createVirtualMachine(8, manual), MEMORY, MEMORY)) {
      VirtualMachine vm = guest.vm();
      vm.remapAbovePages(strategy.equals("copy") ? Long.MAX_VALUE : 0);
      guest.load(USER_CODE, Programs.writePages(DATA, pages, 7));
      guest.call(USER_CODE); // warm: page-table A/D bits, first entry
      MemorySnapshot image = vm.captureMemory();
      long[] restore = new long[ROUNDS];
      long[] run = new long[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        guest.enter(USER_CODE);
        long t0 = System.nanoTime();
        guest.vcpu().run();
        long t1 = System.nanoTime();
        vm.restoreMemory(image);
        long t2 = System.nanoTime();
        run[i] = t1 - t0;
        restore[i] = t2 - t1;
      }
      if (!print) {
        return;
      }
      System.out.printf(
          "MEASURE dirtylog=%s strategy=%s pages=%d restore_median_us=%.1f next_run_median_us=%.1f%n",
          manual ? "manual" : "classic", strategy, pages, median(restore), median(run));
    }
  }

  private static void measureUnknownImage(Kvm kvm) {
    try (RingThreeGuest a = RingThreeGuest.boot(kvm, MEMORY);
        RingThreeGuest b = RingThreeGuest.boot(kvm, MEMORY)) {
      MemorySnapshot image = a.vm().captureMemory();
      long[] full = new long[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        b.memory().fill(GuestAddress.of(0), MEMORY, (byte) i);
        b.vm().remapAbovePages(Long.MAX_VALUE);
        long t0 = System.nanoTime();
        b.vm().restoreMemory(image); // tracked after the first round: full 4096-page copy
        full[i] = System.nanoTime() - t0;
      }
      System.out.printf("MEASURE full 16 MiB copy restore_median_us=%.1f%n", median(full));
    }
  }

  private static void measureCapture(Kvm kvm) {
    try (RingThreeGuest a = RingThreeGuest.boot(kvm, MEMORY)) {
      long[] capture = new long[51];
      long[] create = new long[51];
      for (int i = 0; i < capture.length; i++) {
        long t0 = System.nanoTime();
        MemorySnapshot image = a.vm().captureMemory();
        long t1 = System.nanoTime();
        try (VirtualMachine copy = kvm.createVirtualMachine()) {
          long t2 = System.nanoTime();
          copy.addMemoryRegionsFrom(image);
          create[i] = System.nanoTime() - t2;
        }
        capture[i] = t1 - t0;
      }
      System.out.printf(
          "MEASURE capture 16 MiB median_us=%.1f addMemoryRegionsFrom median_us=%.1f%n",
          median(capture), median(create));
    }
  }

  /** Memory per VM created from one 16 MiB image, each touching every page and writing 16. */
  private static void measureSharing(Kvm kvm) throws java.io.IOException {
    try (RingThreeGuest a = RingThreeGuest.boot(kvm, MEMORY)) {
      a.memory().fill(GuestAddress.of(DATA), MEMORY - DATA, (byte) 1);
      MemorySnapshot image = a.vm().captureMemory();
      java.util.List<VirtualMachine> vms = new java.util.ArrayList<>();
      long rss0 = ProcessMemory.residentSetKib();
      long pss0 = ProcessMemory.proportionalSetKib();
      long t0 = System.nanoTime();
      try {
        for (int i = 0; i < 200; i++) {
          VirtualMachine vm = kvm.createVirtualMachine();
          vms.add(vm);
          vm.addMemoryRegionsFrom(image);
          for (long at = 0; at < MEMORY; at += 4096) {
            vm.memory().readByte(GuestAddress.of(at));
          }
          for (int p = 0; p < 16; p++) {
            vm.memory().writeLong(GuestAddress.of(DATA + p * 4096L), i);
          }
        }
        long nanos = System.nanoTime() - t0;
        System.out.printf(
            "MEASURE 200 VMs from one 16 MiB image: RSS +%d KiB, PSS +%d KiB (%.1f KiB PSS per VM), %.0f us per VM incl. touching%n",
            ProcessMemory.residentSetKib() - rss0,
            ProcessMemory.proportionalSetKib() - pss0,
            (ProcessMemory.proportionalSetKib() - pss0) / 200.0,
            nanos / 200 / 1000.0);
      } finally {
        vms.forEach(VirtualMachine::close);
      }
    }
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1000.0;
  }
}
