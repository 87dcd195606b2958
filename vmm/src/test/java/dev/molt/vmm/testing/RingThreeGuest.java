package dev.molt.vmm.testing;

import static dev.molt.vmm.testing.ReferenceLayout.STACK_TOP;
import static dev.molt.vmm.testing.ReferenceLayout.at;

import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestMemory;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.SpecialRegisters;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuExit;
import dev.molt.vmm.VirtualMachine;
import dev.molt.vmm.longmode.LongModeImage;

/**
 * A VM with the reference layout written, one vCPU in ring-3 long mode, and helpers to load code
 * and enter it. Closing it closes the VM (and the vCPU with it).
 */
public final class RingThreeGuest implements AutoCloseable {
  private final VirtualMachine vm;
  private final Vcpu vcpu;
  private final LongModeImage image;
  private final SpecialRegisters ringThree;

  private RingThreeGuest(VirtualMachine vm, Vcpu vcpu, LongModeImage image, SpecialRegisters s) {
    this.vm = vm;
    this.vcpu = vcpu;
    this.image = image;
    this.ringThree = s;
  }

  /** Boots the reference layout with {@code memorySize} bytes at GPA 0. */
  public static RingThreeGuest boot(Kvm kvm, long memorySize) {
    return boot(kvm, memorySize, memorySize);
  }

  /**
   * Boots the reference layout mapping {@code mappedSize} bytes of guest-physical space, of which
   * the first {@code ramSize} are backed by one anonymous region at GPA 0.
   */
  public static RingThreeGuest boot(Kvm kvm, long mappedSize, long ramSize) {
    return on(kvm.createVirtualMachine(), mappedSize, ramSize);
  }

  /** Boots the reference layout in {@code vm} (which the guest then owns) with one RAM region. */
  public static RingThreeGuest on(VirtualMachine vm, long mappedSize, long ramSize) {
    try {
      vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), ramSize));
      LongModeImage image = LongModeImage.of(ReferenceLayout.of(mappedSize));
      image.writeTo(vm.memory());
      Vcpu vcpu = vm.createVcpu(0);
      vcpu.reportFaultsOn(image.faultPorts());
      SpecialRegisters ringThree = image.specialRegisters(vcpu.specialRegisters());
      return new RingThreeGuest(vm, vcpu, image, ringThree);
    } catch (RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  /** Boots 2 MiB. */
  public static RingThreeGuest boot(Kvm kvm) {
    return boot(kvm, ReferenceLayout.TEST_MEMORY);
  }

  public VirtualMachine vm() {
    return vm;
  }

  public Vcpu vcpu() {
    return vcpu;
  }

  public GuestMemory memory() {
    return vm.memory();
  }

  public LongModeImage image() {
    return image;
  }

  /** The ring-3 special registers of this guest. */
  public SpecialRegisters ringThree() {
    return ringThree;
  }

  /** Writes code at {@code address}. */
  public RingThreeGuest load(long address, byte[] code) {
    memory().write(at(address), code);
    return this;
  }

  /** Resets all registers to enter ring 3 at {@code rip} with the stack at its top. */
  public void enter(long rip) {
    vcpu.setSpecialRegisters(ringThree);
    vcpu.setRegisters(image.entryRegisters(at(rip), at(STACK_TOP)));
  }

  /** Enters at {@code rip} and runs to the first exit. */
  public VcpuExit call(long rip) {
    enter(rip);
    return vcpu.run();
  }

  @Override
  public void close() {
    vm.close();
  }
}
