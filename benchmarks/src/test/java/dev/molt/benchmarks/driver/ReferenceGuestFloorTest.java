package dev.molt.benchmarks.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VirtualMachine;
import dev.molt.vmm.longmode.MemoryWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java side starts every scenario from exactly the floor's guest: the 16 MiB image and the
 * entry registers are compared byte for byte with {@code floor dump-image} and {@code floor
 * dump-registers}, both as vmm's long-mode builders produce them and as they land in a real VM.
 */
class ReferenceGuestFloorTest {
  private static byte[] floorImage = new byte[0];
  private static byte[] floorRegisters = new byte[0];

  @BeforeAll
  static void dumpFloor(@TempDir Path dir) throws Exception {
    Path image = dir.resolve("image.bin");
    Path registers = dir.resolve("registers.bin");
    Floor.run("dump-image", image.toString());
    Floor.run("dump-registers", registers.toString());
    floorImage = Files.readAllBytes(image);
    floorRegisters = Files.readAllBytes(registers);
  }

  @Test
  void vmmImageWritesPlusUserCodeAreTheFloorImage() {
    byte[] java = new byte[Math.toIntExact(ReferenceGuest.MEMORY_SIZE)];
    for (MemoryWrite w : ReferenceGuest.IMAGE.writes()) {
      System.arraycopy(w.bytes(), 0, java, Math.toIntExact(w.address().value()), w.length());
    }
    byte[] code = ReferenceGuest.userCode();
    System.arraycopy(code, 0, java, Math.toIntExact(ReferenceGuest.USER_CODE), code.length);
    assertSameBytes(java, floorImage, "image");
  }

  @Test
  @RequiresKvm
  void guestMemoryOfABenchmarkVmIsTheFloorImage() {
    try (Kvm kvm = Kvm.open();
        VirtualMachine vm = kvm.createVirtualMachine(1)) {
      ReferenceGuest.addMemoryWithImage(vm);
      byte[] java =
          vm.memory().read(GuestAddress.of(0), Math.toIntExact(ReferenceGuest.MEMORY_SIZE));
      assertSameBytes(java, floorImage, "guest memory");
    }
  }

  @Test
  void entryRegistersAreTheFloorsStructs() {
    byte[] java =
        KernelRegisterBytes.encode(
            ReferenceGuest.SPECIAL, ReferenceGuest.entry(ReferenceGuest.ENTRY_FIRST_EXIT));
    assertSameBytes(java, floorRegisters, "kvm_sregs + kvm_regs");
  }

  @Test
  @RequiresKvm
  void registersHandedToTheVcpuAreTheFloorsStructs() {
    try (Kvm kvm = Kvm.open();
        VirtualMachine vm = kvm.createVirtualMachine(1)) {
      ReferenceGuest.addMemoryWithImage(vm);
      Vcpu vcpu = vm.createVcpu(0);
      ReferenceGuest.enter(vcpu, ReferenceGuest.ENTRY_FIRST_EXIT);
      assertThat(vcpu.usesSyncRegisters()).isTrue();
      // Read back from kvm_run->s.regs, where vmm wrote them for the next KVM_RUN.
      byte[] java = KernelRegisterBytes.encode(vcpu.specialRegisters(), vcpu.registers());
      assertSameBytes(java, floorRegisters, "kvm_sregs + kvm_regs in kvm_run");
    }
  }

  @Test
  void userCodeIsTheFloorsUserCode() {
    byte[] code = ReferenceGuest.userCode();
    int at = Math.toIntExact(ReferenceGuest.USER_CODE);
    assertThat(Arrays.copyOfRange(floorImage, at, at + code.length)).containsExactly(code);
    assertThat(code).hasSize(0x50 + 23);
  }

  private static void assertSameBytes(byte[] java, byte[] floor, String what) {
    assertThat(java.length).as(what + " length").isEqualTo(floor.length);
    int at = Arrays.mismatch(java, floor);
    String where =
        at < 0
            ? ""
            : String.format(
                "%s differs first at offset 0x%x: Java 0x%02x, floor 0x%02x", what, at,
                java[at] & 0xFF, floor[at] & 0xFF);
    assertThat(at).as(where).isEqualTo(-1);
  }
}
