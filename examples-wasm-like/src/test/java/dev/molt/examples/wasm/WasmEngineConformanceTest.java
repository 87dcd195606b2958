package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wast2Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C WebAssembly engine, compiled for the host under ASan/UBSan (target/native/host), run on
 * spec scripts converted by chicory's pure-Java wast2json. The default tests use the scripts in
 * src/test/resources/wast; {@code -Dmolt.wasm.specDir=DIR} also runs every {@code .wast} in DIR
 * (e.g. the 32 shared spec scripts).
 */
final class WasmEngineConformanceTest {

  private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");

  record Run(int exitCode, String output) {
    int passed() {
      return summary(1);
    }

    int failed() {
      return summary(2);
    }

    private int summary(int group) {
      Matcher m = SUMMARY.matcher(output);
      int value = -1;
      while (m.find()) {
        value = Integer.parseInt(m.group(group));
      }
      return value;
    }
  }

  private static Path resourceDir(String name) throws URISyntaxException {
    URL url = Objects.requireNonNull(WasmEngineConformanceTest.class.getResource("/" + name), name);
    return Path.of(url.toURI());
  }

  private static Path program(String property) {
    String path = System.getProperty(property);
    assertThat(path).as("system property %s (set by the pom)", property).isNotNull();
    Path p = Path.of(Objects.requireNonNull(path));
    assertThat(p).as("built by the Makefile in process-test-classes").isExecutable();
    return p;
  }

  /** Converts every .wast in {@code dir} into {@code out/<name>/<name>.json} (+ .wasm files). */
  private static List<Path> convert(Path dir, Path out) throws IOException {
    List<Path> jsons = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path wast : files.filter(f -> f.toString().endsWith(".wast")).sorted().toList()) {
        String name = wast.getFileName().toString().replace(".wast", "");
        Path target = Files.createDirectories(out.resolve(name));
        Path json = target.resolve(name + ".json");
        Wast2Json.builder().withFile(wast.toFile()).withOutput(json.toFile()).build().process();
        jsons.add(json);
      }
    }
    return jsons;
  }

  private static Run run(Path program, List<Path> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    args.forEach(a -> command.add(a.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), output);
  }

  @Test
  void handWrittenScriptsPassEveryAssertion(@TempDir Path tmp) throws Exception {
    List<Path> jsons = convert(resourceDir("wast"), tmp);
    assertThat(jsons).hasSize(5);

    Run run = run(program("molt.wasm.specDriver"), jsons);

    assertThat(run.failed()).as(run.output()).isZero();
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.passed()).as(run.output()).isEqualTo(260);
    assertThat(run.output()).contains("messages: 68 of 68 passing traps and rejections contain the script's expected text");
  }

  @Test
  void aWrongExpectationIsReportedAsAFailure(@TempDir Path tmp) throws Exception {
    List<Path> jsons = convert(resourceDir("wast-failing"), tmp);

    Run run = run(program("molt.wasm.specDriver"), jsons);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("wrong-result.json:3 assert_return: one: result 0 is 0x1, expected i32 2");
    assertThat(run.passed()).isEqualTo(1);
    assertThat(run.failed()).isEqualTo(1);
  }

  @Test
  void truncatedAndCorruptedModulesNeverCrashTheEngine(@TempDir Path tmp) throws Exception {
    convert(resourceDir("wast"), tmp);
    List<Path> modules;
    try (Stream<Path> files = Files.walk(tmp)) {
      modules = files.filter(f -> f.toString().endsWith(".wasm")).sorted().toList();
    }
    assertThat(modules).hasSizeGreaterThan(30);

    Run run = run(program("molt.wasm.engineTest"), modules);

    assertThat(run.failed()).as(run.output()).isZero();
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.passed()).isGreaterThanOrEqualTo(modules.size() * 2);
  }

  @Test
  void guestFunctionsEncodeValuesAndReportErrorsWithTheirCodes(@TempDir Path tmp) throws Exception {
    Path dir = convert(resourceDir("guest"), tmp).get(0).getParent();
    List<Path> modules = List.of(
        dir.resolve("guest-test.0.wasm"), dir.resolve("guest-test.1.wasm"),
        dir.resolve("guest-test.2.wasm"), dir.resolve("guest-test.3.wasm"),
        dir.resolve("guest-test.4.wasm"));

    Run run = run(program("molt.wasm.guestTest"), modules);

    assertThat(run.failed()).as(run.output()).isZero();
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.passed()).as(run.output()).isEqualTo(45);
  }

  @Test
  void engineGuestIsAStaticX86_64ExecutableLinkedAtTheGuestAddress() throws IOException {
    byte[] elf = Files.readAllBytes(Path.of(Objects.requireNonNull(System.getProperty("molt.wasm.guestElf"))));

    assertThat(elf).startsWith(0x7F, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */);
    assertThat(elf[16] | elf[17] << 8).as("e_type ET_EXEC").isEqualTo(2);
    assertThat(elf[18] | elf[19] << 8).as("e_machine x86-64").isEqualTo(62);
    long entry = 0;
    for (int i = 7; i >= 0; i--) {
      entry = entry << 8 | (elf[24 + i] & 0xFF);
    }
    assertThat(entry).as("entry _molt_start at the link address").isEqualTo(0x200000L);
  }

  /** The shared spec scripts: {@code -Dmolt.wasm.specDir=../shared/wasm-spec}. */
  @Test
  @EnabledIfSystemProperty(named = "molt.wasm.specDir", matches = ".+")
  void specScriptsInTheGivenDirectoryPass(@TempDir Path tmp) throws Exception {
    Path dir = Path.of(Objects.requireNonNull(System.getProperty("molt.wasm.specDir")));
    List<Path> jsons = convert(dir, tmp);
    assertThat(jsons).isNotEmpty();

    Run run = run(program("molt.wasm.specDriver"), jsons);
    System.out.println(run.output());

    assertThat(run.failed()).as(run.output()).isZero();
    assertThat(run.exitCode()).as(run.output()).isZero();
  }
}
