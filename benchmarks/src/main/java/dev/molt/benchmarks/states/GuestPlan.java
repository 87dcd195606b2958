package dev.molt.benchmarks.states;

import dev.molt.benchmarks.driver.KernelRegisterBytes;
import dev.molt.guest.GuestAbi;
import dev.molt.states.internal.GuestLayout;
import dev.molt.states.internal.elf.ElfFormatException;
import dev.molt.states.internal.elf.ElfImage;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.SpecialRegisters;
import dev.molt.vmm.VirtualMachine;
import dev.molt.vmm.longmode.LongModeImage;
import dev.molt.vmm.longmode.MemoryWrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The guest plan: what {@code UninitializedSandbox.create} writes besides the ELF's segments,
 * computed by states' own {@link GuestLayout} and vmm's {@link LongModeImage}, in the file format
 * the native floor reads ({@code benchmarks/src/main/c/states_floor.h}): the areas (memory size,
 * stack top, input and output buffers, image end), the boot block, {@code struct kvm_sregs} of the
 * ring-3 entry state, and the supervisor structures (GDT, IDT, TSS + I/O bitmap, fault stubs, page
 * tables) as address + bytes. The floor loads the ELF itself.
 */
public final class GuestPlan {
  /** The file's first 8 bytes. */
  static final byte[] MAGIC = {'M', 'O', 'L', 'T', 'P', 'L', 'A', 'N'};

  /** The format version the floor accepts. */
  static final int VERSION = 1;

  private GuestPlan() {}

  /**
   * Writes {@code op}'s guest ELF to {@code elf} and its plan to {@code plan}, reading the reset
   * special registers of a fresh vCPU once from KVM (as states does once per process).
   *
   * @param op the operation
   * @param elf where the guest ELF goes
   * @param plan where the plan goes
   * @throws IOException if a file cannot be written
   * @throws dev.molt.vmm.KvmException if KVM cannot create the probe vCPU
   */
  public static void write(StatesOperation op, Path elf, Path plan) throws IOException {
    Objects.requireNonNull(op, "op");
    byte[] bytes = op.guest().elf();
    Files.write(elf, bytes);
    Files.write(plan, encode(op, bytes, resetSpecialRegisters()));
  }

  /**
   * The special registers of a freshly created vCPU 0 (what states overlays ring-3 long mode on).
   *
   * @return the reset state
   */
  static SpecialRegisters resetSpecialRegisters() {
    try (Kvm kvm = Kvm.open();
        VirtualMachine vm = kvm.createVirtualMachine(1)) {
      return vm.createVcpu(0).specialRegisters();
    }
  }

  /**
   * Encodes the plan of {@code elf} in {@code op}'s configuration.
   *
   * @param op the operation (its configuration)
   * @param elf the guest ELF
   * @param reset the vCPU's reset special registers
   * @return the plan file's bytes
   * @throws IllegalArgumentException if states rejects the ELF or the configuration
   */
  static byte[] encode(StatesOperation op, byte[] elf, SpecialRegisters reset) {
    GuestLayout layout;
    try {
      layout =
          GuestLayout.of(
              op.configuration(),
              ElfImage.parse(elf, GuestLayout.imageLimits(op.configuration())));
    } catch (ElfFormatException e) {
      throw new IllegalArgumentException("states rejects the guest ELF: " + e.getMessage(), e);
    }
    LongModeImage image = LongModeImage.of(layout.longMode());
    byte[] boot = layout.bootBlock();
    byte[] sregs = KernelRegisterBytes.encodeSpecial(image.specialRegisters(reset));
    List<MemoryWrite> writes = image.writes();
    int size = 88 + pad8(boot.length) + sregs.length;
    for (MemoryWrite w : writes) {
      size += 16 + pad8(w.bytes().length);
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putInt(writes.size());
    b.putLong(layout.memorySize())
        .putLong(layout.stackTop())
        .putLong(layout.inputAddress())
        .putLong(layout.inputSize())
        .putLong(layout.outputAddress())
        .putLong(layout.outputSize())
        .putLong(layout.imageEnd())
        .putLong(GuestAbi.BOOT_BLOCK_ADDRESS);
    b.putInt(boot.length).putInt(0);
    b.put(boot).position(b.position() + pad8(boot.length) - boot.length);
    b.put(sregs);
    for (MemoryWrite w : writes) {
      byte[] bytes = w.bytes();
      b.putLong(w.address().value()).putLong(bytes.length).put(bytes);
      b.position(b.position() + pad8(bytes.length) - bytes.length);
    }
    if (b.hasRemaining()) {
      throw new IllegalStateException("guest plan size miscounted: " + b.remaining() + " left");
    }
    return b.array();
  }

  private static int pad8(int n) {
    return (n + 7) & -8;
  }
}
