package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java examples in the top-level README and in this module's README are excerpts of the demo
 * family that CompileTimeTest compiles with the checker on: each paragraph of each block (blocks
 * may leave out members between paragraphs) must appear, up to whitespace, in those sources, so
 * the READMEs cannot drift from code that compiles.
 */
class ReadmeSnippetsTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path DEMO_SOURCES = MODULE.resolve("src/test/java/dev/molt/transitions");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  private static String normalized(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private static String demoSources() throws IOException {
    try (Stream<Path> files = Files.walk(DEMO_SOURCES)) {
      return normalized(
          files
              .filter(f -> f.toString().endsWith(".java"))
              .map(
                  f -> {
                    try {
                      return Files.readString(f);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .collect(Collectors.joining("\n")));
    }
  }

  private static List<String> demoBlocks(Path readme) throws IOException {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(Files.readString(readme));
    while (m.find()) {
      if (m.group(1).contains("Demo")) {
        blocks.add(m.group(1));
      }
    }
    return blocks;
  }

  private static List<String> paragraphs(List<String> blocks) {
    List<String> paragraphs = new ArrayList<>();
    for (String block : blocks) {
      for (String paragraph : block.split("\\n\\s*\\n")) {
        if (!paragraph.isBlank()) {
          paragraphs.add(normalized(paragraph));
        }
      }
    }
    return paragraphs;
  }

  @Test
  void topLevelReadmeExamplesAreInTheCompiledDemoFamily() throws IOException {
    List<String> blocks = demoBlocks(MODULE.resolve("../README.md").normalize());
    String sources = demoSources();

    assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
    assertThat(paragraphs(blocks)).allSatisfy(p -> assertThat(sources).contains(p));
  }

  @Test
  void moduleReadmeExamplesAreInTheCompiledDemoFamily() throws IOException {
    List<String> blocks = demoBlocks(MODULE.resolve("README.md"));
    String sources = demoSources();

    assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
    assertThat(paragraphs(blocks)).allSatisfy(p -> assertThat(sources).contains(p));
  }
}
