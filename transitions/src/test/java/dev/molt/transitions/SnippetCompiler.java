package dev.molt.transitions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources in-process against the built modules (the test class path: api and
 * transitions classes, checker-qual), optionally with the Resource Leak Checker as annotation
 * processor (found on the same class path), and reports every error diagnostic.
 */
final class SnippetCompiler {

  /** The example family's sources, compiled along with every snippet. */
  static final Path DEMO_SOURCES = Path.of("src/test/java/dev/molt/transitions/demo");

  /** One error: javac's diagnostic code (e.g. compiler.err.prob.found.req) and its message. */
  record Error(String code, String message, long line) {}

  /** What a compilation produced. */
  record Result(List<Error> errors) {
    boolean succeeded() {
      return errors.isEmpty();
    }
  }

  private SnippetCompiler() {}

  /**
   * Compiles {@code snippet} (a complete compilation unit in package {@code snippet}) with the
   * example family's sources.
   */
  static Result compile(String snippet, boolean resourceLeakChecker) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out;
    try {
      out = Files.createTempDirectory("molt-snippet");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String classPath = System.getProperty("java.class.path");
    List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-classpath", classPath, "-Xlint:none"));
    if (resourceLeakChecker) {
      options.addAll(
          List.of(
              "-processorpath",
              classPath,
              "-processor",
              "org.checkerframework.checker.resourceleak.ResourceLeakChecker",
              "-Adetailedmsgtext"));
    } else {
      options.add("-proc:none");
    }
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        Stream<Path> demo = Files.list(DEMO_SOURCES)) {
      List<JavaFileObject> units = new ArrayList<>();
      files.getJavaFileObjectsFromPaths(demo.filter(p -> p.toString().endsWith(".java") && !p.toString().endsWith("Test.java")).toList())
          .forEach(units::add);
      units.add(new Source("snippet/Snippet.java", snippet));
      boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
      List<Error> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors.add(new Error(String.valueOf(d.getCode()), d.getMessage(Locale.ROOT), d.getLineNumber()));
        }
      }
      if (!ok && errors.isEmpty()) {
        throw new AssertionError("compilation failed without an error diagnostic: " + diagnostics.getDiagnostics());
      }
      return new Result(List.copyOf(errors));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String path, String code) {
      super(URI.create("string:///" + path), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
