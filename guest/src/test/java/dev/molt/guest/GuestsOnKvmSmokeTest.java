package dev.molt.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the shipped behaviours guest on /dev/kvm in ring 3 with the C smoke host
 * (src/test/c/kvm_smoke.c: a minimal supervisor and the host side of guest ABI v1) and checks
 * every case it runs passed. The full host side and its Java tests belong to {@code states}.
 */
@RequiresKvm
class GuestsOnKvmSmokeTest {
  @TempDir Path dir;

  @Test
  void behavioursGuestAnswersCallsHostCallsAndFaultsOnKvm() throws IOException, InterruptedException {
    Path elf = Files.write(dir.resolve("behaviours.elf"), TestGuest.BEHAVIOURS.elf());
    Process smoke =
        new ProcessBuilder(System.getProperty("molt.guest.kvmSmoke", "kvm_smoke"), elf.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(smoke.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(smoke.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as(output).contains("kvm smoke: 36 passed, 0 failed").doesNotContain("FAIL");
    assertThat(smoke.exitValue()).isZero();
  }
}
