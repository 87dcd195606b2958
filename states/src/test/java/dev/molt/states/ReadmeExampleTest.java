package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.Snapshot;
import dev.molt.guest.TestGuest;
import dev.molt.testkit.RequiresKvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The top-level README's "Running a guest" example: it runs here, and the README quotes it. */
@RequiresKvm
class ReadmeExampleTest {

  private static int readmeExample(
      GuestBinary guest, SandboxConfiguration configuration, HostFunctions hostFunctions)
      throws SandboxException {
    // README: start
    try (UninitializedSandbox fresh = UninitializedSandbox.create(guest, configuration, hostFunctions);
        MultiUseSandbox sandbox = fresh.evolve()) {            // guest init on the same VM
      int sum = sandbox.call("Add", Integer.class, 40, 2);     // checked against the guest's signature
      // README: end
      return sum;
    }
  }

  private static long snapshotExample(MultiUseSandbox sandbox, HostFunctions hostFunctions, Path file)
      throws Exception {
    // README snapshots: start
    Snapshot<MultiUseSandbox> clean = sandbox.snapshot();   // pages written so far + registers
    sandbox.call("Counter", Long.class);                     // the guest changes its memory
    sandbox.restore(clean);                                  // copies back what changed; clears Poisoned
    SandboxSnapshots.save(clean, file);                      // versioned, SHA-256 per section
    try (SandboxPool pool = SandboxPool.create(clean, hostFunctions, 8); // copy-on-write from the image
        PooledSandbox lease = pool.acquire()) {              // restored to `clean` on close
      return lease.sandbox().call("Counter", Long.class);    // 1: nothing of other users is visible
    }
    // README snapshots: end
  }

  @Test
  void theReadmeSnapshotExampleRuns(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL, HostFunctions.empty())) {
      Path file = dir.resolve("counter.molt");
      assertThat(snapshotExample(sandbox, HostFunctions.empty(), file)).isEqualTo(1L);
      assertThat(SandboxSnapshots.load(file, MultiUseSandbox.class).lineage())
          .isEqualTo(sandbox.snapshot().lineage());
    }
  }

  @Test
  void theReadmeQuotesTheSnapshotExample() throws IOException {
    String readme = Files.readString(Path.of("").toAbsolutePath().resolve("../README.md"));
    String source =
        Files.readString(Path.of("src/test/java/dev/molt/states/ReadmeExampleTest.java"));
    Matcher quoted =
        Pattern.compile("```java\n(Snapshot<MultiUseSandbox> clean.*?)```", Pattern.DOTALL)
            .matcher(readme);
    assertThat(quoted.find()).as("README has the snapshot example").isTrue();
    int start = source.indexOf("// README snapshots: start") + "// README snapshots: start".length();
    int end = source.indexOf("// README snapshots: end");

    assertThat(normalized(quoted.group(1))).isEqualTo(normalized(source.substring(start, end)));
  }

  @Test
  void theReadmeExampleRunsTheBehavioursGuest() throws SandboxException {
    int sum =
        readmeExample(
            GuestBinary.of(TestGuest.BEHAVIOURS.elf()),
            SandboxConfiguration.defaults(),
            HostFunctions.empty());

    assertThat(sum).isEqualTo(42);
  }

  @Test
  void theReadmeQuotesThisExample() throws IOException {
    String readme = Files.readString(Path.of("").toAbsolutePath().resolve("../README.md"));
    String source =
        Files.readString(Path.of("src/test/java/dev/molt/states/ReadmeExampleTest.java"));
    Matcher quoted =
        Pattern.compile("```java\\n(try \\(UninitializedSandbox.*?)```", Pattern.DOTALL)
            .matcher(readme);
    assertThat(quoted.find()).as("README has the example").isTrue();
    int start = source.indexOf("// README: start") + "// README: start".length();
    int end = source.indexOf("// README: end");

    assertThat(normalized(quoted.group(1)))
        .isEqualTo(normalized(source.substring(start, end) + "}"));
  }

  private static String normalized(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }
}
