package dev.molt.vmm.longmode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.vmm.testing.ReferenceLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LongModeImageTest {
  private static final LongModeImage IMAGE = LongModeImage.of(ReferenceLayout.of(2 << 20));
  private static final Map<String, MemoryWrite> WRITES =
      IMAGE.writes().stream().collect(Collectors.toMap(MemoryWrite::name, Function.identity()));

  private static ByteBuffer bytes(String name) {
    return ByteBuffer.wrap(WRITES.get(name).bytes()).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long pte(long address) {
    // PTs start after PML4, PDPT and one PD.
    return bytes("pageTables").getLong(Math.toIntExact(3 * 4096 + (address / 4096) * 8));
  }

  @Test
  void writesEveryStructureAtItsLayoutAddress() {
    assertThat(IMAGE.writes())
        .extracting(w -> w.name() + "@" + w.address() + ":" + w.length())
        .containsExactly(
            "gdt@0x1000:56",
            "idt@0x2000:4096",
            "tss@0x3000:12288",
            "faultStubs@0x6000:4096",
            "pageTables@0x9000:16384");
  }

  @Test
  void gdtHoldsRingZeroAndRingThreeSegmentsAndTheTss() {
    ByteBuffer gdt = bytes("gdt");
    assertThat(gdt.getLong(0x08)).isEqualTo(0x00AF9A000000FFFFL);
    assertThat(gdt.getLong(0x18)).isEqualTo(0x00CFF2000000FFFFL);
    assertThat(gdt.getLong(0x20)).isEqualTo(0x00AFFA000000FFFFL);
    assertThat(gdt.getLong(0x28)).isEqualTo(0x0000890030002068L); // base 0x3000, limit 0x2068
    assertThat(gdt.getLong(0x30)).isZero();
  }

  @Test
  void idtGateForVectorEightUsesTheIstStack() {
    ByteBuffer idt = bytes("idt");
    assertThat(idt.getLong(8 * 16)).isEqualTo(0x00008E0100086080L); // stub 0x6080, IST1
    assertThat(idt.getLong(14 * 16)).isEqualTo(0x00008E00000860E0L); // stub 0x60e0
    assertThat(idt.getLong(32 * 16)).isZero(); // not present
  }

  @Test
  void stubsAreOneOutPerVector() {
    ByteBuffer stubs = bytes("faultStubs");
    assertThat(stubs.get(0)).isEqualTo((byte) 0xE6);
    assertThat(stubs.get(1)).isEqualTo((byte) 0x80);
    assertThat(stubs.get(14 * 16 + 1)).isEqualTo((byte) 0x8E);
    assertThat(stubs.get(31 * 16 + 1)).isEqualTo((byte) 0x9F);
  }

  @Test
  void tssPointsAtBothStacksAndDeniesOnlyTheFaultPorts() {
    ByteBuffer tss = bytes("tss");
    assertThat(tss.getLong(4)).isEqualTo(0x8000); // RSP0
    assertThat(tss.getLong(36)).isEqualTo(0x9000); // IST1
    assertThat(tss.getShort(102)).isEqualTo((short) 104);
    assertThat(tss.get(104 + 0x10 / 8)).isZero(); // ports 0x10..0x17 allowed
    assertThat(tss.get(104 + 0x80 / 8)).isEqualTo((byte) 0xFF); // 0x80..0x87 denied
    assertThat(tss.get(104 + 0x98 / 8)).isEqualTo((byte) 0xFF); // 0x98..0x9f denied
    assertThat(tss.get(104 + 0xA0 / 8)).isZero();
    assertThat(tss.get(104 + 8192)).isEqualTo((byte) 0xFF); // terminator
  }

  @Test
  void pageEntriesFollowTheReferenceFlags() {
    long nx = 1L << 63;
    assertThat(pte(0x0)).isZero();
    assertThat(pte(0x1000)).isEqualTo(nx | 0x1000 | 0x3);
    assertThat(pte(0x6000)).isEqualTo(0x6000 | 0x1);
    assertThat(pte(0x100000)).isEqualTo(0x100000 | 0x5);
    assertThat(pte(0x110000)).isEqualTo(nx | 0x110000 | 0x7);
    assertThat(pte(0x1EF000)).isZero();
    assertThat(pte(0x1FF000)).isEqualTo(nx | 0x1FF000 | 0x7);
  }

  @Test
  void upperLevelsArePresentWritableUser() {
    ByteBuffer tables = bytes("pageTables");
    assertThat(tables.getLong(0)).isEqualTo(0xA000 | 0x7);
    assertThat(tables.getLong(4096)).isEqualTo(0xB000 | 0x7);
    assertThat(tables.getLong(2 * 4096)).isEqualTo(0xC000 | 0x7);
  }
}
