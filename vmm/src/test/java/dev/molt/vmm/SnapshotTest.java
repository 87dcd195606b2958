package dev.molt.vmm;

import static dev.molt.vmm.testing.ReferenceLayout.DONE_PORT;
import static dev.molt.vmm.testing.ReferenceLayout.USER_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.testing.Programs;
import dev.molt.vmm.testing.RingThreeGuest;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dirty tracking, memory snapshots and vCPU state on real KVM, with a real ring-3 guest. */
@RequiresKvm
class SnapshotTest {
  static final long MEMORY = 16L << 20;
  /** User data above the reference layout's stack: free for the test guests. */
  static final long DATA = 0x200000;
  static final long PAGE = 4096;
  static final long WARM_PAGES = 1100;

  private Kvm kvm;
  private RingThreeGuest guest;

  @BeforeEach
  void boot() {
    kvm = Kvm.open();
    guest = RingThreeGuest.boot(kvm, MEMORY);
    // A first run over every data page the tests use: the guest's page walks set the accessed and
    // dirty bits in its page tables (guest writes, which the dirty log rightly reports), and the
    // vCPU's first guest entry is behind us (it discards x87/SSE state set before it on PVM).
    guest.load(USER_CODE, Programs.writePages(DATA, WARM_PAGES, 0));
    assertThat(guest.call(USER_CODE)).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0));
    vm().takeDirtyPages();
  }

  @AfterEach
  void close() {
    guest.close();
    kvm.close();
  }

  private GuestMemory memory() {
    return guest.memory();
  }

  private VirtualMachine vm() {
    return guest.vm();
  }

  /** Runs a guest that writes {@code pages} pages from {@code first}, to the done port. */
  private void guestWrites(long first, long pages, long value) {
    guest.load(USER_CODE, Programs.writePages(first, pages, value));
    vm().takeDirtyPages(); // the code load is a host write; callers count only the guest's
    assertThat(guest.call(USER_CODE)).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, value & 0xFF));
  }

  private static long[] pagesOf(List<DirtyPages> dirty) {
    return dirty.stream().flatMapToLong(DirtyPages::addresses).toArray();
  }

  private static void assertMemoryEquals(GuestMemory memory, MemorySnapshot image) {
    for (MemoryRegion region : memory.regions()) {
      for (long at = 0; at < region.size(); at += 1 << 20) {
        GuestAddress address = region.base().plus(at);
        int length = (int) Math.min(1 << 20, region.size() - at);
        assertThat(memory.read(address, length))
            .as("guest memory at %s", address)
            .isEqualTo(image.read(address, length));
      }
    }
  }

  @Test
  void hostWritesThroughGuestMemoryAndCellsAreDirtyPages() {
    vm().takeDirtyPages();
    memory().writeLong(GuestAddress.of(DATA + 8), 1);
    memory().write(GuestAddress.of(DATA + 3 * PAGE - 2), new byte[4]); // spans pages 2 and 3
    memory().cell(GuestAddress.of(DATA + 10 * PAGE)).getAndAdd(5);
    memory().fill(GuestAddress.of(DATA + 20 * PAGE), 2 * PAGE, (byte) 7);

    assertThat(pagesOf(vm().takeDirtyPages()))
        .containsExactly(
            DATA, DATA + 2 * PAGE, DATA + 3 * PAGE, DATA + 10 * PAGE, DATA + 20 * PAGE,
            DATA + 21 * PAGE);
    assertThat(pagesOf(vm().takeDirtyPages())).as("a second harvest").isEmpty();
  }

  @Test
  void guestPageTableWalksDirtyThePageTablesOnFirstTouch() {
    assertThat(pagesOf(vm().takeDirtyPages())).isEmpty();
    guestWrites(DATA + WARM_PAGES * PAGE, 1, 0x22); // a page no run has touched yet
    assertThat(java.util.Arrays.stream(pagesOf(vm().takeDirtyPages())).boxed().toList())
        .contains(DATA + WARM_PAGES * PAGE)
        .allMatch(
            page ->
                page == DATA + WARM_PAGES * PAGE
                    || (page >= dev.molt.vmm.testing.ReferenceLayout.PAGE_TABLES
                        && page < dev.molt.vmm.testing.ReferenceLayout.USER_CODE));
  }

  @Test
  void guestWritesAreDirtyPagesInBothDirtyLogModes() {
    assertThat(vm().usesManualDirtyLogProtection())
        .isEqualTo(kvm.supports(Capability.MANUAL_DIRTY_LOG_PROTECT2));
    guestWrites(DATA + 4 * PAGE, 5, 0x77);
    assertThat(pagesOf(vm().takeDirtyPages()))
        .containsExactly(LongStream.range(4, 9).map(p -> DATA + p * PAGE).toArray());

    try (VirtualMachine classic = kvm.createVirtualMachine(8, false)) {
      assertThat(classic.usesManualDirtyLogProtection()).isFalse();
      classic.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), PAGE * 16));
      classic.memory().writeByte(GuestAddress.of(PAGE * 3), (byte) 1);
      assertThat(pagesOf(classic.takeDirtyPages())).containsExactly(PAGE * 3);
    }
  }

  @Test
  void restoreAfterHostWritesBringsBackEveryByte() {
    MemorySnapshot image = vm().captureMemory();
    memory().writeLong(GuestAddress.of(DATA), 0xDEADBEEFL);
    memory().fill(GuestAddress.of(0x110000), PAGE, (byte) 0x55);

    MemoryRestore restore = vm().restoreMemory(image);

    assertThat(restore).isEqualTo(new MemoryRestore(true, 2, 0, 2));
    assertMemoryEquals(memory(), image);
  }

  @Test
  void restoreAfterGuestWritesBringsBackEveryByte() {
    guest.load(USER_CODE, Programs.writePages(DATA, 3, 0x1234));
    MemorySnapshot image = vm().captureMemory();
    assertThat(guest.call(USER_CODE)).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0x34));
    assertThat(memory().readLong(GuestAddress.of(DATA + 2 * PAGE))).isEqualTo(0x1234);

    MemoryRestore restore = vm().restoreMemory(image);

    assertThat(restore).isEqualTo(new MemoryRestore(true, 3, 0, 3));
    assertMemoryEquals(memory(), image);
  }

  @Test
  void restoreAfterHostAndGuestWritesBringsBackEveryByte() {
    guest.load(USER_CODE, Programs.writePages(DATA, 16, 0x99));
    MemorySnapshot image = vm().captureMemory();
    memory().writeLong(GuestAddress.of(DATA + 100 * PAGE), 42); // host
    memory().writeLong(GuestAddress.of(DATA + 3 * PAGE), 42); // host, later also guest
    assertThat(guest.call(USER_CODE)).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0x99));

    MemoryRestore restore = vm().restoreMemory(image);

    assertThat(restore).isEqualTo(new MemoryRestore(true, 17, 0, 17));
    assertMemoryEquals(memory(), image);
  }

  @Test
  void repeatedRestoresCopyExactlyThePagesDirtiedSinceTheSnapshot() {
    guest.load(USER_CODE, Programs.writePages(DATA, 1, 0));
    MemorySnapshot image = vm().captureMemory();
    Random random = new Random(6);
    for (int round = 0; round < 60; round++) {
      long pages = 1 + random.nextInt(40);
      long first = DATA + PAGE * random.nextInt(1000);
      guest.load(USER_CODE, Programs.writePages(first, pages, round + 1)); // host: 1 code page
      assertThat(guest.call(USER_CODE)).isInstanceOf(VcpuExit.IoOut.class);

      MemoryRestore restore = vm().restoreMemory(image);

      assertThat(restore.pagesCopied()).as("round %d", round).isEqualTo(pages + 1);
      assertThat(memory().readLong(GuestAddress.of(first))).isZero();
    }
    assertMemoryEquals(memory(), image);
  }

  @Test
  void aRegionAboveTheRemapThresholdIsRestoredByRemappingTheImage() {
    vm().remapAbovePages(1024);
    long pages = 1024 + 10;
    guest.load(USER_CODE, Programs.writePages(DATA, 1, 0));
    MemorySnapshot image = vm().captureMemory();
    memory().fill(GuestAddress.of(DATA), pages * PAGE, (byte) 3);

    MemoryRestore restore = vm().restoreMemory(image);

    assertThat(restore).isEqualTo(new MemoryRestore(true, 0, 1, pages));
    assertMemoryEquals(memory(), image);
    guestWrites(DATA + PAGE, 2, 0x44); // the guest still runs and writes on remapped memory
    assertThat(vm().restoreMemory(image).pagesCopied()).isEqualTo(2 + 1);
    assertMemoryEquals(memory(), image);
  }

  @Test
  void anOlderSnapshotRestoresExactlyAfterANewerOne() {
    memory().writeLong(GuestAddress.of(DATA), 1);
    MemorySnapshot first = vm().captureMemory();
    memory().writeLong(GuestAddress.of(DATA + PAGE), 2);
    MemorySnapshot second = vm().captureMemory();
    memory().writeLong(GuestAddress.of(DATA + 2 * PAGE), 3);

    assertThat(vm().restoreMemory(first).pagesCopied()).isEqualTo(2);
    assertMemoryEquals(memory(), first);
    // Pages that may differ from the second: the one it changed and the one put back for the first
    // (a page is not compared, only tracked).
    assertThat(vm().restoreMemory(second).pagesCopied()).isEqualTo(2);
    assertMemoryEquals(memory(), second);
  }

  @Test
  void anImageThisVmHasNotSeenIsRestoredInFull() {
    memory().writeLong(GuestAddress.of(DATA), 11);
    MemorySnapshot image = vm().captureMemory();
    try (RingThreeGuest other = RingThreeGuest.boot(kvm, MEMORY)) {
      MemoryRestore restore = other.vm().restoreMemory(image);
      assertThat(restore.incremental()).isFalse();
      assertThat(restore.regionsRemapped()).isEqualTo(1);
      assertMemoryEquals(other.memory(), image);
    }
  }

  @Test
  void vcpuStateRestoresEveryRegisterAndTheGuestRepeatsItsRun() {
    guest.load(USER_CODE, Programs.writePages(DATA, 4, 0xAB));
    guest.enter(USER_CODE);
    FpuState fpu = guest.vcpu().fpu();
    guest.vcpu()
        .setFpu(
            new FpuState(
                fpu.x87(), fpu.fcw(), fpu.fsw(), fpu.ftwx(), fpu.lastOpcode(), fpu.lastIp(),
                fpu.lastDp(),
                java.util.Collections.nCopies(16, new FpuState.Vector128(0x1111, 0x2222)),
                fpu.mxcsr()));
    VcpuState before = guest.vcpu().captureState();
    MemorySnapshot image = vm().captureMemory();
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0xAB));
    VcpuState after = guest.vcpu().captureState();
    assertThat(after.general()).isNotEqualTo(before.general());

    vm().restoreMemory(image);
    guest.vcpu().restoreState(before);

    assertThat(guest.vcpu().captureState()).isEqualTo(before);
    assertThat(guest.vcpu().fpu().xmm().get(15)).isEqualTo(new FpuState.Vector128(0x1111, 0x2222));
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0xAB));
    assertThat(guest.vcpu().captureState()).isEqualTo(after);
  }

  @Test
  void vmsCreatedFromOneImageShareItsPagesCopyOnWrite() throws Exception {
    memory().fill(GuestAddress.of(DATA), MEMORY - DATA, (byte) 0x5A);
    MemorySnapshot image = vm().captureMemory();
    long[] vms = new long[200];
    List<VirtualMachine> created = new java.util.ArrayList<>();
    long before = ProcessMemory.proportionalSetKib();
    try {
      for (int i = 0; i < vms.length; i++) {
        VirtualMachine copy = kvm.createVirtualMachine();
        created.add(copy);
        copy.addMemoryRegionsFrom(image);
        // Touch every page from the host: with private copies this would cost 16 MiB per VM.
        for (long at = 0; at < MEMORY; at += PAGE) {
          copy.memory().readByte(GuestAddress.of(at));
        }
        copy.memory().writeLong(GuestAddress.of(DATA), i); // one private page each
      }
      long growthKib = ProcessMemory.proportionalSetKib() - before;
      assertThat(created.get(7).memory().readLong(GuestAddress.of(DATA))).isEqualTo(7);
      assertThat(created.get(7).memory().readByte(GuestAddress.of(MEMORY - 1))).isEqualTo((byte) 0x5A);
      assertThat(growthKib)
          .as("PSS growth for 200 VMs of 16 MiB from one image (not 200 x 16 MiB = 3.2 GiB)")
          .isLessThan(64 * 1024);
      VirtualMachine one = created.get(3);
      assertThat(one.restoreMemory(image)).isEqualTo(new MemoryRestore(true, 1, 0, 1));
      assertMemoryEquals(one.memory(), image);
    } finally {
      created.forEach(VirtualMachine::close);
    }
  }

  @Test
  void restoringAnImageOfOtherRegionsIsRefused() throws Exception {
    try (VirtualMachine small = kvm.createVirtualMachine()) {
      small.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), PAGE * 4));
      MemorySnapshot image = small.captureMemory();
      assertThatThrownBy(() -> vm().restoreMemory(image))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("differ from this VM's");
    }
    assertThatThrownBy(() -> vm().restoreMemory(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void capturingAVmWithoutMemoryIsRefused() {
    try (VirtualMachine empty = kvm.createVirtualMachine()) {
      assertThatThrownBy(empty::captureMemory)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no memory region");
    }
  }

  @Test
  void snapshotOperationsAfterCloseAreRefused() {
    MemorySnapshot image = vm().captureMemory();
    guest.close();
    assertThatThrownBy(() -> vm().restoreMemory(image)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> vm().captureMemory()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> vm().takeDirtyPages()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCapturedImageIsSealed() {
    assertThat(vm().captureMemory().isSealed()).isTrue();
  }

  @Test
  void aCaptureCopiesOnlyPagesThatWereEverWrittenAndNeverWrittenPagesReadAsZero() {
    try (VirtualMachine fresh = kvm.createVirtualMachine()) {
      fresh.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), MEMORY));
      fresh.memory().write(GuestAddress.of(3 * PAGE + 10), new byte[] {1, 2, 3});
      fresh.memory().writeLong(GuestAddress.of(MEMORY - 8), -1L);
      MemorySnapshot image = fresh.captureMemory();
      assertThat(image.populatedPages()).isEqualTo(2);
      assertThat(image.sizeBytes()).isEqualTo(MEMORY);
      assertMemoryEquals(fresh.memory(), image);
      assertThat(image.read(GuestAddress.of(5 * PAGE), 8)).containsOnly(0);
    }
  }

  /** All bytes of every region of {@code memory}, region after region. */
  private static byte[] everyByte(GuestMemory memory) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (MemoryRegion region : memory.regions()) {
      for (long at = 0; at < region.size(); at += 1 << 20) {
        all.writeBytes(memory.read(region.base().plus(at), (int) Math.min(1 << 20, region.size() - at)));
      }
    }
    return all.toByteArray();
  }

  @Test
  void aSmallCaptureIsAHeapCopyThatRestoresEveryByteWithoutAMemfd() {
    try (VirtualMachine fresh = kvm.createVirtualMachine()) {
      fresh.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), MEMORY));
      GuestMemory memory = fresh.memory();
      for (long page = 0; page < 40; page += 3) {
        memory.fill(GuestAddress.of(page * PAGE), PAGE, (byte) (page + 1));
      }
      memory.writeLong(GuestAddress.of(MEMORY - 8), 0x1122334455667788L);
      byte[] expected = everyByte(memory);
      MemorySnapshot image = fresh.captureMemory();
      assertThat(image.isHeapCopy()).isTrue();
      assertThat(image.populatedPages()).isEqualTo(15);

      // Pages the image holds and pages it does not (those must come back as zeros).
      memory.fill(GuestAddress.of(3 * PAGE), 2 * PAGE, (byte) 0x77);
      memory.writeLong(GuestAddress.of(100 * PAGE), -1L);
      memory.writeLong(GuestAddress.of(MEMORY - 8), 0);
      MemoryRestore restore = fresh.restoreMemory(image);

      assertThat(restore).isEqualTo(new MemoryRestore(true, 4, 0, 4));
      assertThat(image.isHeapCopy()).as("a tracked restore needs no memfd").isTrue();
      assertThat(everyByte(memory)).isEqualTo(expected);
    }
  }

  @Test
  void aHeapCopyBecomesASealedMemfdWhenAVmIsMappedFromItAndStaysEqual() throws Exception {
    try (VirtualMachine fresh = kvm.createVirtualMachine()) {
      fresh.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), MEMORY));
      fresh.memory().fill(GuestAddress.of(7 * PAGE), 5 * PAGE, (byte) 0x3C);
      byte[] expected = everyByte(fresh.memory());
      MemorySnapshot image = fresh.captureMemory();
      assertThat(image.isHeapCopy()).isTrue();
      try (VirtualMachine copy = kvm.createVirtualMachine()) {
        copy.addMemoryRegionsFrom(image);
        assertThat(image.isHeapCopy()).isFalse();
        assertThat(image.isSealed()).isTrue();
        assertThat(everyByte(copy.memory())).isEqualTo(expected);
      }
      // After the switch, restores copy from the memfd's mapping.
      fresh.memory().fill(GuestAddress.of(8 * PAGE), PAGE, (byte) 1);
      fresh.memory().fill(GuestAddress.of(300 * PAGE), PAGE, (byte) 1);
      assertThat(fresh.restoreMemory(image)).isEqualTo(new MemoryRestore(true, 2, 0, 2));
      assertThat(everyByte(fresh.memory())).isEqualTo(expected);
    }
  }

  @Test
  void aCaptureAboveTheHeapLimitIsAMemfdFromTheStart() {
    try (VirtualMachine fresh = kvm.createVirtualMachine()) {
      fresh.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), MEMORY));
      fresh.memory().fill(
          GuestAddress.of(0), (MemorySnapshot.COMPACT_LIMIT_PAGES + 1) * PAGE, (byte) 9);
      MemorySnapshot image = fresh.captureMemory();
      assertThat(image.isHeapCopy()).isFalse();
      assertThat(image.populatedPages()).isEqualTo(MemorySnapshot.COMPACT_LIMIT_PAGES + 1);
    }
  }

  @Test
  void aCaptureWithNothingChangedSinceATrackedImageReturnsThatImage() {
    MemorySnapshot first = vm().captureMemory();
    assertThat(vm().captureMemory()).isSameAs(first);
    guestWrites(DATA, 1, 7);
    MemorySnapshot second = vm().captureMemory();
    assertThat(second).isNotSameAs(first);
    vm().restoreMemory(first);
    assertThat(vm().captureMemory()).isSameAs(first);
  }

  @Test
  void aVmMappedFromAnImageCapturesTheImagePagesAndItsOwnWrites() throws Exception {
    MemorySnapshot image = vm().captureMemory();
    try (VirtualMachine copy = kvm.createVirtualMachine()) {
      copy.addMemoryRegionsFrom(image);
      copy.memory().writeLong(GuestAddress.of(DATA + 3000 * PAGE), 42L);
      MemorySnapshot again = copy.captureMemory();
      assertThat(again.populatedPages()).isEqualTo(image.populatedPages() + 1);
      assertMemoryEquals(copy.memory(), again);
      assertThat(again.read(GuestAddress.of(DATA + 3000 * PAGE), 1)).containsExactly(42);
    }
  }

  @Test
  void theStateOfAFreshVcpuIsItsResetStateReadBackByIoctl() {
    for (int round = 0; round < 2; round++) { // the second round is served from the cached reset values
      try (VirtualMachine vm = kvm.createVirtualMachine()) {
        Vcpu vcpu = vm.createVcpu(0);
        VcpuState state = vcpu.captureState();
        assertThat(state.general()).isEqualTo(vcpu.registers());
        assertThat(state.fpu()).isEqualTo(vcpu.fpu());
        assertThat(state.special()).isEqualTo(vcpu.specialRegisters());
      }
    }
  }
}
