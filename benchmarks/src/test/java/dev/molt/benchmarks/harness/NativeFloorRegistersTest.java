package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floor's entry registers ({@code floor dump-registers}): {@code struct kvm_sregs} (312 bytes)
 * then {@code struct kvm_regs} (144 bytes), x86-64 layout. No KVM needed.
 */
class NativeFloorRegistersTest {
  private static final int SEGMENT = 24; // struct kvm_segment
  private static final int REGS = 312; // offset of struct kvm_regs in the file

  private static ByteBuffer dump;

  @BeforeAll
  static void dumpRegisters(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("registers.bin");
    NativeFloorImageTest.Result r = NativeFloorImageTest.floor("dump-registers", file.toString());
    assertThat(r.exit()).as(r.stderr()).isZero();
    dump = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void holdsSregsThenRegs() {
    assertThat(dump.capacity()).isEqualTo(312 + 144);
  }

  @Test
  void codeSegmentIsRingThreeLongMode() {
    assertThat(dump.getShort(12)).isEqualTo((short) 0x23); // cs.selector
    assertThat(dump.get(14)).isEqualTo((byte) 0xB); // type
    assertThat(dump.get(16)).isEqualTo((byte) 3); // dpl
    assertThat(dump.get(19)).isEqualTo((byte) 1); // l
  }

  @Test
  void stackSegmentIsRingThreeData() {
    int ss = 5 * SEGMENT; // cs ds es fs gs ss
    assertThat(dump.getShort(ss + 12)).isEqualTo((short) 0x1b);
    assertThat(dump.get(ss + 16)).isEqualTo((byte) 3);
  }

  @Test
  void taskRegisterPointsAtTheBusyTss() {
    int tr = 6 * SEGMENT;
    assertThat(dump.getLong(tr)).isEqualTo(0x3000);
    assertThat(dump.getInt(tr + 8)).isEqualTo(0x2068);
    assertThat(dump.getShort(tr + 12)).isEqualTo((short) 0x28);
    assertThat(dump.get(tr + 14)).isEqualTo((byte) 0xB);
  }

  @Test
  void descriptorTablesAndControlRegistersMatchTheLayout() {
    assertThat(dump.getLong(192)).isEqualTo(0x1000); // gdt.base
    assertThat(dump.getShort(200)).isEqualTo((short) 0x37); // gdt.limit
    assertThat(dump.getLong(208)).isEqualTo(0x2000); // idt.base
    assertThat(dump.getShort(216)).isEqualTo((short) 0xFFF); // idt.limit
    assertThat(dump.getLong(224)).isEqualTo(0x80050033L); // cr0
    assertThat(dump.getLong(240)).isEqualTo(0x9000); // cr3
    assertThat(dump.getLong(248)).isEqualTo(0x620); // cr4
    assertThat(dump.getLong(264)).isEqualTo(0xd01); // efer
  }

  @Test
  void generalRegistersEnterTheUserCodeWithTheUserStack() {
    assertThat(dump.getLong(REGS + 6 * 8)).isEqualTo(0x200000); // rsp
    assertThat(dump.getLong(REGS + 128)).isEqualTo(0x100000); // rip
    assertThat(dump.getLong(REGS + 136)).isEqualTo(0x2); // rflags
  }
}
