package dev.molt.states.internal.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfImageTest {
  private static final ElfLimits LIMITS = new ElfLimits(0x200000, 0x1000000, 1 << 24, 16);

  private static ElfFormatException rejected(byte[] file) {
    try {
      ElfImage.parse(file, LIMITS);
    } catch (ElfFormatException e) {
      return e;
    }
    throw new AssertionError("expected the file to be rejected");
  }

  private static byte[] with(byte[] file, int offset, long value, int width) {
    ByteBuffer out = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    switch (width) {
      case 1 -> out.put(offset, (byte) value);
      case 2 -> out.putShort(offset, (short) value);
      case 4 -> out.putInt(offset, (int) value);
      default -> out.putLong(offset, value);
    }
    return file;
  }

  /** Offset of field {@code fieldOffset} in program header {@code index}. */
  private static int ph(int index, int fieldOffset) {
    return 64 + index * 56 + fieldOffset;
  }

  @Test
  void typicalImageLoadsWithSortedSegmentsAndPermissions() throws ElfFormatException {
    ElfImage image = ElfImage.parse(TestElf.typical().bytes(), LIMITS);

    assertThat(image.entry()).isEqualTo(0x200000);
    assertThat(image.segments()).hasSize(2);
    LoadSegment code = image.segments().get(0);
    assertThat(code.address()).isEqualTo(0x200000);
    assertThat(code.fileSize()).isEqualTo(0x100);
    assertThat(code.permissions()).isEqualTo(new SegmentPermissions(false, true));
    LoadSegment data = image.segments().get(1);
    assertThat(data.memorySize()).isEqualTo(0x2000);
    assertThat(data.permissions()).isEqualTo(new SegmentPermissions(true, false));
    assertThat(image.end()).isEqualTo(0x203000);
  }

  @Test
  void segmentBytesAreCopiedFromTheirFileOffset() throws ElfFormatException {
    byte[] file = TestElf.typical().bytes();
    ElfImage image = ElfImage.parse(file, LIMITS);

    byte[] code = image.segments().get(0).fileBytes();
    assertThat(code).containsExactly(java.util.Arrays.copyOfRange(file, 0x1000, 0x1100));
    file[0x1000] ^= 0x55; // the image does not alias the caller's array
    assertThat(image.segments().get(0).fileBytes()[0]).isEqualTo(code[0]);
  }

  @Test
  void rejectsEmptyAndShortFiles() {
    assertThat(rejected(new byte[0]).getMessage()).contains("too short");
    assertThat(rejected(new byte[63]).field()).isEqualTo("file");
  }

  @Test
  void rejectsFilesLargerThanTheLimit() {
    ElfLimits tiny = new ElfLimits(0x200000, 0x1000000, 100, 16);
    assertThatThrownBy(() -> ElfImage.parse(TestElf.typical().bytes(), tiny))
        .isInstanceOf(ElfFormatException.class)
        .hasMessageContaining("more than the limit of 100");
  }

  @Test
  void rejectsWrongMagic() {
    assertThat(rejected(with(TestElf.typical().bytes(), 1, 'X', 1)).field())
        .isEqualTo("e_ident[EI_MAG]");
  }

  @Test
  void rejects32BitBigEndianAndUnknownOsAbi() {
    assertThat(rejected(with(TestElf.typical().bytes(), 4, 1, 1)).field())
        .isEqualTo("e_ident[EI_CLASS]");
    assertThat(rejected(with(TestElf.typical().bytes(), 5, 2, 1)).field())
        .isEqualTo("e_ident[EI_DATA]");
    assertThat(rejected(with(TestElf.typical().bytes(), 6, 0, 1)).field())
        .isEqualTo("e_ident[EI_VERSION]");
    assertThat(rejected(with(TestElf.typical().bytes(), 7, 9, 1)).field())
        .isEqualTo("e_ident[EI_OSABI]");
  }

  @Test
  void rejectsPositionIndependentExecutablesWithAHint() {
    ElfFormatException e = rejected(with(TestElf.typical().bytes(), 16, 3, 2));
    assertThat(e.field()).isEqualTo("e_type");
    assertThat(e.getMessage()).contains("-static -no-pie");
  }

  @Test
  void rejectsRelocatableObjectsAndOtherMachines() {
    assertThat(rejected(with(TestElf.typical().bytes(), 16, 1, 2)).field()).isEqualTo("e_type");
    assertThat(rejected(with(TestElf.typical().bytes(), 18, 183, 2)).getMessage())
        .isEqualTo("e_machine: is 183, expected EM_X86_64 (62)");
  }

  @Test
  void rejectsBadHeaderSizes() {
    assertThat(rejected(with(TestElf.typical().bytes(), 20, 2, 4)).field()).isEqualTo("e_version");
    assertThat(rejected(with(TestElf.typical().bytes(), 52, 52, 2)).field()).isEqualTo("e_ehsize");
    assertThat(rejected(with(TestElf.typical().bytes(), 54, 32, 2)).field())
        .isEqualTo("e_phentsize");
  }

  @Test
  void rejectsZeroAndTooManyProgramHeaders() {
    assertThat(rejected(with(TestElf.typical().bytes(), 56, 0, 2)).field()).isEqualTo("e_phnum");
    assertThat(rejected(with(TestElf.typical().bytes(), 56, 0xffff, 2)).getMessage())
        .contains("more than the limit of 16");
  }

  @Test
  void rejectsProgramHeaderTablePastTheEndIncludingOverflow() {
    assertThat(rejected(with(TestElf.typical().bytes(), 32, 0x2ff0, 8)).field())
        .isEqualTo("e_phoff");
    assertThat(rejected(with(TestElf.typical().bytes(), 32, -8, 8)).field()).isEqualTo("e_phoff");
  }

  @Test
  void rejectsSegmentDataPastTheEndIncludingOverflow() {
    assertThat(rejected(with(TestElf.typical().bytes(), ph(0, 8), 0x2fff, 8)).field())
        .isEqualTo("phdr[0].p_offset");
    assertThat(rejected(with(TestElf.typical().bytes(), ph(0, 32), -1L, 8)).field())
        .isEqualTo("phdr[0].p_offset");
  }

  @Test
  void rejectsFileSizeLargerThanMemorySize() {
    assertThat(rejected(with(TestElf.typical().bytes(), ph(1, 40), 0x10, 8)).field())
        .isEqualTo("phdr[1].p_filesz");
  }

  @Test
  void rejectsWritableAndExecutableSegments() {
    ElfFormatException e =
        rejected(with(TestElf.typical().bytes(), ph(0, 4), TestElf.PF_R | TestElf.PF_W | TestElf.PF_X, 4));
    assertThat(e.field()).isEqualTo("phdr[0].p_flags");
    assertThat(e.getMessage()).contains("W^X");
  }

  @Test
  void rejectsUnknownFlagBits() {
    assertThat(rejected(with(TestElf.typical().bytes(), ph(0, 4), 0x100005, 4)).getMessage())
        .contains("bits other than R, W, X");
  }

  @Test
  void rejectsSegmentsOutsideGuestMemoryIncludingWraparound() {
    assertThat(rejected(with(TestElf.typical().bytes(), ph(0, 16), 0x1000, 8)).field())
        .isEqualTo("phdr[0].p_vaddr");
    assertThat(rejected(with(TestElf.typical().bytes(), ph(1, 40), 0x2000000, 8)).field())
        .isEqualTo("phdr[1].p_vaddr");
    assertThat(rejected(with(TestElf.typical().bytes(), ph(1, 40), -0x1000L, 8)).field())
        .isEqualTo("phdr[1].p_vaddr");
  }

  @Test
  void rejectsMisalignedSegments() {
    assertThat(rejected(with(TestElf.typical().bytes(), ph(0, 16), 0x200010, 8)).getMessage())
        .contains("not congruent");
    assertThat(rejected(with(TestElf.typical().bytes(), ph(0, 48), 0x1001, 8)).field())
        .isEqualTo("phdr[0].p_align");
  }

  @Test
  void rejectsSegmentsSharingAPage() {
    byte[] file =
        new TestElf()
            .load(TestElf.PF_R | TestElf.PF_X, 0x1000, 0x200000, 0x100, 0x100)
            .load(TestElf.PF_R | TestElf.PF_W, 0x1800, 0x200800, 0x10, 0x10)
            .bytes();
    assertThat(rejected(file).getMessage()).contains("share a page");
  }

  @Test
  void rejectsOverlappingSegmentsWhateverTheirOrder() {
    byte[] file =
        new TestElf()
            .load(TestElf.PF_R | TestElf.PF_W, 0x2000, 0x201000, 0x10, 0x3000)
            .load(TestElf.PF_R | TestElf.PF_X, 0x1000, 0x202000, 0x100, 0x100)
            .entry(0x202000)
            .bytes();
    assertThat(rejected(file).field()).isEqualTo("PT_LOAD");
  }

  @Test
  void rejectsEntryOutsideExecutableCode() {
    assertThat(rejected(TestElf.typical().entry(0x201000).bytes()).field()).isEqualTo("e_entry");
    assertThat(rejected(TestElf.typical().entry(0x200100).bytes()).field()).isEqualTo("e_entry");
    assertThat(rejected(TestElf.typical().entry(-1L).bytes()).field()).isEqualTo("e_entry");
  }

  @Test
  void rejectsDynamicLinkingTlsAndExecutableStacks() {
    assertThat(
            rejected(TestElf.typical().header(new TestElf.Phdr(3, 4, 0x200, 0, 10, 10, 1)).bytes())
                .getMessage())
        .contains("dynamically linked");
    assertThat(
            rejected(TestElf.typical().header(new TestElf.Phdr(7, 4, 0x2000, 0x201000, 8, 8, 8)).bytes())
                .getMessage())
        .contains("thread-local");
    assertThat(
            rejected(
                    TestElf.typical()
                        .header(new TestElf.Phdr(0x6474e551, 7, 0, 0, 0, 0, 16))
                        .bytes())
                .getMessage())
        .contains("executable stack");
  }

  @Test
  void ignoresNotesAndNonExecutableStackHeaders() throws ElfFormatException {
    byte[] file =
        TestElf.typical()
            .header(new TestElf.Phdr(4, 4, 0x200, 0, 0x20, 0x20, 4))
            .header(new TestElf.Phdr(0x6474e551, 6, 0, 0, 0, 0, 16))
            .bytes();
    assertThat(ElfImage.parse(file, LIMITS).segments()).hasSize(2);
  }

  @Test
  void rejectsFilesWithoutLoadableSegments() {
    byte[] file = new TestElf().header(new TestElf.Phdr(4, 4, 0x200, 0, 0x20, 0x20, 4)).bytes();
    assertThat(rejected(file).field()).isEqualTo("program headers");
  }

  @Test
  void randomCorruptionIsAlwaysATypedRefusalOrAValidImage() {
    byte[] valid = TestElf.typical().bytes();
    Random random = new Random(42);
    int refused = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] file = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int at = random.nextInt(64 + 2 * 56); // headers only: the contents are not interpreted
        file[at] = (byte) random.nextInt(256);
      }
      try {
        ElfImage image = ElfImage.parse(file, LIMITS);
        for (LoadSegment s : image.segments()) {
          assertThat(s.address()).isGreaterThanOrEqualTo(LIMITS.lowestAddress());
          assertThat(s.end()).isLessThanOrEqualTo(LIMITS.endAddress());
        }
      } catch (ElfFormatException e) {
        refused++;
        assertThat(e.field()).isNotBlank();
      }
    }
    assertThat(refused).isGreaterThan(1000);
  }

  @Test
  void loadsARealStaticExecutableBuiltByGcc(@TempDir Path dir)
      throws IOException, InterruptedException, ElfFormatException {
    Path source = dir.resolve("guest.c");
    Files.writeString(
        source,
        """
        volatile long counter = 7;
        volatile char scratch[8192];
        void _start(void) {
          scratch[counter] = (char) counter;
          for (;;) { __asm__ volatile("out %%al, $0x10" :: "a"(scratch[counter])); }
        }
        """);
    Path elf = dir.resolve("guest.elf");
    Process gcc =
        new ProcessBuilder(
                List.of(
                    "gcc", "-O2", "-ffreestanding", "-nostdlib", "-static", "-no-pie", "-fno-pic",
                    "-Wl,-Ttext-segment=0x200000", "-Wl,-z,max-page-size=4096",
                    "-Wl,-z,separate-code", "-Wl,-z,noexecstack",
                    "-o", elf.toString(), source.toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(gcc.getInputStream().readAllBytes());
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(output).isZero();

    ElfImage image = ElfImage.parse(Files.readAllBytes(elf), LIMITS);

    assertThat(image.segments())
        .anySatisfy(s -> assertThat(s.permissions().executable()).isTrue())
        .anySatisfy(s -> assertThat(s.permissions().writable()).isTrue());
    assertThat(image.segments()).allSatisfy(s -> assertThat(s.address()).isGreaterThanOrEqualTo(0x200000));
  }
}
