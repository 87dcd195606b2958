package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's state diagram is the family's graph, rendered. */
class ReadmeTest {

  @Test
  void theReadmesMermaidDiagramIsTheFamilysGraph() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("```mermaid\n" + WasmState.graph().toMermaid().strip() + "\n```");
  }
}
