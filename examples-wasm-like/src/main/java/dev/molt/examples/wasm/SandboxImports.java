package dev.molt.examples.wasm;

import com.google.common.collect.MapMaker;
import dev.molt.states.spi.GuestSubstrate;
import java.util.Map;
import org.checkerframework.checker.mustcall.qual.NotOwning;

/**
 * The host functions each sandbox offers, by substrate (weak, identity keys). States are created
 * by Molt from a handle alone, so what the whole sandbox shares lives with its substrate.
 */
final class SandboxImports {

  private static final Map<Object, WasmImports> BY_SUBSTRATE = new MapMaker().weakKeys().makeMap();

  private SandboxImports() {}

  static void remember(@NotOwning GuestSubstrate substrate, WasmImports imports) {
    BY_SUBSTRATE.put(substrate, imports);
  }

  static WasmImports of(@NotOwning GuestSubstrate substrate) {
    WasmImports imports = BY_SUBSTRATE.get(substrate);
    if (imports == null) {
      throw new IllegalStateException("this substrate was not created by ProtoWasmSandbox.create");
    }
    return imports;
  }
}
