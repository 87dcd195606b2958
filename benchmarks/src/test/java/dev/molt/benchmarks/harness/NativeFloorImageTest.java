package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floor's initial guest image ({@code floor dump-image}) holds the reference layout. No KVM is
 * needed: the image is built without any syscall into KVM.
 */
class NativeFloorImageTest {
  private static final long NX = 1L << 63;
  private static final long P = 1;
  private static final long W = 2;
  private static final long U = 4;

  private static ByteBuffer image;

  @BeforeAll
  static void dumpImage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("image.bin");
    Result r = floor("dump-image", file.toString());
    assertThat(r.exit()).as(r.stderr()).isZero();
    image = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void imageIsSixteenMebibytes() {
    assertThat(image.capacity()).isEqualTo(16 << 20);
  }

  @Test
  void gdtHoldsTheFlatSegmentsAndTheTss() {
    assertThat(image.getLong(0x1000)).isZero();
    assertThat(image.getLong(0x1008)).isEqualTo(0x00AF9A000000FFFFL);
    assertThat(image.getLong(0x1010)).isEqualTo(0x00CF92000000FFFFL);
    assertThat(image.getLong(0x1018)).isEqualTo(0x00CFF2000000FFFFL);
    assertThat(image.getLong(0x1020)).isEqualTo(0x00AFFA000000FFFFL);
    // TSS at 0x3000, limit 104 + 8192 + 1 - 1 = 0x2068, type 9, present.
    assertThat(image.getLong(0x1028)).isEqualTo(0x0000890030002068L);
    assertThat(image.getLong(0x1030)).isZero();
  }

  @Test
  void idtGateForUdPointsAtItsStubInRingZero() {
    int gate = 0x2000 + 16 * 6;
    assertThat(image.getShort(gate) & 0xFFFF).isEqualTo(0x6060);
    assertThat(image.getShort(gate + 2)).isEqualTo((short) 0x08);
    assertThat(image.get(gate + 4)).isZero();
    assertThat(image.get(gate + 5) & 0xFF).isEqualTo(0x8E);
  }

  @Test
  void doubleFaultUsesIstOne() {
    assertThat(image.get(0x2000 + 16 * 8 + 4)).isEqualTo((byte) 1);
  }

  @Test
  void vectorsAboveThirtyOneHaveNoGate() {
    assertThat(image.getLong(0x2000 + 16 * 32)).isZero();
    assertThat(image.getLong(0x2000 + 16 * 255 + 8)).isZero();
  }

  @Test
  void stubForVectorVWritesToPortEightyPlusV() {
    assertThat(image.get(0x6000 + 16 * 6) & 0xFF).isEqualTo(0xE6);
    assertThat(image.get(0x6000 + 16 * 6 + 1) & 0xFF).isEqualTo(0x86);
    assertThat(image.get(0x6000 + 16 * 31 + 1) & 0xFF).isEqualTo(0x9F);
  }

  @Test
  void restOfTheStubPageIsHlt() {
    assertThat(image.get(0x6000 + 2) & 0xFF).isEqualTo(0xF4);
    assertThat(image.get(0x6000 + 16 * 32) & 0xFF).isEqualTo(0xF4);
    assertThat(image.get(0x6FFF) & 0xFF).isEqualTo(0xF4);
  }

  @Test
  void tssHoldsTheRingZeroStacksAndTheIoBitmap() {
    assertThat(image.getLong(0x3000 + 4)).isEqualTo(0x8000);
    assertThat(image.getLong(0x3000 + 36)).isEqualTo(0x9000);
    assertThat(image.getShort(0x3000 + 102)).isEqualTo((short) 104);
    int bitmap = 0x3000 + 104;
    assertThat(image.get(bitmap + 0x10 / 8)).isZero(); // port 0x10 allowed
    for (int b = 0x80 / 8; b < 0xA0 / 8; b++) {
      assertThat(image.get(bitmap + b)).as("ports %x..", b * 8).isEqualTo((byte) 0xFF);
    }
    assertThat(image.get(bitmap + 0xA0 / 8)).isZero();
    assertThat(image.get(bitmap + 8192) & 0xFF).isEqualTo(0xFF);
  }

  @Test
  void pageTablesGiveEachRegionItsFlags() {
    assertThat(pte(0x0)).isZero();
    assertThat(pte(0x1000)).isEqualTo(0x1000 | NX | P | W);
    assertThat(pte(0x6000)).isEqualTo(0x6000 | P);
    assertThat(pte(0x9000)).isEqualTo(0x9000 | NX | P | W);
    assertThat(pte(0x13000)).isEqualTo(0x13000 | NX | P | W); // last of 8 page tables
    assertThat(pte(0x14000)).isEqualTo(0x14000 | NX | P | W | U);
    assertThat(pte(0x100000)).isEqualTo(0x100000 | P | U);
    assertThat(pte(0x10F000)).isEqualTo(0x10F000 | P | U);
    assertThat(pte(0x110000)).isEqualTo(0x110000 | NX | P | W | U);
    assertThat(pte(0x1EF000)).isZero();
    assertThat(pte(0x1FF000)).isEqualTo(0x1FF000 | NX | P | W | U);
    assertThat(pte(0xFFF000)).isEqualTo(0xFFF000 | NX | P | W | U);
  }

  @Test
  void upperLevelsArePresentWritableUser() {
    assertThat(image.getLong(0x9000)).isEqualTo(0xA000 | P | W | U);
    assertThat(image.getLong(0xA000)).isEqualTo(0xB000 | P | W | U);
    assertThat(image.getLong(0xB000 + 8 * 7)).isEqualTo(0x13000 | P | W | U);
    assertThat(image.getLong(0xB000 + 8 * 8)).isZero();
  }

  @Test
  void userCodeStartsWithTheFirstExitProgram() {
    byte[] code = new byte[7];
    image.get(0x100000, code);
    assertThat(code).containsExactly(0xB8, 0x2A, 0x00, 0x00, 0x00, 0xE6, 0x10);
  }

  @Test
  void unknownScenarioIsAUsageError() throws Exception {
    Result r = floor("no-such-scenario", "--ops", "1");
    assertThat(r.exit()).isEqualTo(64);
    assertThat(r.stderr()).contains("unknown scenario 'no-such-scenario'");
  }

  @Test
  void zeroOpsIsAUsageError() throws Exception {
    Result r = floor("io-exit-round-trip", "--ops", "0");
    assertThat(r.exit()).isEqualTo(64);
    assertThat(r.stderr()).contains("--ops needs an integer from 1 to 10000000, got '0'");
  }

  @Test
  void missingOpsIsAUsageError() throws Exception {
    Result r = floor("io-exit-round-trip");
    assertThat(r.exit()).isEqualTo(64);
    assertThat(r.stderr()).contains("--ops N is required");
  }

  @Test
  void listNamesEveryScenario() throws Exception {
    Result r = floor("list");
    assertThat(r.exit()).isZero();
    assertThat(r.stdout().lines().toList())
        .containsExactly(
            "create-to-first-exit", "io-exit-round-trip", "dispatch-sync-regs",
            "fault-round-trip", "kill-to-eintr", "memory-cells", "create-and-evolve",
            "call-noop-i32", "call-one-host-call", "echo-1mib", "api-version");
  }

  @Test
  void theHarnessKnowsEveryFloorScenario() throws Exception {
    List<String> harness =
        Operation.all().stream().map(Operation::floorScenario)
            .filter(s -> s != null).map(String::valueOf).distinct().toList();
    assertThat(harness).containsExactlyElementsOf(floor("list").stdout().lines().toList());
  }

  private static long pte(long gpa) {
    return image.getLong((int) (0xC000 + gpa / 4096 * 8));
  }

  record Result(int exit, String stdout, String stderr) {}

  static Result floor(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(FloorBinary.path().toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out, err);
  }
}
