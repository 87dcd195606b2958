package dev.molt.states.internal.snapshotfile;

import static dev.molt.states.internal.snapshotfile.TestSnapshots.CPU;
import static dev.molt.states.internal.snapshotfile.TestSnapshots.REGIONS;
import static dev.molt.states.internal.snapshotfile.TestSnapshots.assemble;
import static dev.molt.states.internal.snapshotfile.TestSnapshots.memoryBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.SandboxStatus;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.states.internal.snapshotfile.SnapshotFormatException.Problem;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.MemoryRegionSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing, reading and refusing snapshot files (the current format); no KVM needed. */
class SnapshotFileTest {
  @TempDir Path dir;

  private static final SnapshotLimits LIMITS = SnapshotLimits.defaults();

  private Path write(SnapshotFile file) throws Exception {
    Path path = dir.resolve("snapshot.molt");
    SnapshotFileWriter.write(file, path);
    return path;
  }

  private Path raw(byte[] bytes) throws IOException {
    Path path = dir.resolve("raw.molt");
    Files.write(path, bytes);
    return path;
  }

  private static void assertProblem(ThrowingCallable read, Problem problem, String text) {
    assertThatThrownBy(read)
        .isInstanceOfSatisfying(
            SnapshotFormatException.class, e -> assertThat(e.problem()).isEqualTo(problem))
        .hasMessageContaining(text);
  }

  private void assertRefused(byte[] file, Problem problem, String text) throws IOException {
    Path path = raw(file);
    assertProblem(() -> SnapshotFileReader.read(path, LIMITS, CPU), problem, text);
  }

  private static byte[] validSections(int index) {
    SnapshotFile file = TestSnapshots.file();
    return switch (index) {
      case 0 -> Sections.metadata(file);
      case 1 -> Sections.vcpus(file.vcpus());
      case 2 -> Sections.memoryLayout(REGIONS);
      default -> memoryBytes();
    };
  }

  private static byte[] with(int index, byte[] replacement) {
    byte[][] sections = {validSections(0), validSections(1), validSections(2), validSections(3)};
    sections[index] = replacement;
    return assemble(sections[0], sections[1], sections[2], sections[3]);
  }

  @Test
  void aWrittenFileReadsBackEveryField() throws Exception {
    SnapshotFile written = TestSnapshots.file();
    SnapshotFile read = SnapshotFileReader.read(write(written), LIMITS, CPU);

    assertThat(read.stateClassName()).isEqualTo(written.stateClassName());
    assertThat(read.lineage()).isEqualTo(written.lineage());
    assertThat(read.layout()).isEqualTo(written.layout());
    assertThat(read.generation()).isEqualTo(3);
    assertThat(read.hostFunctions()).containsExactlyEntriesOf(written.hostFunctions());
    assertThat(read.guest()).isEqualTo(written.guest());
    assertThat(read.cpu()).isEqualTo(CPU);
    assertThat(read.vcpus()).isEqualTo(written.vcpus());
    assertThat(read.memory().regions()).isEqualTo(REGIONS);
    assertThat(read.memory().read(GuestAddress.of(0), 8192))
        .isEqualTo(java.util.Arrays.copyOf(memoryBytes(), 8192));
    assertThat(read.memory().read(GuestAddress.of(0x10000), 4096))
        .isEqualTo(java.util.Arrays.copyOfRange(memoryBytes(), 8192, 12288));
    assertThat(read.memory().isSealed()).isTrue();
  }

  @Test
  void theWriterProducesExactlyTheDocumentedLayout() throws Exception {
    byte[] bytes = Files.readAllBytes(write(TestSnapshots.file()));
    assertThat(bytes).isEqualTo(assemble(validSections(0), validSections(1), validSections(2), validSections(3)));
    ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long memoryOffset = header.getLong(32 + 3 * 56 + 8);
    assertThat(memoryOffset % 4096).as("memory section is page-aligned").isZero();
  }

  @Test
  void theFileChangedAfterLoadingDoesNotChangeTheLoadedImage() throws Exception {
    Path path = write(TestSnapshots.file());
    SnapshotFile loaded = SnapshotFileReader.read(path, LIMITS, CPU);
    byte[] bytes = Files.readAllBytes(path);
    java.util.Arrays.fill(bytes, bytes.length - 12288, bytes.length, (byte) 0x66);
    Files.write(path, bytes);

    assertThat(loaded.memory().read(GuestAddress.of(0), 16))
        .isEqualTo(java.util.Arrays.copyOf(memoryBytes(), 16));
  }

  @Test
  void truncatedFilesAreRefusedAtEveryLength() throws Exception {
    byte[] valid = Files.readAllBytes(write(TestSnapshots.file()));
    for (int length : new int[] {0, 7, 31, 100, 319, 4096, 4200, 8300, valid.length - 4097, valid.length - 1}) {
      assertRefused(java.util.Arrays.copyOf(valid, length), Problem.TRUNCATED, "");
    }
  }

  @Test
  void aFlippedBitInAnySectionFailsItsChecksum() throws Exception {
    byte[] valid = assemble(validSections(0), validSections(1), validSections(2), validSections(3));
    ByteBuffer header = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
    String[] names = {"metadata", "vcpus", "memory-layout", "memory"};
    for (int i = 0; i < 4; i++) {
      byte[] flipped = valid.clone();
      int offset = (int) header.getLong(32 + i * 56 + 8);
      flipped[offset + 5] ^= 0x10;
      assertRefused(flipped, Problem.CHECKSUM, names[i] + " digest does not match");
    }
    byte[] headerFlip = valid.clone();
    headerFlip[32 + 56 + 20] ^= 1; // inside the second section's digest
    assertRefused(headerFlip, Problem.CHECKSUM, "header digest");
  }

  @Test
  void nonZeroPaddingIsRefused() throws Exception {
    byte[] file = assemble(validSections(0), validSections(1), validSections(2), validSections(3));
    byte[] afterHeader = file.clone();
    afterHeader[SnapshotFileFormat.headerSize(4) + 10] = 1;
    assertRefused(afterHeader, Problem.STRUCTURE, "padding after the header is not zero");
    byte[] afterMetadata = file.clone();
    afterMetadata[4096 + validSections(0).length + 3] = 1;
    assertRefused(afterMetadata, Problem.STRUCTURE, "padding after metadata is not zero");
  }

  @Test
  void aWrongMagicIsRefused() throws Exception {
    byte[] file = assemble(validSections(0), validSections(1), validSections(2), validSections(3));
    file[0] = 'X';
    assertRefused(file, Problem.MAGIC, "not MOLTSNAP");
  }

  @Test
  void anotherVersionIsRefused() throws Exception {
    byte[] file = assemble(validSections(0), validSections(1), validSections(2), validSections(3));
    file[8] = 1; // 1.0: the development format before the guest state was recorded
    TestSnapshots.resealHeader(file);
    assertRefused(file, Problem.VERSION, "format version 1.0, this reader reads 2.0");
    file[8] = 3;
    TestSnapshots.resealHeader(file);
    assertRefused(file, Problem.VERSION, "format version 3.0");
  }

  @Test
  void aGuestStateWithAnUnknownLogLevelIsRefused() throws Exception {
    byte[] metadata = Sections.metadata(TestSnapshots.file());
    // The guest state follows the host functions; its log level follows five u64 sizes.
    byte[] badLevel = metadata.clone();
    int level = indexOfGuestState(metadata) + 5 * 8;
    badLevel[level] = 9;
    assertRefused(with(0, badLevel), Problem.VALUE, "guest log level 9 is unknown");
  }

  /** Where the guest state begins in an encoded metadata section (after the host functions). */
  private static int indexOfGuestState(byte[] metadata) throws Exception {
    Wire.Out prefix = new Wire.Out();
    SnapshotFile f = TestSnapshots.file();
    prefix.string(f.stateClassName()).u64(0).u64(0).string(f.layout().value()).u64(f.generation());
    prefix.string(f.cpu().vendor()).u32(f.cpu().features().size());
    f.cpu().features().forEach(prefix::string);
    prefix.u32(f.hostFunctions().size());
    f.hostFunctions().forEach((name, sig) -> {
      prefix.string(name).string(sig.result().wireName()).u32(sig.parameters().size());
      sig.parameters().forEach(p -> prefix.string(p.wireName()));
    });
    return prefix.toArray().length;
  }

  @Test
  void aSectionLengthThatOverflowsTheFileIsRefused() throws Exception {
    byte[] file = assemble(validSections(0), validSections(1), validSections(2), validSections(3));
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(32 + 3 * 56 + 16, Long.MAX_VALUE);
    TestSnapshots.resealHeader(file);
    assertRefused(file, Problem.TRUNCATED, "does not fit in the file");
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(32 + 3 * 56 + 16, -4096L);
    TestSnapshots.resealHeader(file);
    assertRefused(file, Problem.TRUNCATED, "does not fit in the file");
  }

  @Test
  void aFileOrImageAboveTheLimitsIsRefused() throws Exception {
    Path path = write(TestSnapshots.file());
    SnapshotLimits d = SnapshotLimits.defaults();
    SnapshotLimits smallFile =
        new SnapshotLimits(4096, d.maxMemoryBytes(), d.guestAddressLimit(), d.maxRegions(),
            d.maxVcpus(), d.maxHostFunctions(), d.maxCpuFeatures(), d.maxStringBytes());
    assertProblem(() -> SnapshotFileReader.read(path, smallFile, CPU), Problem.LIMIT, "the limit is 4096");
    SnapshotLimits smallMemory = d.withGuestRange(d.guestAddressLimit(), 8192);
    assertProblem(() -> SnapshotFileReader.read(path, smallMemory, CPU), Problem.LIMIT, "memory regions total");
    SnapshotLimits shortStrings =
        new SnapshotLimits(d.maxFileBytes(), d.maxMemoryBytes(), d.guestAddressLimit(), d.maxRegions(),
            d.maxVcpus(), d.maxHostFunctions(), d.maxCpuFeatures(), 8);
    assertProblem(() -> SnapshotFileReader.read(path, shortStrings, CPU), Problem.LIMIT, "state class is 31 bytes");
  }

  @Test
  void anotherCpuVendorOrMissingFeaturesAreRefused() throws Exception {
    Path path = write(TestSnapshots.file());
    assertProblem(
        () -> SnapshotFileReader.read(path, LIMITS, new CpuIdentity("AuthenticAMD", CPU.features())),
        Problem.CPU_MISMATCH, "GenuineIntel CPU, this host is AuthenticAMD");
    assertProblem(
        () -> SnapshotFileReader.read(path, LIMITS, new CpuIdentity("GenuineIntel", Set.of("sse", "sse2"))),
        Problem.CPU_MISMATCH, "lacks features the snapshot's had: [avx]");
  }

  @Test
  void aHostWithMoreFeaturesLoadsTheSnapshot() throws Exception {
    Path path = write(TestSnapshots.file());
    CpuIdentity richer = new CpuIdentity("GenuineIntel", Set.of("sse", "sse2", "avx", "avx2"));
    assertThat(SnapshotFileReader.read(path, LIMITS, richer).generation()).isEqualTo(3);
  }

  @Test
  void memoryOutsideTheGuestRangeIsRefused() throws Exception {
    Path path = write(TestSnapshots.file());
    SnapshotLimits below = LIMITS.withGuestRange(0x10000, LIMITS.maxMemoryBytes());
    assertProblem(() -> SnapshotFileReader.read(path, below, CPU), Problem.LAYOUT, "outside the guest-physical range");
    byte[] wrapping =
        new Wire.Out().u32(1).u64(-4096L).u64(8192).u8(0).u8(0).u16(0).u32(0).toArray();
    assertRefused(with(2, wrapping), Problem.LAYOUT, "outside the guest-physical range");
  }

  @Test
  void misalignedOrOverlappingRegionsAreRefused() throws Exception {
    byte[] misaligned = new Wire.Out().u32(1).u64(100).u64(12288).u8(0).u8(0).u16(0).u32(0).toArray();
    assertRefused(with(2, misaligned), Problem.LAYOUT, "must be 4 KiB aligned");
    byte[] overlapping =
        new Wire.Out().u32(2).u64(0).u64(8192).u8(0).u8(0).u16(0).u32(0)
            .u64(4096).u64(4096).u8(0).u8(0).u16(0).u32(0).toArray();
    assertRefused(with(2, overlapping), Problem.LAYOUT, "overlaps or precedes region 0");
  }

  @Test
  void countsOutOfRangeAreRefused() throws Exception {
    assertRefused(with(1, new Wire.Out().u32(0).toArray()), Problem.COUNT, "vcpu count is 0, must be 1..64");
    assertRefused(with(2, new Wire.Out().u32(-1).toArray()), Problem.COUNT, "region count is 4294967295");
    byte[] metadata =
        new Wire.Out().string("a.B").u64(1).u64(2).string("layout").u64(0).string("GenuineIntel")
            .u32(0).u32(100_000).toArray();
    assertRefused(with(0, metadata), Problem.COUNT, "host function count is 100000");
  }

  @Test
  void badUtf8IsRefused() throws Exception {
    byte[] metadata = new Wire.Out().u32(3).bytes(new byte[] {'a', (byte) 0xC3, '('}).toArray();
    assertRefused(with(0, metadata), Problem.ENCODING, "state class is not well-formed UTF-8");
  }

  @Test
  void aStateClassThatIsNoJavaNameIsRefused() throws Exception {
    byte[] metadata = new Wire.Out().string("dev..Foo").toArray();
    assertRefused(with(0, metadata), Problem.ENCODING, "is not a Java class name");
  }

  @Test
  void bytesLeftOverInASectionAreRefused() throws Exception {
    byte[] metadata = java.util.Arrays.copyOf(validSections(0), validSections(0).length + 1);
    assertRefused(with(0, metadata), Problem.STRUCTURE, "1 bytes left over");
  }

  @Test
  void aMemorySectionOfAnotherSizeThanTheRegionsIsRefused() throws Exception {
    assertRefused(with(3, new byte[4096]), Problem.STRUCTURE, "the regions need 12288");
  }

  @Test
  void registerValuesOutOfRangeAreRefused() throws Exception {
    byte[] vcpus = validSections(1);
    int firstSegmentPresent = 4 + 18 * 8 + 8 + 4 + 2 + 1;
    byte[] badBool = vcpus.clone();
    badBool[firstSegmentPresent] = 2;
    assertRefused(with(1, badBool), Problem.VALUE, "present must be 0 or 1, is 2");
    byte[] badDpl = vcpus.clone();
    badDpl[firstSegmentPresent + 1] = 4;
    assertRefused(with(1, badDpl), Problem.VALUE, "dpl must be 0..3: 4");
  }

  @Test
  void formatErrorsBecomeFormatIncompatibilities() {
    SnapshotFormatException e = new SnapshotFormatException(Problem.MAGIC, "file starts with 00");
    SnapshotIncompatibleException api = e.toIncompatible(SandboxStatus.ready());
    assertThat(api.reason()).isEqualTo(SnapshotIncompatibleException.Reason.FORMAT);
    assertThat(api).hasMessageContaining("MAGIC: file starts with 00");
    assertThat(api.getSuppressed()).containsExactly(e);
  }

  @Test
  void cpuinfoParsingKeepsOnlyTheRelevantFlags() throws Exception {
    CpuIdentity cpu =
        CpuIdentity.parse("processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu vme sse sse2 avx2 hypervisor\n");
    assertThat(cpu).isEqualTo(new CpuIdentity("AuthenticAMD", Set.of("fpu", "sse", "sse2", "avx2")));
    assertThat(CpuIdentity.host().vendor()).isNotBlank();
  }

  @Test
  void anApiSnapshotSavesAndLoadsBackTypedByItsState() throws Exception {
    SnapshotFile file = TestSnapshots.file();
    dev.molt.api.Snapshot<dev.molt.api.Sandbox> snapshot =
        SnapshotFiles.toSnapshot(
            SnapshotFile.of(
                dev.molt.api.Sandbox.class.getName(), file.lineage(), file.layout(), 9,
                file.hostFunctions(), CPU, file.vcpus(), file.memory(), file.guest()),
            dev.molt.api.Sandbox.class,
            SandboxStatus.ready());
    Path path = dir.resolve("api.molt");
    SnapshotFiles.save(snapshot, CPU, path);

    SnapshotFile loaded = SnapshotFileReader.read(path, LIMITS, CPU);
    dev.molt.api.Snapshot<dev.molt.api.Sandbox> back =
        SnapshotFiles.toSnapshot(loaded, dev.molt.api.Sandbox.class, SandboxStatus.ready());

    assertThat(back.generation()).isEqualTo(9);
    assertThat(back.lineage()).isEqualTo(snapshot.lineage());
    assertThat(back.hostFunctions()).isEqualTo(snapshot.hostFunctions());
    assertThat(((VmSnapshotImage) back.image()).vcpus()).isEqualTo(file.vcpus());
    assertThat(back.image().sizeBytes()).isEqualTo(12288);
  }

  @Test
  void aFileOfAnotherStateIsAStateIncompatibility() {
    assertThatThrownBy(
            () ->
                SnapshotFiles.toSnapshot(
                    TestSnapshots.file(), dev.molt.api.Sandbox.class, SandboxStatus.ready()))
        .isInstanceOfSatisfying(
            SnapshotIncompatibleException.class,
            e -> assertThat(e.reason()).isEqualTo(SnapshotIncompatibleException.Reason.STATE))
        .hasMessageContaining("taken in dev.molt.states.MultiUseSandbox, not dev.molt.api.Sandbox");
  }
}
