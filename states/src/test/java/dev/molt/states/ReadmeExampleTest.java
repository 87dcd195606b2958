package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
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
