package dev.molt.benchmarks.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.spi.StateHandle;
import dev.molt.benchmarks.driver.KernelRegisterBytes;
import dev.molt.guest.GuestAbi;
import dev.molt.states.GuestBinary;
import dev.molt.states.UninitializedSandbox;
import dev.molt.states.internal.KvmGuestSubstrate;
import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.SpecialRegisters;
import dev.molt.vmm.VirtualMachine;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The floor starts from the same guest as states: the guest memory a real UninitializedSandbox
 * holds before initialisation (all of it, supervisor area included) and its ring-3 special
 * registers equal what the floor builds from the ELF (its own loader) and the {@link GuestPlan},
 * byte for byte. The sandbox's private state is read by reflection: this module's tests run on the
 * class path, and states offers no API that shows the supervisor area.
 */
@RequiresKvm
class StatesFloorPlanKvmTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(StatesOperation.class)
  void theFloorsGuestMemoryAndRegistersEqualARealSandboxs(StatesOperation op) throws Exception {
    Path elf = dir.resolve("guest.elf");
    Path plan = dir.resolve("guest.plan");
    GuestPlan.write(op, elf, plan);
    Path image = dir.resolve("image.bin");
    Path registers = dir.resolve("registers.bin");
    FloorRun.run("dump-guest-image", "--guest", elf.toString(), "--plan", plan.toString(),
        image.toString(), registers.toString()).requireExit(0);
    byte[] floorImage = Files.readAllBytes(image);
    byte[] floorRegisters = Files.readAllBytes(registers);
    assertThat(floorImage).hasSize((int) op.configuration().guestMemorySize());

    try (UninitializedSandbox sandbox =
        UninitializedSandbox.create(
            GuestBinary.of(op.guest().elf()), op.configuration(), op.hostFunctions())) {
      KvmGuestSubstrate substrate = substrate(sandbox);
      VirtualMachine vm = (VirtualMachine) field(substrate, "vm");
      byte[] javaImage = vm.memory().read(GuestAddress.of(0), floorImage.length);
      assertThat(firstDifference(javaImage, floorImage)).as("first differing byte").isEqualTo(-1);
      // The special registers the sandbox set on its vCPU (not run yet: read back as set).
      SpecialRegisters ring3 = ((dev.molt.vmm.Vcpu) field(substrate, "vcpu")).specialRegisters();
      byte[] javaSregs = KernelRegisterBytes.encodeSpecial(ring3);
      assertThat(java.util.Arrays.copyOf(floorRegisters, KernelRegisterBytes.SREGS_SIZE))
          .isEqualTo(javaSregs);
    }
    ByteBuffer regs =
        ByteBuffer.wrap(floorRegisters, KernelRegisterBytes.SREGS_SIZE, KernelRegisterBytes.REGS_SIZE)
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(regs.getLong(5 * 8)).as("rdi").isEqualTo(GuestAbi.BOOT_BLOCK_ADDRESS);
    assertThat(regs.getLong(16 * 8)).as("rip").isEqualTo(GuestAbi.LINK_ADDRESS);
    assertThat(regs.getLong(17 * 8)).as("rflags").isEqualTo(2);
    // The stack top is the boot block's, which the image comparison above covers.
    assertThat(regs.getLong(6 * 8))
        .as("rsp")
        .isEqualTo(ByteBuffer.wrap(floorImage).order(ByteOrder.LITTLE_ENDIAN)
            .getLong((int) GuestAbi.BOOT_BLOCK_ADDRESS + 0x48));
  }

  private static KvmGuestSubstrate substrate(UninitializedSandbox sandbox) throws Exception {
    StateHandle<?> handle = (StateHandle<?>) field(sandbox, "handle");
    return (KvmGuestSubstrate) handle.substrate();
  }

  private static Object field(Object owner, String name) throws Exception {
    Field f = owner.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(owner);
  }

  private static int firstDifference(byte[] a, byte[] b) {
    return java.util.Arrays.mismatch(a, b);
  }

}
