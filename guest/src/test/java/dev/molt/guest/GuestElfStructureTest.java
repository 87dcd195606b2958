package dev.molt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The shipped test guests have the shape guest ABI v1 and Molt's ELF loader require. */
class GuestElfStructureTest {
  static final long LINK_ADDRESS = 0x200000;
  static final long PAGE = 4096;

  @ParameterizedTest
  @EnumSource(TestGuest.class)
  void isA64BitLittleEndianX8664Executable(TestGuest guest) {
    ElfFacts elf = ElfFacts.parse(guest.elf());
    assertThat(elf.elfClass()).as("ELFCLASS64").isEqualTo(2);
    assertThat(elf.dataEncoding()).as("ELFDATA2LSB").isEqualTo(1);
    assertThat(elf.type()).as("ET_EXEC").isEqualTo(2);
    assertThat(elf.machine()).as("EM_X86_64").isEqualTo(62);
  }

  @ParameterizedTest
  @EnumSource(TestGuest.class)
  void entersAtTheStartOfAnExecutableLoadSegment(TestGuest guest) {
    ElfFacts elf = ElfFacts.parse(guest.elf());
    assertThat(elf.entry()).isEqualTo(LINK_ADDRESS);
    assertThat(elf.loads())
        .filteredOn(s -> s.contains(elf.entry()))
        .singleElement()
        .satisfies(s -> assertThat(s.executable()).isTrue());
  }

  @ParameterizedTest
  @EnumSource(TestGuest.class)
  void loadsPageAlignedSegmentsAtOrAboveTheLinkAddress(TestGuest guest) {
    List<ElfFacts.Segment> loads = ElfFacts.parse(guest.elf()).loads();
    assertThat(loads).hasSize(3);
    assertThat(loads)
        .allSatisfy(
            s -> {
              assertThat(s.vaddr()).isGreaterThanOrEqualTo(LINK_ADDRESS);
              assertThat(s.vaddr() % PAGE).isZero();
              assertThat(s.align()).isEqualTo(PAGE);
              assertThat((s.vaddr() - s.offset()) % PAGE).isZero();
              assertThat(s.fileSize()).isLessThanOrEqualTo(s.memSize());
            });
  }

  @ParameterizedTest
  @EnumSource(TestGuest.class)
  void hasTextRodataAndDataSegmentsOnSeparatePagesAndNoneWritableAndExecutable(TestGuest guest) {
    List<ElfFacts.Segment> loads = ElfFacts.parse(guest.elf()).loads();
    assertThat(loads).extracting(ElfFacts.Segment::flags).containsExactly(5, 4, 6);
    assertThat(loads).noneMatch(s -> s.writable() && s.executable());
    for (int i = 1; i < loads.size(); i++) {
      ElfFacts.Segment previous = loads.get(i - 1);
      long previousEnd = (previous.vaddr() + previous.memSize() + PAGE - 1) & -PAGE;
      assertThat(loads.get(i).vaddr()).isGreaterThanOrEqualTo(previousEnd);
    }
  }

  @ParameterizedTest
  @EnumSource(TestGuest.class)
  void needsNoInterpreterAndNoDynamicLinking(TestGuest guest) {
    assertThat(ElfFacts.parse(guest.elf()).segments())
        .extracting(ElfFacts.Segment::type)
        .doesNotContain(ElfFacts.PT_INTERP, ElfFacts.PT_DYNAMIC);
  }
}
