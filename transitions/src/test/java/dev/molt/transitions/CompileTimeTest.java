package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.transitions.SnippetCompiler.Error;
import dev.molt.transitions.SnippetCompiler.Result;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The compile-time proof: illegal moves do not compile (each with its specific diagnostic), every
 * legal pattern does, and the example family with its usage compiles under the Resource Leak
 * Checker while a leaked sandbox does not.
 */
class CompileTimeTest {

  private static final String IMPORTS =
      """
      package snippet;
      import dev.molt.api.*;
      import dev.molt.transitions.*;
      import dev.molt.transitions.demo.*;
      """;

  private static Result javac(String body) {
    return SnippetCompiler.compile(IMPORTS + body, false);
  }

  private static Result checker(String body) {
    return SnippetCompiler.compile(IMPORTS + body, true);
  }

  private static Error onlyError(Result r) {
    assertThat(r.errors()).as("errors").hasSize(1);
    return r.errors().get(0);
  }

  // ---- must not compile ------------------------------------------------------------------------

  @Test
  void andThenOfTransitionsWhoseStatesDoNotLineUpDoesNotCompile() {
    Error e = onlyError(javac(
        """
        class Snippet {
          Object wrong() {
            // Transition<DemoProto, DemoRuntime> then Transition<DemoLoaded, DemoRuntime>
            return Demo.LOAD_RUNTIME.andThen(Demo.UNLOAD_MODULE);
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.cant.apply.symbol");
    assertThat(e.message())
        .contains("method andThen in interface dev.molt.api.Transition<F,T> cannot be applied to given types")
        .contains(
            "argument mismatch; dev.molt.api.Devolve<dev.molt.transitions.demo.DemoLoaded,"
                + "dev.molt.transitions.demo.DemoRuntime> cannot be converted to"
                + " dev.molt.api.Transition<? super dev.molt.transitions.demo.DemoRuntime,? extends U>");
  }

  @Test
  void aChainWhoseStatesDoNotLineUpDoesNotCompile() {
    Error e = onlyError(javac(
        """
        class Snippet {
          Object wrong() {
            return Chain.of(Demo.FAMILY, "c", Demo.LOAD_RUNTIME).then(Demo.UNLOAD_MODULE);
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.cant.apply.symbol");
    assertThat(e.message())
        .contains("method then in class dev.molt.transitions.Chain<F,T> cannot be applied to given types")
        .contains("cannot be converted to dev.molt.api.Transition<? super dev.molt.transitions.demo.DemoRuntime,U>");
  }

  @Test
  void restoringASnapshotOfOneStateWhereAnotherIsExpectedDoesNotCompile() {
    Error e = onlyError(javac(
        """
        class Snippet {
          void wrong(DemoLoaded current, Snapshot<DemoRuntime> snapshot) throws SandboxException {
            DemoLoaded back = Demo.FAMILY.restore(current, snapshot);
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.prob.found.req");
    assertThat(e.message()).contains("inference variable S has incompatible");
  }

  @Test
  void callingAMethodTheStateDoesNotHaveDoesNotCompile() {
    Error e = onlyError(javac(
        """
        class Snippet {
          void wrong(DemoProto proto) {
            proto.call("main"); // only a DemoLoaded can call the module
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.cant.resolve.location.args");
    assertThat(e.message()).contains("symbol:   method call(java.lang.String)");
  }

  @Test
  void applyingATransitionToTheWrongStateDoesNotCompile() {
    Error e = onlyError(javac(
        """
        class Snippet {
          void wrong(DemoLoaded loaded) throws SandboxException {
            Demo.LOAD_RUNTIME.apply(loaded);
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.prob.found.req");
    assertThat(e.message())
        .contains(
            "dev.molt.transitions.demo.DemoLoaded cannot be converted to dev.molt.transitions.demo.DemoProto");
  }

  @Test
  void aNonExhaustiveSwitchOverTheSealedFamilyDoesNotCompile() {
    Error e = onlyError(javac(
        """
        class Snippet {
          String wrong(Demo state) {
            return switch (state) {
              case DemoProto p -> "bare";
              case DemoRuntime r -> "runtime";
            };
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.not.exhaustive");
    assertThat(e.message()).isEqualTo("the switch expression does not cover all possible input values");
  }

  @Test
  void constructingAStateOutsideATransitionDoesNotCompile() {
    Error e = onlyError(javac(
        """
        class Snippet {
          DemoRuntime wrong() {
            return new DemoRuntime(null);
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.report.access");
    assertThat(e.message()).contains("DemoRuntime(dev.molt.api.spi.StateHandle<dev.molt.transitions.demo.MemorySubstrate>) has private access");
  }

  @Test
  void addingAStateToTheSealedFamilyOutsideItDoesNotCompile() {
    Result r = javac(
        """
        final class Rogue implements Demo {
          public SandboxStatus status() { return SandboxStatus.ready(); }
          public void close() {}
        }
        """);
    assertThat(r.errors()).extracting(Error::code).contains("compiler.err.cant.inherit.from.sealed");
  }

  @Test
  void aLeakedSandboxDoesNotCompileUnderTheResourceLeakChecker() {
    Error e = onlyError(checker(
        """
        class Snippet {
          String leak() {
            DemoProto proto = DemoProto.create(HostFunctions.defaults());
            return proto.status().toString();
          }
        }
        """));
    assertThat(e.code()).isEqualTo("compiler.err.proc.messager");
    assertThat(e.message())
        .startsWith("[required.method.not.called]")
        .contains("$$ method close $$ proto $$ dev.molt.transitions.demo.DemoProto $$ regular method exit");
  }

  @Test
  void anIgnoredTransitionResultDoesNotCompileUnderTheResourceLeakChecker() {
    Error e = onlyError(checker(
        """
        class Snippet {
          void leak() throws SandboxException {
            try (DemoProto proto = DemoProto.create(HostFunctions.defaults())) {
              Demo.LOAD_RUNTIME.apply(proto); // the DemoRuntime is dropped
            }
          }
        }
        """));
    assertThat(e.message())
        .startsWith("[required.method.not.called]")
        .contains("$$ method close $$ Demo.LOAD_RUNTIME.apply(proto) $$ dev.molt.transitions.demo.DemoRuntime");
  }

  @Test
  void aDroppedMethodStyleResultDoesNotCompileUnderTheResourceLeakChecker() {
    Error e = onlyError(checker(
        """
        class Snippet {
          void leak() throws SandboxException {
            try (DemoProto proto = DemoProto.create(HostFunctions.defaults())) {
              proto.loadRuntime();
            }
          }
        }
        """));
    assertThat(e.message())
        .startsWith("[required.method.not.called]")
        .contains("$$ method close $$ proto.loadRuntime() $$ dev.molt.transitions.demo.DemoRuntime");
  }

  @Test
  void notClosingTheInputWhenATransitionFailsDoesNotCompileUnderTheResourceLeakChecker() {
    Error e = onlyError(checker(
        """
        class Snippet {
          void leak() throws SandboxException {
            DemoProto proto = DemoProto.create(HostFunctions.defaults());
            DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto); // on failure proto is still ours
            runtime.close();
          }
        }
        """));
    assertThat(e.message())
        .startsWith("[required.method.not.called]")
        .contains("$$ method close $$ proto $$")
        .contains("possible exceptional exit due to Demo.LOAD_RUNTIME.apply(proto)");
  }

  // ---- must compile ----------------------------------------------------------------------------

  @Test
  void theExampleFamilyAndItsUsageCompileUnderTheResourceLeakChecker() {
    Result r = checker("class Snippet {}\n");
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void everyLegalPatternCompilesUnderTheResourceLeakChecker() {
    Result r = checker(
        """
        class Snippet {
          Transition<DemoProto, DemoLoaded> composed() {
            return Demo.LOAD_RUNTIME.andThen(Demo.loadModule("m"));
          }
          Chain<DemoProto, DemoRuntime> chained() {
            return Chain.of(Demo.FAMILY, "c", Demo.LOAD_RUNTIME).then(Demo.loadModule("m")).then(Demo.UNLOAD_MODULE);
          }
          Transition<DemoProto, DemoRuntime> withIdentity() {
            return Transition.<DemoProto>identity().andThen(Demo.LOAD_RUNTIME);
          }
          String evolveAndDevolve() throws SandboxException {
            try (DemoProto proto = DemoProto.create(HostFunctions.defaults());
                DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto);
                DemoLoaded loaded = Demo.loadModule("m").apply(runtime);
                DemoRuntime back = Demo.UNLOAD_MODULE.apply(loaded)) {
              return back.eval("x");
            }
          }
          String restore() throws SandboxException {
            try (DemoProto proto = DemoProto.create(HostFunctions.defaults());
                DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(proto)) {
              Snapshot<DemoRuntime> snapshot = Demo.FAMILY.snapshot(runtime);
              try (DemoLoaded loaded = Demo.loadModule("m").apply(runtime);
                  DemoRuntime restored = Demo.FAMILY.restore(loaded, snapshot)) {
                return restored.eval("y");
              }
            }
          }
          String methodStyle() throws SandboxException {
            try (DemoProto proto = DemoProto.create(HostFunctions.defaults());
                DemoRuntime runtime = proto.loadRuntime()) {
              return runtime.eval("m");
            }
          }
          String keepOnFailure() throws SandboxException {
            DemoProto proto = DemoProto.create(HostFunctions.defaults());
            DemoRuntime runtime;
            try {
              runtime = Demo.LOAD_RUNTIME.apply(proto);
            } catch (SandboxException e) {
              proto.close(); // a failed transition leaves its input with the caller
              throw e;
            }
            try (DemoRuntime r = runtime) {
              return r.eval("z");
            }
          }
        }
        """);
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void anExhaustiveSwitchOverTheSealedFamilyNeedsNoDefault() {
    Result r = javac(
        """
        class Snippet {
          String describe(Demo state) {
            return switch (state) {
              case DemoProto p -> "bare";
              case DemoRuntime r -> "runtime";
              case DemoLoaded l -> "module " + l.module();
            };
          }
        }
        """);
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void theSnippetCompilerSeesTheUsageFile() throws IOException {
    // guards against a vacuous "compiles": the RLC run above must have compiled the usage file
    assertThat(Files.readString(SnippetCompiler.DEMO_SOURCES.resolve("DemoUsage.java")))
        .contains("Demo.UNLOAD_MODULE.apply(loaded)");
  }
}
