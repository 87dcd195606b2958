package dev.molt.benchmarks.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.benchmarks.driver.KernelRegisterBytes;
import dev.molt.guest.GuestAbi;
import dev.molt.guest.TestGuest;
import dev.molt.vmm.DescriptorTable;
import dev.molt.vmm.Segment;
import dev.molt.vmm.SpecialRegisters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The plan file's format, as states_floor.h documents it. No KVM needed. */
class GuestPlanTest {
  private static final Segment NULL_SEGMENT =
      new Segment(0, 0, 0, 0, false, 0, false, false, false, false, false, true);
  private static final SpecialRegisters RESET =
      new SpecialRegisters(
          NULL_SEGMENT, NULL_SEGMENT, NULL_SEGMENT, NULL_SEGMENT, NULL_SEGMENT, NULL_SEGMENT,
          NULL_SEGMENT, NULL_SEGMENT, new DescriptorTable(0, 0), new DescriptorTable(0, 0), 0, 0,
          0, 0, 0, 0, 0xFEE00900L);

  private static ByteBuffer plan(StatesOperation op) {
    return ByteBuffer.wrap(GuestPlan.encode(op, op.guest().elf(), RESET))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void startsWithTheMagicAndVersionAndListsTheFiveSupervisorWrites() {
    ByteBuffer b = plan(StatesOperation.CALL_NOOP_I32);
    byte[] magic = new byte[8];
    b.get(0, magic);
    assertThat(new String(magic, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("MOLTPLAN");
    assertThat(b.getInt(8)).isEqualTo(1);
    assertThat(b.getInt(12)).isEqualTo(5); // gdt, idt, tss, fault stubs, page tables
  }

  @Test
  void recordsTheDefaultConfigurationsAreas() {
    ByteBuffer b = plan(StatesOperation.CALL_NOOP_I32);
    assertThat(b.getLong(16)).as("memory size").isEqualTo(16L << 20);
    long inputAddress = b.getLong(32);
    assertThat(b.getLong(40)).as("input size").isEqualTo(64L << 10);
    assertThat(b.getLong(48)).as("output address").isEqualTo(inputAddress + (64L << 10));
    assertThat(b.getLong(24)).as("stack top = input address").isEqualTo(inputAddress);
    assertThat(b.getLong(72)).as("boot block address").isEqualTo(GuestAbi.BOOT_BLOCK_ADDRESS);
  }

  @Test
  void theEchoPlanHasBuffersForOneMibibyteAndAFrame() {
    ByteBuffer b = plan(StatesOperation.ECHO_1MIB);
    assertThat(b.getLong(40)).isEqualTo(StatesOperation.ECHO_BUFFER_SIZE);
    assertThat(b.getLong(56)).isEqualTo(StatesOperation.ECHO_BUFFER_SIZE);
  }

  @Test
  void carriesTheBootBlockAndTheRing3SpecialRegisters() {
    ByteBuffer b = plan(StatesOperation.CREATE_AND_EVOLVE);
    assertThat(b.getInt(80)).isEqualTo(0x60);
    assertThat(b.getLong(88)).as("boot magic").isEqualTo(GuestAbi.BOOT_MAGIC);
    byte[] sregs = Arrays.copyOfRange(b.array(), 88 + 0x60, 88 + 0x60 + KernelRegisterBytes.SREGS_SIZE);
    ByteBuffer s = ByteBuffer.wrap(sregs).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(s.getShort(12)).as("cs selector").isEqualTo((short) 0x23);
    assertThat(s.getLong(8 * 24 + 2 * 16 + 16)).as("cr3 = page tables").isEqualTo(0xA000L);
    assertThat(s.getLong(8 * 24 + 2 * 16 + 48)).as("apic base kept").isEqualTo(0xFEE00900L);
  }

  @Test
  void differsBetweenGuestsBecauseTheImageEndsElsewhere() {
    long noopEnd = plan(StatesOperation.CALL_NOOP_I32).getLong(64);
    long behavioursEnd = plan(StatesOperation.CALL_ONE_HOST_CALL).getLong(64);
    assertThat(noopEnd).isLessThan(behavioursEnd);
  }

  @Test
  void rejectsAnElfStatesRejects() {
    byte[] notAnElf = Arrays.copyOf(TestGuest.NOOP.elf(), 64);
    notAnElf[0] = 0;
    assertThatThrownBy(() -> GuestPlan.encode(StatesOperation.CALL_NOOP_I32, notAnElf, RESET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("states rejects the guest ELF");
  }
}
