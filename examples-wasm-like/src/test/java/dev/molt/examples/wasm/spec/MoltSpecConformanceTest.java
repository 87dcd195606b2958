package dev.molt.examples.wasm.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.molt.api.SandboxStatus;
import dev.molt.examples.wasm.LoadedWasmSandbox;
import dev.molt.examples.wasm.ProtoWasmSandbox;
import dev.molt.examples.wasm.WasmModuleException;
import dev.molt.examples.wasm.WasmSandbox;
import dev.molt.examples.wasm.WasmValue;
import dev.molt.examples.wasm.spec.SpecTally.Note;
import dev.molt.examples.wasm.spec.SpecTally.Verdict;
import dev.molt.testkit.RequiresKvm;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spec-script harness through Molt's transitions ({@link SpecScriptRunner}): the module's own
 * hand-written scripts by default, the scripts of {@code -Dmolt.wasm.specDir=DIR} when given.
 */
@RequiresKvm
class MoltSpecConformanceTest {

  private static final Logger LOG = LoggerFactory.getLogger(MoltSpecConformanceTest.class);

  private static final String NOT_CURRENT = "which is not the current module";

  private static Path resourceDir(String name) throws URISyntaxException {
    URL url = Objects.requireNonNull(MoltSpecConformanceTest.class.getResource("/" + name), name);
    return Path.of(url.toURI());
  }

  private static List<Note> skipsWithOtherReasons(SpecRun run) {
    return run.total().notes(Verdict.SKIPPED).stream()
        .filter(n -> !n.reason().equals(SpecScriptRunner.TEXT_MODULE_SKIP) && !n.reason().contains(NOT_CURRENT))
        .toList();
  }

  @Test
  void handWrittenScriptsPassThroughEvolvesAndDevolves(@TempDir Path tmp) throws Exception {
    SpecRun run = SpecRun.of(resourceDir("wast"), tmp);
    LOG.info("hand-written scripts through Molt:\n{}", run.table());

    assertThat(run.total().notes(Verdict.FAILED)).isEmpty();
    assertThat(skipsWithOtherReasons(run)).isEmpty();
    // linking.wast calls $A after $B was loaded on top of it: the only skips
    assertThat(run.total().notes(Verdict.SKIPPED))
        .extracting(Note::script)
        .containsOnly("linking");
    SpecTally t = run.total();
    assertThat(t.total(Verdict.PASSED)).isGreaterThan(200);
    // every module an evolve, every binary rejection a rejected evolve
    assertThat(run.transitions().evolves()).isEqualTo(t.count(CommandKind.MODULE, Verdict.PASSED));
    assertThat(run.transitions().rejectedEvolves())
        .isEqualTo(t.count(CommandKind.ASSERT_INVALID, Verdict.PASSED) + t.count(CommandKind.ASSERT_MALFORMED, Verdict.PASSED)
            + t.count(CommandKind.ASSERT_UNLINKABLE, Verdict.PASSED)
            + t.count(CommandKind.ASSERT_UNINSTANTIABLE, Verdict.PASSED));
  }

  @Test
  void aTrapOrARejectedModuleNeverLeaksIntoTheNextModule(@TempDir Path tmp) throws Exception {
    SpecRun run = SpecRun.of(resourceDir("wast-molt"), tmp);
    LOG.info("isolation.wast through Molt:\n{}", run.table());

    assertThat(run.total().notes()).isEmpty();
    SpecTally t = run.total();
    assertThat(t.count(CommandKind.MODULE, Verdict.PASSED)).isEqualTo(5);
    assertThat(t.count(CommandKind.ASSERT_RETURN, Verdict.PASSED)).isEqualTo(8);
    assertThat(t.count(CommandKind.ASSERT_TRAP, Verdict.PASSED)).isEqualTo(1);
    assertThat(t.count(CommandKind.ASSERT_EXHAUSTION, Verdict.PASSED)).isEqualTo(1);
    assertThat(t.count(CommandKind.ASSERT_MALFORMED, Verdict.PASSED)).isEqualTo(2);
    assertThat(t.count(CommandKind.ASSERT_INVALID, Verdict.PASSED)).isEqualTo(1);
    assertThat(t.count(CommandKind.ASSERT_UNLINKABLE, Verdict.PASSED)).isEqualTo(1);
    assertThat(t.count(CommandKind.ASSERT_UNINSTANTIABLE, Verdict.PASSED)).isEqualTo(2);
    assertThat(t.count(CommandKind.REGISTER, Verdict.PASSED)).isEqualTo(1);
    assertThat(t.count(CommandKind.ACTION, Verdict.PASSED)).isEqualTo(1);
    // $T -> $T2 -> $S: two unloads; $U, $V on top of the registered $S
    assertThat(run.transitions()).isEqualTo(new SpecScriptRunner.Transitions(5, 6, 2));
  }

  @Test
  void aWrongExpectationIsReportedAsAFailure(@TempDir Path tmp) throws Exception {
    SpecRun run = SpecRun.of(resourceDir("wast-failing"), tmp);

    assertThat(run.total().notes())
        .singleElement()
        .satisfies(n -> {
          assertThat(n.line()).isEqualTo(3);
          assertThat(n.kind()).isEqualTo(CommandKind.ASSERT_RETURN);
          assertThat(n.verdict()).isEqualTo(Verdict.FAILED);
          assertThat(n.reason()).isEqualTo("one: result 0 is i32:1, expected i32 2");
        });
  }

  @Test
  void corruptedAndTruncatedModulesNeverCrashTheGuestOrTheHost() throws Exception {
    byte[] good = Wat2Wasm.parse("""
        (module
          (memory 1)
          (global $g (mut i32) (i32.const 5))
          (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (global.get $g)))
          (func (export "loop") (local i32) (loop (br_if 0 (i32.lt_u (local.get 0) (i32.const 10)))))
          (data (i32.const 0) "hello"))
        """);
    Random random = new Random(8);
    int rejected = 0;
    try (ProtoWasmSandbox proto = ProtoWasmSandbox.create();
        WasmSandbox runtime = proto.loadRuntime()) {
      LoadedWasmSandbox current = runtime.loadModule(good);
      try {
        for (int i = 0; i < 300; i++) {
          byte[] bad = i < good.length ? Arrays.copyOf(good, i) : good.clone();
          if (i >= good.length) {
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
              bad[8 + random.nextInt(bad.length - 8)] = (byte) random.nextInt(256);
            }
          }
          try {
            LoadedWasmSandbox top = current.loadModuleOnTop(bad);
            current = top.unloadTopModule();
          } catch (WasmModuleException e) {
            rejected++;
          }
          assertThat(current.status()).isEqualTo(SandboxStatus.ready());
          assertThat(current.call("f", WasmValue.i32(i))).containsExactly(WasmValue.i32(i + 5));
        }
      } finally {
        current.close();
      }
    }
    assertThat(rejected).isGreaterThan(good.length);
  }

  /** The shared spec scripts: {@code -Dmolt.wasm.specDir=../shared/wasm-spec}. */
  @Test
  @EnabledIfSystemProperty(named = "molt.wasm.specDir", matches = ".+")
  void specScriptsOfTheGivenDirectoryPassThroughMolt(@TempDir Path tmp) throws Exception {
    Path dir = Path.of(System.getProperty("molt.wasm.specDir"));
    SpecRun run = SpecRun.of(dir, tmp);
    String table = run.table();
    LOG.info("spec scripts of {} through Molt:\n{}", dir, table);
    Path report = Path.of("target", "molt-spec-conformance.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, table);

    assertThat(run.executedPassRate()).isGreaterThanOrEqualTo(0.99);
    assertThat(run.total().notes()).allSatisfy(n -> assertThat(n.reason()).isNotBlank());
    assertThat(skipsWithOtherReasons(run)).isEmpty();
  }
}
