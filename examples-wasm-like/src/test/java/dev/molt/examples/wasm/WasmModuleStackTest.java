package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.TransitionKind;
import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Modules that import each other in one sandbox: register, loadModuleOnTop, unloadTopModule. */
@RequiresKvm
class WasmModuleStackTest {

  private static final byte[] BASE = Wat2Wasm.parse("""
      (module
        (memory (export "mem") 1)
        (func (export "seven") (result i32) (i32.const 7))
        (func (export "peek") (result i32) (i32.load (i32.const 16))))
      """);

  private static final byte[] IMPORTER = Wat2Wasm.parse("""
      (module
        (import "base" "seven" (func $seven (result i32)))
        (import "base" "mem" (memory 1))
        (func (export "twice") (result i32) (i32.mul (call $seven) (i32.const 2)))
        (func (export "poke") (i32.store (i32.const 16) (i32.const 99))))
      """);

  private LoadedWasmSandbox base;

  @BeforeEach
  void loadBase() throws Exception {
    try (ProtoWasmSandbox proto = ProtoWasmSandbox.create(); WasmSandbox runtime = proto.loadRuntime()) {
      base = runtime.loadModule(BASE);
    }
  }

  @AfterEach
  void close() {
    base.close();
  }

  @Test
  void aModuleLoadedOnTopImportsTheRegisteredModule() throws Exception {
    base.register("base");
    try (LoadedWasmSandbox top = base.loadModuleOnTop(IMPORTER)) {
      assertThat(top.call("twice")).containsExactly(WasmValue.i32(14));
      top.call("poke");
      assertThat(top.exports()).extracting(WasmExport::name).containsExactly("twice", "poke");
    }
  }

  @Test
  void aLoadOnTopConsumesTheModuleBelow() throws Exception {
    base.register("base");
    try (LoadedWasmSandbox top = base.loadModuleOnTop(IMPORTER)) {
      assertThatThrownBy(() -> base.call("seven")).isInstanceOf(SandboxConsumedException.class);
      assertThat(top.status()).isEqualTo(dev.molt.api.SandboxStatus.ready());
    }
  }

  @Test
  void unloadTopModuleReturnsToTheModuleBelowAsItWasBeforeTheLoad() throws Exception {
    base.register("base");
    LoadedWasmSandbox top = base.loadModuleOnTop(IMPORTER);
    top.call("poke"); // writes 99 into base's memory
    base = top.unloadTopModule();

    assertThat(base.call("peek")).containsExactly(WasmValue.i32(0));
    assertThat(base.exports()).extracting(WasmExport::name).containsExactly("mem", "seven", "peek");
    try (LoadedWasmSandbox again = base.loadModuleOnTop(IMPORTER)) { // still registered
      assertThat(again.call("twice")).containsExactly(WasmValue.i32(14));
      base = again.unloadTopModule();
    }
  }

  @Test
  void unloadModuleDropsEveryModuleAndRegistration() throws Exception {
    base.register("base");
    LoadedWasmSandbox top = base.loadModuleOnTop(IMPORTER);
    try (WasmSandbox runtime = top.unloadModule()) {
      WasmModuleException e = catchThrowableOfType(WasmModuleException.class, () -> runtime.loadModule(IMPORTER));
      assertThat(e.reason()).isEqualTo(WasmModuleException.Reason.UNLINKABLE);
      assertThat(e.engineMessage()).isEqualTo("unknown import base.seven");
      base = runtime.loadModule(BASE);
    }
  }

  @Test
  void unloadTopModuleWithNoModuleOnTopIsRefusedAndTheModuleStaysUsable() throws Exception {
    assertThatThrownBy(() -> base.unloadTopModule())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("found no rollback point recorded by evolve 'loadModuleOnTop'");
    assertThat(base.call("seven")).containsExactly(WasmValue.i32(7));
  }

  @Test
  void aRejectedModuleOnTopLeavesTheModuleBelowCurrent() throws Exception {
    WasmModuleException invalid = catchThrowableOfType(WasmModuleException.class, () -> base.loadModuleOnTop(Modules.invalid()));
    WasmModuleException unlinkable = catchThrowableOfType(WasmModuleException.class, () -> base.loadModuleOnTop(IMPORTER));
    WasmModuleException malformed = catchThrowableOfType(WasmModuleException.class, () -> base.loadModuleOnTop(new byte[] {1, 2}));

    assertThat(invalid.reason()).isEqualTo(WasmModuleException.Reason.INVALID);
    assertThat(unlinkable.reason()).isEqualTo(WasmModuleException.Reason.UNLINKABLE);
    assertThat(malformed.reason()).isEqualTo(WasmModuleException.Reason.MALFORMED);
    assertThat(base.call("seven")).containsExactly(WasmValue.i32(7));
  }

  @Test
  void registerRefusesAnEmptyOrTooLongName() {
    assertThatThrownBy(() -> base.register(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a registered module name must have 1..128 UTF-8 bytes, \"\" has 0");
    assertThatThrownBy(() -> base.register("é".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(" has 130");
    assertThatThrownBy(() -> base.register(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aSeventeenthRegistrationIsRefused() throws Exception {
    for (int i = 0; i < 16; i++) {
      base.register("m" + i);
    }
    assertThatThrownBy(() -> base.register("m16"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the engine refused to register \"m16\": at most 16 registered modules");
    assertThat(base.call("seven")).containsExactly(WasmValue.i32(7));
  }

  @Test
  void theGraphHasLoadOnTopAndItsDevolveOnLoadedWasmSandbox() {
    assertThat(WasmState.loadModuleOnTop(new byte[0]).kind()).isEqualTo(TransitionKind.EVOLVE);
    assertThat(WasmState.UNLOAD_TOP_MODULE.kind()).isEqualTo(TransitionKind.DEVOLVE);
    assertThat(WasmState.UNLOAD_TOP_MODULE.reverses().descriptor())
        .isEqualTo(WasmState.loadModuleOnTop(new byte[] {1}).descriptor());
    assertThat(WasmState.graph().toMermaid())
        .contains("LoadedWasmSandbox --> LoadedWasmSandbox : loadModuleOnTop (evolve)")
        .contains("LoadedWasmSandbox --> LoadedWasmSandbox : unloadTopModule (devolve)");
    assertThatThrownBy(() -> WasmState.loadModuleOnTop(null)).isInstanceOf(NullPointerException.class);
  }
}
