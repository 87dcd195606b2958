package dev.molt.vmm;

import static dev.molt.vmm.testing.ReferenceLayout.DONE_PORT;
import static dev.molt.vmm.testing.ReferenceLayout.PRINT_PORT;
import static dev.molt.vmm.testing.ReferenceLayout.STACK_TOP;
import static dev.molt.vmm.testing.ReferenceLayout.USER_CODE;
import static dev.molt.vmm.testing.ReferenceLayout.USER_DATA;
import static dev.molt.vmm.testing.X86.RAX;
import static dev.molt.vmm.testing.X86.RCX;
import static dev.molt.vmm.testing.X86.RDI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.testing.Programs;
import dev.molt.vmm.testing.RingThreeGuest;
import dev.molt.vmm.testing.X86;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ring-3 guests on real KVM: each exit is the exact typed value, and the same VM recovers. */
@RequiresKvm
class GuestRunTest {
  private static final long COMPUTE = USER_CODE;
  private static final long SNIPPET = USER_CODE + 0x1000;
  private static final long N = 100_000;

  private Kvm kvm;
  private RingThreeGuest guest;

  @BeforeEach
  void boot() {
    kvm = Kvm.open();
    guest = RingThreeGuest.boot(kvm);
    guest.load(COMPUTE, Programs.sumTo(N));
  }

  @AfterEach
  void close() {
    guest.close();
    kvm.close();
  }

  /** The same VM runs a normal computation correctly. */
  private void assertSameVmStillComputes() {
    long expected = Programs.expectedSum(N);
    assertThat(guest.call(COMPUTE)).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, expected & 0xFF));
    assertThat(guest.vcpu().registers().rax()).isEqualTo(expected);
  }

  private GuestFault faultOf(byte[] snippet) {
    guest.load(SNIPPET, snippet);
    VcpuExit exit = guest.call(SNIPPET);
    assertThat(exit).isInstanceOf(VcpuExit.Fault.class);
    GuestFault fault = ((VcpuExit.Fault) exit).fault();
    assertThat(fault.cs()).as("faulting CS is ring 3").isEqualTo(0x23);
    return fault;
  }

  private GuestFault faultOfAnyCs(byte[] snippet) {
    guest.load(SNIPPET, snippet);
    VcpuExit exit = guest.call(SNIPPET);
    assertThat(exit).isInstanceOf(VcpuExit.Fault.class);
    return ((VcpuExit.Fault) exit).fault();
  }

  @Test
  void computationReportsItsResultOnTheDonePort() {
    assertSameVmStillComputes();
  }

  @Test
  void outReachesTheHostAndTheGuestContinuesAfterIt() {
    guest.load(
        SNIPPET,
        new X86()
            .movImm(RAX, 1)
            .outAl(PRINT_PORT)
            .movImm(RAX, 2)
            .outAl(PRINT_PORT)
            .movImm(RAX, 3)
            .outAl(DONE_PORT)
            .assemble());
    assertThat(guest.call(SNIPPET)).isEqualTo(new VcpuExit.IoOut(PRINT_PORT, 1, 1));
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.IoOut(PRINT_PORT, 1, 2));
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 3));
  }

  @Test
  void guestWritesMemoryThatTheHostReads() {
    guest.load(
        SNIPPET,
        new X86()
            .loadRax(USER_DATA)
            .addImm8(RAX, 1)
            .storeRax(USER_DATA + 8)
            .outAl(DONE_PORT)
            .assemble());
    MemoryCell input = guest.memory().cell(GuestAddress.of(USER_DATA));
    MemoryCell output = guest.memory().cell(GuestAddress.of(USER_DATA + 8));
    input.setVolatile(41);
    assertThat(guest.call(SNIPPET)).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 42));
    assertThat(output.getAcquire()).isEqualTo(42);
  }

  @Test
  void registersPassedThroughSyncRegsReachTheGuest() {
    guest.load(SNIPPET, new X86().mov(RAX, RDI).outAl(DONE_PORT).assemble());
    guest.enter(SNIPPET);
    Registers entry = guest.vcpu().registers();
    guest.vcpu().setRegisters(entry.toBuilder().rdi(0x1234_5678_9ABCL).build());
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0xBC));
    assertThat(guest.vcpu().registers().rax()).isEqualTo(0x1234_5678_9ABCL);
    assertThat(guest.vcpu().usesSyncRegisters()).isTrue();
  }

  @Test
  void ioInIsAnsweredByTheHost() {
    guest.load(SNIPPET, new X86().inAl(0x12).outAl(DONE_PORT).assemble());
    assertThat(guest.call(SNIPPET)).isEqualTo(new VcpuExit.IoIn(0x12, 1));
    guest.vcpu().completeIoIn(0x5A);
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0x5A));
  }

  @Test
  void ioInAbandonedByARegisterResetIsNotCompletedAtTheNewEntry() {
    guest.load(SNIPPET, new X86().inAl(0x12).outAl(DONE_PORT).assemble());
    assertThat(guest.call(SNIPPET)).isEqualTo(new VcpuExit.IoIn(0x12, 1));
    // Re-enter at the same RIP without answering: the `in` must execute afresh, not be skipped.
    assertThat(guest.call(SNIPPET)).isEqualTo(new VcpuExit.IoIn(0x12, 1));
    assertSameVmStillComputes();
  }

  @Test
  void completeIoInWithoutAnIoInExitIsRejected() {
    assertThatThrownBy(() -> guest.vcpu().completeIoIn(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the last exit of vCPU 0 was not an IoIn");
  }

  @Test
  void touchingTheStackGuardPageIsAPageFaultWithCr2() {
    GuestFault fault = faultOf(new X86().loadRax(0x1EF000).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.PAGE_FAULT);
    assertThat(fault.errorCode()).isEqualTo(OptionalLong.of(GuestFault.PF_USER));
    assertThat(fault.faultAddress()).isEqualTo(OptionalLong.of(0x1EF000));
    assertThat(fault.rip()).isEqualTo(SNIPPET);
    assertSameVmStillComputes();
  }

  @Test
  void touchingTheNullGuardPageIsAPageFaultAtZero() {
    GuestFault fault = faultOf(new X86().loadRax(0x8).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.PAGE_FAULT);
    assertThat(fault.faultAddress()).isEqualTo(OptionalLong.of(0x8));
    assertSameVmStillComputes();
  }

  @Test
  void readingASupervisorPageIsAProtectionPageFaultFromUserMode() {
    GuestFault fault = faultOf(new X86().loadRax(0x1000).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.PAGE_FAULT);
    assertThat(fault.errorCode())
        .isEqualTo(OptionalLong.of(GuestFault.PF_PRESENT | GuestFault.PF_USER));
    assertThat(fault.faultAddress()).isEqualTo(OptionalLong.of(0x1000));
    assertSameVmStillComputes();
  }

  @Test
  void executingAnNxPageIsAnInstructionFetchPageFault() {
    GuestFault fault = faultOf(new X86().movImm(RAX, USER_DATA).jmpReg(RAX).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.PAGE_FAULT);
    assertThat(fault.errorCode())
        .isEqualTo(
            OptionalLong.of(
                GuestFault.PF_PRESENT | GuestFault.PF_USER | GuestFault.PF_INSTRUCTION_FETCH));
    assertThat(fault.rip()).isEqualTo(USER_DATA);
    assertThat(fault.faultAddress()).isEqualTo(OptionalLong.of(USER_DATA));
    assertSameVmStillComputes();
  }

  @Test
  void writingUserCodeIsAWritePageFault() {
    GuestFault fault = faultOf(new X86().storeRax(COMPUTE).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.PAGE_FAULT);
    assertThat(fault.errorCode())
        .isEqualTo(
            OptionalLong.of(GuestFault.PF_PRESENT | GuestFault.PF_WRITE | GuestFault.PF_USER));
    assertSameVmStillComputes();
  }

  @Test
  void divisionByZeroIsADivideError() {
    GuestFault fault = faultOf(new X86().movImm(RAX, 7).zero(RCX).div(RCX).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.DIVIDE_ERROR);
    assertThat(fault.errorCode()).isEmpty();
    assertThat(fault.rip()).isEqualTo(SNIPPET + 10 + 2); // after mov (10 bytes) and xor (2)
    assertThat(fault.faultAddress()).isEmpty();
    assertSameVmStillComputes();
  }

  @Test
  void ud2IsAnInvalidOpcode() {
    GuestFault fault = faultOf(new X86().ud2().assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.INVALID_OPCODE);
    assertThat(fault.rip()).isEqualTo(SNIPPET);
    assertThat(fault.rsp()).isEqualTo(STACK_TOP);
    assertSameVmStillComputes();
  }

  @Test
  void hltAtRingThreeIsAGeneralProtectionFault() {
    GuestFault fault = faultOf(new X86().hlt().assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.GENERAL_PROTECTION);
    assertThat(fault.errorCode()).isEqualTo(OptionalLong.of(0));
    assertThat(fault.rip()).isEqualTo(SNIPPET);
    assertSameVmStillComputes();
  }

  @Test
  void ringThreeCannotFakeAFaultReportBecauseTheBitmapDeniesThePort() {
    GuestFault fault = faultOf(new X86().outAl(0x8E).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.GENERAL_PROTECTION);
    assertThat(fault.rip()).isEqualTo(SNIPPET);
    assertSameVmStillComputes();
  }

  @Test
  void unboundedRecursionFaultsOnTheStackGuardPage() {
    GuestFault fault = faultOf(new X86().label("f").call("f").assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.PAGE_FAULT);
    assertThat(fault.errorCode())
        .isEqualTo(OptionalLong.of(GuestFault.PF_WRITE | GuestFault.PF_USER));
    assertThat(fault.faultAddress()).isEqualTo(OptionalLong.of(0x1EFFF8));
    assertThat(fault.rsp()).isEqualTo(0x1F0000);
    assertSameVmStillComputes();
  }

  @Test
  void faultWithoutAnIdtIsATripleFaultShutdown() {
    guest.load(SNIPPET, new X86().ud2().assemble());
    guest.enter(SNIPPET);
    guest.vcpu().setSpecialRegisters(
        guest.ringThree().toBuilder().idt(new DescriptorTable(0, 0)).build());
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.Shutdown());
    assertSameVmStillComputes();
  }

  @Test
  void faultWhileDeliveringAFaultIsADoubleFaultOnTheIstStack() {
    GuestAddress pageFaultGate = GuestAddress.of(0x2000 + 16 * 14);
    byte[] gate = guest.memory().read(pageFaultGate, 16);
    guest.memory().write(pageFaultGate, new byte[16]); // #PF gate not present: #NP, then #DF
    GuestFault fault = faultOfAnyCs(new X86().loadRax(0x1EF000).assemble());
    assertThat(fault.vector()).isEqualTo(ExceptionVector.DOUBLE_FAULT);
    assertThat(fault.errorCode()).isEqualTo(OptionalLong.of(0));
    assertThat(fault.rip()).isEqualTo(SNIPPET);
    guest.memory().write(pageFaultGate, gate);
    assertSameVmStillComputes();
  }

  @Test
  void specialRegistersThatKvmRejectsFailTheRunWithEinvalAndTheVcpuRecovers() {
    guest.enter(COMPUTE);
    guest.vcpu().setSpecialRegisters(
        guest.ringThree().toBuilder().cr0(0x80000000L).build()); // paging without protection
    assertThatThrownBy(guest.vcpu()::run)
        .isInstanceOfSatisfying(
            KvmException.class,
            e -> {
              assertThat(e.operation()).startsWith("KVM_RUN");
              assertThat(e.errnoName()).isEqualTo("EINVAL");
            });
    assertSameVmStillComputes();
  }

  @Test
  void runningAgainAfterAFaultWithoutResetIsRefused() {
    faultOf(new X86().ud2().assemble());
    assertThatThrownBy(guest.vcpu()::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("vCPU 0 stopped on fault #UD");
  }

  @Test
  void guestWriteToAReadOnlyRegionExitsAsMmio() {
    try (RingThreeGuest wide = RingThreeGuest.boot(kvm, 4 << 20, 2 << 20)) {
      wide.vm().addMemoryRegion(
          MemoryRegionSpec.memfd(GuestAddress.of(0x200000), 0x1000).asReadOnly());
      wide.memory().writeLong(GuestAddress.of(0x200000), 0x77);
      wide.load(
          SNIPPET,
          new X86()
              .loadRax(0x200000)
              .addImm8(RAX, 1)
              .storeRax(0x200000)
              .outAl(DONE_PORT)
              .assemble());
      assertThat(wide.call(SNIPPET))
          .isEqualTo(new VcpuExit.Mmio(GuestAddress.of(0x200000), 8, true, 0x78));
      assertThat(wide.memory().readLong(GuestAddress.of(0x200000))).isEqualTo(0x77);
    }
  }

  @Test
  void guestReadOfUnbackedMemoryExitsAsMmioAndCanBeAbandoned() {
    try (RingThreeGuest wide = RingThreeGuest.boot(kvm, 4 << 20, 2 << 20)) {
      wide.load(COMPUTE, Programs.sumTo(N));
      wide.load(SNIPPET, new X86().loadRax(0x300000).outAl(DONE_PORT).assemble());
      assertThat(wide.call(SNIPPET))
          .isEqualTo(new VcpuExit.Mmio(GuestAddress.of(0x300000), 8, false, 0));
      assertThat(wide.call(COMPUTE))
          .isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, Programs.expectedSum(N) & 0xFF));
      assertThat(wide.vcpu().registers().rax()).isEqualTo(Programs.expectedSum(N));
    }
  }

  @Test
  void sixteenMebibyteBenchmarkLayoutMapsItsLastPage() {
    try (RingThreeGuest big = RingThreeGuest.boot(kvm, 16 << 20)) {
      big.load(
          SNIPPET,
          new X86().movImm(RAX, 0x5EED).storeRax(0xFFFFF8).outAl(DONE_PORT).assemble());
      assertThat(big.call(SNIPPET)).isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, 0xED));
      assertThat(big.memory().readLong(GuestAddress.of(0xFFFFF8))).isEqualTo(0x5EED);
    }
  }

  @Test
  void fpuStateRoundTrips() {
    FpuState before = guest.vcpu().fpu();
    java.util.List<FpuState.Vector128> xmm = new java.util.ArrayList<>(before.xmm());
    xmm.set(3, new FpuState.Vector128(0x1111, 0x2222));
    FpuState changed =
        new FpuState(
            before.x87(), before.fcw(), before.fsw(), before.ftwx(), before.lastOpcode(),
            before.lastIp(), before.lastDp(), xmm, before.mxcsr());
    guest.vcpu().setFpu(changed);
    assertThat(guest.vcpu().fpu().xmm().get(3)).isEqualTo(new FpuState.Vector128(0x1111, 0x2222));
  }
}
