package dev.molt.vmm.longmode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.vmm.testing.ReferenceLayout;
import org.junit.jupiter.api.Test;

class LongModeLayoutTest {
  private static LongModeLayout.Builder reference() {
    return LongModeLayout.builder()
        .memorySize(2 << 20)
        .gdt(0x1000)
        .idt(0x2000)
        .tss(0x3000)
        .faultStubs(0x6000, 0x80)
        .ring0Stack(0x7000, 0x1000)
        .doubleFaultStack(0x8000, 0x1000)
        .pageTables(0x9000);
  }

  @Test
  void referenceLayoutIsValid() {
    LongModeLayout layout = ReferenceLayout.of(2 << 20);
    assertThat(layout.pageTablesSize()).isEqualTo(4 * 4096);
  }

  @Test
  void pageTablesGrowWithOneTablePerTwoMebibytes() {
    assertThat(ReferenceLayout.of(16 << 20).pageTablesSize()).isEqualTo((3 + 8) * 4096);
  }

  @Test
  void overlappingStructuresAreNamed() {
    assertThatThrownBy(() -> reference().idt(0x1000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gdt [0x1000, 0x2000) overlaps idt [0x1000, 0x2000)");
  }

  @Test
  void misalignedStructureIsNamed() {
    assertThatThrownBy(() -> reference().tss(0x3008).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tss must be 4 KiB aligned: 0x3008");
  }

  @Test
  void structureOutsideMemoryIsNamed() {
    assertThatThrownBy(() -> reference().pageTables(0x1FF000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pageTables (0x1ff000, 0x4000 bytes) lies outside guest memory");
  }

  @Test
  void userPagesMustNotCoverSupervisorStructures() {
    assertThatThrownBy(() -> reference().pages("code", 0x6000, 0x1000, PageKind.USER_CODE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("faultStubs [0x6000, 0x7000) overlaps code [0x6000, 0x7000)");
  }

  @Test
  void userPagesBeyondMemoryAreRejected() {
    assertThatThrownBy(
            () -> reference().pages("data", 0x1FF000, 0x2000, PageKind.USER_DATA).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pages: data [0x1ff000, 0x201000) ends beyond memorySize");
  }

  @Test
  void faultPortsMustNotBeAllowedToRingThree() {
    assertThatThrownBy(() -> reference().allowPorts(0x00, 0x80).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowedPorts")
        .hasMessageContaining("which ring 3 must not reach");
  }

  @Test
  void missingFieldIsNamed() {
    assertThatThrownBy(() -> LongModeLayout.builder().memorySize(2 << 20).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("LongModeLayout.gdt was not set");
  }

  @Test
  void memorySizeMustBePageMultiple() {
    assertThatThrownBy(() -> reference().memorySize(0x1234).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memorySize");
  }

  @Test
  void memoryLargerThanTheBuilderLimitIsRejected() {
    assertThatThrownBy(() -> reference().memorySize(128L << 30).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("up to 64 GiB");
  }

  @Test
  void faultPortBaseMustLeaveRoomForThirtyTwoVectors() {
    assertThatThrownBy(() -> reference().faultStubs(0x6000, 0xF0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("faultPortBase");
  }
}
