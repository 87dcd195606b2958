package dev.molt.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdkExtractionTest {
  @TempDir Path dir;

  @Test
  void extractSdkWritesEverySdkFileWithItsContents() throws IOException {
    Path sdk = dir.resolve("nested/sdk");
    List<Path> written = GuestArtifacts.extractSdk(sdk);
    assertThat(written)
        .containsExactly(
            sdk.resolve("molt_guest.h"),
            sdk.resolve("libmoltguest.a"),
            sdk.resolve("molt_guest.ld"),
            sdk.resolve("Makefile.example"));
    for (Path file : written) {
      assertThat(Files.readAllBytes(file))
          .isEqualTo(GuestArtifacts.sdkFile(file.getFileName().toString()));
    }
  }

  @Test
  void extractSdkIntoAFileIsRejected() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> GuestArtifacts.extractSdk(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + " exists and is not a directory");
  }

  @Test
  void aGuestWrittenAgainstTheExtractedSdkCompilesAndLinksWithTheExampleMakefile()
      throws IOException, InterruptedException {
    GuestArtifacts.extractSdk(dir);
    Files.writeString(
        dir.resolve("tiny.c"),
        """
        #include "molt_guest.h"
        static molt_value twice(const molt_value *args) { return molt_i64(2 * args[0].as.i64); }
        void molt_init(void) { molt_register("Twice", "i64(i64)", twice); }
        """);
    Process make =
        new ProcessBuilder("make", "-f", "Makefile.example", "GUEST=tiny")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(make.exitValue()).as(output).isZero();
    ElfFacts elf = ElfFacts.parse(Files.readAllBytes(dir.resolve("tiny.elf")));
    assertThat(elf.type()).isEqualTo(2);
    assertThat(elf.entry()).isEqualTo(0x200000);
    assertThat(elf.loads()).extracting(ElfFacts.Segment::flags).containsExactly(5, 4, 6);
  }

  @Test
  void extractSdkCommandWritesTheFilesAndNamesThem() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExtractSdk.run(new String[] {dir.toString()}, print(out), print(err));
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote " + dir.resolve("molt_guest.h"));
    assertThat(dir.resolve("libmoltguest.a")).isRegularFile();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void extractSdkCommandWithoutADirectoryPrintsUsageAndReturnsTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExtractSdk.run(new String[0], print(new ByteArrayOutputStream()), print(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: ExtractSdk <directory>");
  }

  @Test
  void extractSdkCommandIntoAFileReturnsOneWithTheReason() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ExtractSdk.run(new String[] {file.toString()}, print(new ByteArrayOutputStream()), print(err));
    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("cannot extract the Molt guest SDK into " + file)
        .contains("exists and is not a directory");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
