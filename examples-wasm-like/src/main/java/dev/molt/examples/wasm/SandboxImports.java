package dev.molt.examples.wasm;

import com.google.common.collect.MapMaker;
import dev.molt.api.Lineage;
import dev.molt.states.spi.GuestSubstrate;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.mustcall.qual.NotOwning;

/**
 * The host functions each sandbox offers, by substrate, and the ones each lineage declared to its
 * engine (weak, identity keys). States are created by Molt from a handle alone, so what the whole
 * sandbox shares lives with its substrate.
 */
final class SandboxImports {

  private static final Map<Object, WasmImports> BY_SUBSTRATE = new MapMaker().weakKeys().makeMap();

  /** What the engines of a lineage were told at loadRuntime: a snapshot's guest memory holds it. */
  private static final Map<Object, WasmImports> BY_LINEAGE = new MapMaker().weakKeys().makeMap();

  private SandboxImports() {}

  static void remember(@NotOwning GuestSubstrate substrate, WasmImports imports) {
    BY_SUBSTRATE.put(substrate, imports);
    BY_LINEAGE.putIfAbsent(substrate.lineage(), imports);
  }

  static WasmImports of(@NotOwning GuestSubstrate substrate) {
    WasmImports imports = BY_SUBSTRATE.get(substrate);
    if (imports == null) {
      throw new IllegalStateException("this substrate was not created by ProtoWasmSandbox.create");
    }
    return imports;
  }

  /**
   * Checks that {@code imports} declare the same functions, in the same order and of the same
   * types, as the lineage's engine was told (when this process created the lineage).
   *
   * @throws IllegalArgumentException naming both lists if they differ
   */
  static void requireSameAsLineage(Lineage lineage, WasmImports imports) {
    WasmImports declared = BY_LINEAGE.get(lineage);
    if (declared != null && !signatures(declared).equals(signatures(imports))) {
      throw new IllegalArgumentException(
          "the snapshot's engine was declared the host functions " + signatures(declared)
              + " (index, module, name and type must match), but the imports are " + signatures(imports));
    }
  }

  private static List<String> signatures(WasmImports imports) {
    return imports.functions().stream().map(WasmHostFunction::toString).toList();
  }
}
