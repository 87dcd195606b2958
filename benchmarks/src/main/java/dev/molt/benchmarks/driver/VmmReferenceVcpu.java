package dev.molt.benchmarks.driver;

import dev.molt.benchmarks.scenario.ReferenceVcpu;
import dev.molt.benchmarks.scenario.Scenario;
import dev.molt.vmm.ExceptionVector;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestFault;
import dev.molt.vmm.GuestMemory;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.MemoryCell;
import dev.molt.vmm.Registers;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuExit;
import dev.molt.vmm.VirtualMachine;
import dev.molt.vmm.longmode.LongModeImage;
import java.util.function.BiFunction;

/**
 * One VM of the reference layout with its vCPU entered at a scenario's user code; {@link #op}
 * performs that scenario's operation exactly as the floor's {@code op_*} function does.
 */
abstract sealed class VmmReferenceVcpu implements ReferenceVcpu {
  final VirtualMachine vm;
  final Vcpu vcpu;
  private final Scenario scenario;

  private VmmReferenceVcpu(VirtualMachine vm, Vcpu vcpu, Scenario scenario) {
    this.vm = vm;
    this.vcpu = vcpu;
    this.scenario = scenario;
  }

  static VmmReferenceVcpu ioExit(Kvm kvm) {
    return open(kvm, ReferenceGuest.ENTRY_IO_LOOP, IoExit::new);
  }

  static VmmReferenceVcpu dispatch(Kvm kvm) {
    return open(kvm, ReferenceGuest.ENTRY_ECHO_RDI, Dispatch::new);
  }

  static VmmReferenceVcpu fault(Kvm kvm) {
    return open(kvm, ReferenceGuest.ENTRY_UD2, Fault::new);
  }

  static VmmReferenceVcpu cells(Kvm kvm) {
    return open(kvm, ReferenceGuest.ENTRY_CELLS_LOOP, Cells::new);
  }

  /** Creates the VM (16 MiB, layout, user code) and its vCPU entered at {@code rip} (unmeasured). */
  private static VmmReferenceVcpu open(
      Kvm kvm, long rip, BiFunction<VirtualMachine, Vcpu, VmmReferenceVcpu> make) {
    VirtualMachine vm = kvm.createVirtualMachine(1);
    try {
      ReferenceGuest.addMemoryWithImage(vm);
      Vcpu vcpu = vm.createVcpu(0);
      ReferenceGuest.enter(vcpu, rip);
      return make.apply(vm, vcpu);
    } catch (RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  final void expectDone(VcpuExit exit) {
    ReferenceGuest.expectDone(exit, scenario.operation());
  }

  @Override
  public final void close() {
    vm.close();
  }

  /** One KVM_RUN of the {@code out} loop; returns the port. */
  static final class IoExit extends VmmReferenceVcpu {
    IoExit(VirtualMachine vm, Vcpu vcpu) {
      super(vm, vcpu, Scenario.IO_EXIT_ROUND_TRIP);
    }

    @Override
    public long op(long argument) {
      VcpuExit exit = vcpu.run();
      expectDone(exit);
      return ReferenceGuest.DONE_PORT;
    }
  }

  /** RIP/RSP/RDI through {@code s.regs}, KVM_RUN, RAX from {@code s.regs}. */
  static final class Dispatch extends VmmReferenceVcpu {
    Dispatch(VirtualMachine vm, Vcpu vcpu) {
      super(vm, vcpu, Scenario.DISPATCH_SYNC_REGS);
    }

    @Override
    public long op(long argument) {
      vcpu.setRegisters(
          new Registers(0, 0, 0, 0, 0, argument, ReferenceGuest.STACK_TOP, 0, 0, 0, 0, 0, 0, 0, 0,
              0, ReferenceGuest.ENTRY_ECHO_RDI, LongModeImage.RFLAGS));
      expectDone(vcpu.run());
      return vcpu.registers().rax();
    }
  }

  /** {@code ud2} → stub on port 0x86 at CPL 0 → decoded frame → registers reset via s.regs. */
  static final class Fault extends VmmReferenceVcpu {
    private static final Registers RESET = ReferenceGuest.entry(ReferenceGuest.ENTRY_UD2);
    private final GuestMemory memory;
    private final GuestAddress frameSs;

    Fault(VirtualMachine vm, Vcpu vcpu) {
      super(vm, vcpu, Scenario.FAULT_ROUND_TRIP);
      this.memory = vm.memory();
      // #UD pushes no error code: SS is the frame's last word, just below the ring-0 stack top.
      this.frameSs = ReferenceGuest.IMAGE.ring0StackTop().minus(8);
    }

    @Override
    public long op(long argument) {
      VcpuExit exit = vcpu.run();
      if (!(exit instanceof VcpuExit.Fault(GuestFault f))) {
        throw new IllegalStateException("fault-round-trip: expected a fault report, got " + exit);
      }
      long ss = memory.readLong(frameSs);
      vcpu.setRegisters(RESET);
      vcpu.setSpecialRegisters(ReferenceGuest.SPECIAL);
      if (f.vector() != ExceptionVector.INVALID_OPCODE
          || f.rip() != ReferenceGuest.ENTRY_UD2
          || f.cs() != 0x23
          || ss != 0x1b
          || f.rsp() != ReferenceGuest.STACK_TOP) {
        throw new IllegalStateException(
            "fault-round-trip: report " + f + " ss=0x" + Long.toHexString(ss)
                + ", expected #UD at 0x100030 from cs=0x23 ss=0x1b rsp=0x200000");
      }
      return f.rip();
    }
  }

  /** Host writes cell 0x110000, KVM_RUN, reads cell 0x110008. */
  static final class Cells extends VmmReferenceVcpu {
    private final MemoryCell in;
    private final MemoryCell out;

    Cells(VirtualMachine vm, Vcpu vcpu) {
      super(vm, vcpu, Scenario.MEMORY_CELLS);
      this.in = vm.memory().cell(GuestAddress.of(ReferenceGuest.CELL_IN));
      this.out = vm.memory().cell(GuestAddress.of(ReferenceGuest.CELL_OUT));
    }

    @Override
    public long op(long argument) {
      in.setVolatile(argument);
      VcpuExit exit = vcpu.run();
      long result = out.getVolatile();
      expectDone(exit);
      return result;
    }
  }
}
