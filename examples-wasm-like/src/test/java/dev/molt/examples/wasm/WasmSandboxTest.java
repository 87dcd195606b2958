package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.testkit.RequiresKvm;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The WasmState family on real KVM: every transition, call, trap and bad input. */
@RequiresKvm
class WasmSandboxTest {

  private static final byte[] TENANT = Modules.wat("tenant");
  private static final byte[] OTHER = Modules.wat("other");

  private final List<String> hostCalls = new CopyOnWriteArrayList<>();
  private final IllegalStateException hostFailure = new IllegalStateException("the host says no");
  private volatile boolean hostShouldFail;
  private volatile boolean hostReturnsWrongType;

  private WasmSandbox runtime;

  private WasmImports imports() {
    return WasmImports.builder()
        .function("env", "add", WasmFunctionType.params(WasmType.I32, WasmType.I32).returning(WasmType.I32), args -> {
          hostCalls.add("add" + args);
          if (hostShouldFail) {
            throw hostFailure;
          }
          if (hostReturnsWrongType) {
            return List.of(WasmValue.i64(1));
          }
          return List.of(WasmValue.i32(args.get(0).asI32() + args.get(1).asI32()));
        })
        .procedure("env", "record", WasmFunctionType.params(WasmType.I64, WasmType.F64), args -> hostCalls.add("record" + args))
        .build();
  }

  @BeforeEach
  void loadRuntime() throws Exception {
    try (ProtoWasmSandbox proto = ProtoWasmSandbox.create(imports())) {
      runtime = proto.loadRuntime();
    }
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  private LoadedWasmSandbox load(byte[] module) throws Exception {
    return runtime.loadModule(module);
  }

  // ---- transitions ---------------------------------------------------------------------------

  @Test
  void loadRuntimeConsumesTheProtoAndRecordsItsRollbackPoint() throws Exception {
    try (ProtoWasmSandbox proto = ProtoWasmSandbox.create(WasmImports.none());
        WasmSandbox wasm = proto.loadRuntime()) {
      assertThat(wasm.status()).isEqualTo(SandboxStatus.ready());
      assertThat(WasmState.FAMILY.rollbackPoints(wasm)).containsExactly("loadRuntime");
      assertThatThrownBy(proto::imports)
          .isInstanceOf(SandboxConsumedException.class)
          .hasMessageContaining("loadRuntime");
    }
  }

  @Test
  void loadModuleConsumesTheRuntimeAndListsTheModulesExports() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThat(loaded.exports())
          .contains(
              new WasmExport.Memory("memory"),
              new WasmExport.Global("counter", WasmType.I32),
              new WasmExport.Function("fib", WasmFunctionType.params(WasmType.I32).returning(WasmType.I32)),
              new WasmExport.Function(
                  "swap", WasmFunctionType.params(WasmType.I64, WasmType.F64).returning(WasmType.F64, WasmType.I64)))
          .hasSize(15);
      assertThat(WasmState.FAMILY.rollbackPoints(loaded)).containsExactly("loadRuntime", "loadModule");
      assertThatThrownBy(runtime::imports).isInstanceOf(SandboxConsumedException.class).hasMessageContaining("loadModule");
    }
  }

  @Test
  void unloadModuleReturnsToTheRuntimeWithTheLoadsRollbackPointUsed() throws Exception {
    LoadedWasmSandbox loaded = load(TENANT);
    try (WasmSandbox again = loaded.unloadModule()) {
      assertThat(again.status()).isEqualTo(SandboxStatus.ready());
      assertThat(WasmState.FAMILY.rollbackPoints(again)).containsExactly("loadRuntime");
      assertThat(WasmState.FAMILY.journal(again))
          .extracting(e -> e.transition())
          .containsExactly("loadRuntime", "loadModule", "unloadModule");
      assertThatThrownBy(() -> loaded.call("fib", WasmValue.i32(1))).isInstanceOf(SandboxConsumedException.class);
      runtime = again; // closed by @AfterEach
    }
  }

  @Test
  void afterAnUnloadTheNextModuleSeesNothingOfTheFirst() throws Exception {
    try (LoadedWasmSandbox first = load(TENANT)) {
      first.call("store", WasmValue.i32(1024), WasmValue.i32(0xCAFE));
      assertThat(first.call("load", WasmValue.i32(1024))).containsExactly(WasmValue.i32(0xCAFE));
      assertThat(first.global("counter")).isEqualTo(WasmValue.i32(1));
      runtime = first.unloadModule();
    }
    try (LoadedWasmSandbox second = load(OTHER)) {
      assertThat(second.call("load", WasmValue.i32(1024))).containsExactly(WasmValue.i32(0));
      assertThat(second.global("counter")).isEqualTo(WasmValue.i32(0));
      assertThatThrownBy(() -> second.call("fib", WasmValue.i32(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no function \"fib\"");
      runtime = second.unloadModule();
    }
    try (LoadedWasmSandbox firstAgain = load(TENANT)) {
      assertThat(firstAgain.call("load", WasmValue.i32(1024))).containsExactly(WasmValue.i32(0));
      assertThat(firstAgain.global("counter")).isEqualTo(WasmValue.i32(0));
      runtime = firstAgain.unloadModule();
    }
  }

  @Test
  void manyLoadUnloadCyclesKeepWorking() throws Exception {
    for (int i = 0; i < 50; i++) {
      try (LoadedWasmSandbox loaded = load(TENANT)) {
        assertThat(loaded.call("fib", WasmValue.i32(10))).containsExactly(WasmValue.i32(55));
        runtime = loaded.unloadModule();
      }
    }
    assertThat(WasmState.FAMILY.rollbackPoints(runtime)).containsExactly("loadRuntime");
  }

  // ---- calls ---------------------------------------------------------------------------------

  @Test
  void callReturnsTypedResults() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThat(loaded.call("fib", WasmValue.i32(20))).containsExactly(WasmValue.i32(6765));
      assertThat(loaded.call("nothing")).isEmpty();
    }
  }

  @Test
  void multiValueResultsComeBackInOrderWithExactFloatBits() throws Exception {
    long nanBits = 0x7ff4000000000001L; // a signalling NaN with a payload
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThat(loaded.call("swap", WasmValue.i64(-7), new WasmValue.F64(nanBits)))
          .containsExactly(new WasmValue.F64(nanBits), WasmValue.i64(-7));
    }
  }

  @Test
  void aFunctionHandleIsResolvedOnceAndCalledRepeatedly() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      WasmFunction fib = loaded.function("fib");
      assertThat(fib.type()).isEqualTo(WasmFunctionType.params(WasmType.I32).returning(WasmType.I32));
      assertThat(fib.callSingle(WasmValue.i32(10)).asI32()).isEqualTo(55);
      assertThat(fib.callSingle(WasmValue.i32(15)).asI32()).isEqualTo(610);
      assertThatThrownBy(() -> loaded.function("swap").callSingle(WasmValue.i64(1), WasmValue.f64(2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("returns 2 values");
    }
  }

  @Test
  void globalsAreReadTyped() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThat(loaded.global("answer")).isEqualTo(WasmValue.i64(42));
      assertThatThrownBy(() -> loaded.global("fib"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no global \"fib\"")
          .hasMessageContaining("[counter, answer]");
    }
  }

  // ---- bad calls -----------------------------------------------------------------------------

  @Test
  void anUnknownExportIsAnIllegalArgumentListingTheFunctions() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThatThrownBy(() -> loaded.call("fibonacci", WasmValue.i32(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no function \"fibonacci\"")
          .hasMessageContaining("fib");
      assertThatThrownBy(() -> loaded.call("memory"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no function \"memory\"");
    }
  }

  @Test
  void aWrongArgumentCountIsAnIllegalArgument() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThatThrownBy(() -> loaded.call("fib"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("export \"fib\" takes (i32) -> (i32); 1 argument(s) expected, got 0: []");
      assertThat(loaded.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void aWrongArgumentTypeIsAnIllegalArgument() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThatThrownBy(() -> loaded.call("fib", WasmValue.i64(20)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("export \"fib\" takes (i32) -> (i32); argument 0 must be i32, got i64:20");
    }
  }

  @Test
  void aNullArgumentIsANullPointer() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThatThrownBy(() -> loaded.call("fib", (WasmValue) null)).isInstanceOf(NullPointerException.class);
    }
  }

  // ---- traps ---------------------------------------------------------------------------------

  static List<Arguments> traps() {
    return List.of(
        Arguments.of("divS", List.of(WasmValue.i32(1), WasmValue.i32(0)), WasmTrapException.Kind.INTEGER_DIVIDE_BY_ZERO),
        Arguments.of("divS", List.of(WasmValue.i32(Integer.MIN_VALUE), WasmValue.i32(-1)), WasmTrapException.Kind.INTEGER_OVERFLOW),
        Arguments.of("truncF32", List.of(WasmValue.f32(Float.NaN)), WasmTrapException.Kind.INVALID_CONVERSION_TO_INTEGER),
        Arguments.of("truncF32", List.of(WasmValue.f32(3e9f)), WasmTrapException.Kind.INTEGER_OVERFLOW),
        Arguments.of("crash", List.of(), WasmTrapException.Kind.UNREACHABLE),
        Arguments.of("load", List.of(WasmValue.i32(65535)), WasmTrapException.Kind.OUT_OF_BOUNDS_MEMORY_ACCESS),
        Arguments.of("recurse", List.of(WasmValue.i32(0)), WasmTrapException.Kind.CALL_STACK_EXHAUSTED),
        Arguments.of("callIndirect", List.of(WasmValue.i32(7), WasmValue.i32(1)), WasmTrapException.Kind.UNDEFINED_ELEMENT),
        Arguments.of("callIndirect", List.of(WasmValue.i32(2), WasmValue.i32(1)), WasmTrapException.Kind.UNINITIALIZED_ELEMENT),
        Arguments.of("callIndirect", List.of(WasmValue.i32(1), WasmValue.i32(1)), WasmTrapException.Kind.INDIRECT_CALL_TYPE_MISMATCH));
  }

  @ParameterizedTest(name = "{0}{1} traps with {2}")
  @MethodSource("traps")
  void aTrapIsTypedAndLeavesTheModuleReady(String export, List<WasmValue> args, WasmTrapException.Kind kind)
      throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      WasmTrapException trap =
          catchThrowableOfType(WasmTrapException.class, () -> loaded.call(export, args.toArray(WasmValue[]::new)));
      assertThat(trap.kind()).isEqualTo(kind);
      assertThat(trap.function()).isEqualTo(export);
      assertThat(trap.leftIn()).isEqualTo(SandboxStatus.ready());
      assertThat(loaded.status()).isEqualTo(SandboxStatus.ready());
      assertThat(loaded.call("fib", WasmValue.i32(12))).containsExactly(WasmValue.i32(144));
    }
  }

  @Test
  void aTrapKeepsWhatTheModuleWroteBeforeIt() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      loaded.call("store", WasmValue.i32(8), WasmValue.i32(77));
      assertThatThrownBy(() -> loaded.call("crash")).isInstanceOf(WasmTrapException.class);
      assertThat(loaded.call("load", WasmValue.i32(8))).containsExactly(WasmValue.i32(77));
      assertThat(loaded.global("counter")).isEqualTo(WasmValue.i32(1));
    }
  }

  // ---- host functions ------------------------------------------------------------------------

  @Test
  void theModuleCallsJavaHostFunctionsWithTypedArguments() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThat(loaded.call("addViaHost", WasmValue.i32(40), WasmValue.i32(2))).containsExactly(WasmValue.i32(1042));
      loaded.call("recordViaHost", WasmValue.i64(Long.MIN_VALUE), WasmValue.f64(-0.5));
      assertThat(hostCalls).containsExactly("add[i32:40, i32:2]", "record[i64:" + Long.MIN_VALUE + ", f64:-0.5]");
    }
  }

  @Test
  void aHostFunctionsExceptionTrapsTheCallAndIsItsCause() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      hostShouldFail = true;
      WasmTrapException trap =
          catchThrowableOfType(WasmTrapException.class, () -> loaded.call("addViaHost", WasmValue.i32(1), WasmValue.i32(2)));
      assertThat(trap.kind()).isEqualTo(WasmTrapException.Kind.HOST_FUNCTION_FAILED);
      assertThat(trap.getCause()).isSameAs(hostFailure);
      assertThat(trap.engineMessage()).contains("host function env.add failed").contains("the host says no");
      hostShouldFail = false;
      assertThat(loaded.call("addViaHost", WasmValue.i32(1), WasmValue.i32(2))).containsExactly(WasmValue.i32(1003));
    }
  }

  @Test
  void aHostFunctionReturningTheWrongTypeTrapsTheCall() throws Exception {
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      hostReturnsWrongType = true;
      WasmTrapException trap =
          catchThrowableOfType(WasmTrapException.class, () -> loaded.call("addViaHost", WasmValue.i32(1), WasmValue.i32(2)));
      assertThat(trap.kind()).isEqualTo(WasmTrapException.Kind.HOST_FUNCTION_FAILED);
      assertThat(trap.getCause())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("host function env.add returns (i32, i32) -> (i32); result 0 must be i32, got i64:1");
    }
  }

  // ---- bad modules ---------------------------------------------------------------------------

  @Test
  void aMalformedModuleIsRejectedAndTheRuntimeStaysUsable() throws Exception {
    WasmModuleException e =
        catchThrowableOfType(WasmModuleException.class, () -> runtime.loadModule("not wasm".getBytes()));
    assertThat(e.reason()).isEqualTo(WasmModuleException.Reason.MALFORMED);
    assertThat(e.engineMessage()).isEqualTo("magic header not detected");
    assertThat(runtime.status()).isEqualTo(SandboxStatus.ready());
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      assertThat(loaded.call("fib", WasmValue.i32(5))).containsExactly(WasmValue.i32(5));
    }
  }

  @Test
  void anEmptyModuleIsMalformed() {
    WasmModuleException e = catchThrowableOfType(WasmModuleException.class, () -> runtime.loadModule(new byte[0]));
    assertThat(e.reason()).isEqualTo(WasmModuleException.Reason.MALFORMED);
  }

  @Test
  void anInvalidModuleIsRejectedNamingTheReason() {
    WasmModuleException e = catchThrowableOfType(WasmModuleException.class, () -> runtime.loadModule(Modules.invalid()));
    assertThat(e.reason()).isEqualTo(WasmModuleException.Reason.INVALID);
    assertThat(e.engineMessage()).contains("type mismatch");
    assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
  }

  @Test
  void anImportNoHostDeclaredIsUnlinkable() {
    WasmModuleException e =
        catchThrowableOfType(WasmModuleException.class, () -> runtime.loadModule(Modules.wat("unknown-import")));
    assertThat(e.reason()).isEqualTo(WasmModuleException.Reason.UNLINKABLE);
    assertThat(e.engineMessage()).isEqualTo("unknown import env.nope");
  }

  @Test
  void anImportOfAnotherTypeThanTheHostFunctionIsUnlinkable() {
    WasmModuleException e =
        catchThrowableOfType(WasmModuleException.class, () -> runtime.loadModule(Modules.wat("wrong-import")));
    assertThat(e.reason()).isEqualTo(WasmModuleException.Reason.UNLINKABLE);
    assertThat(e.engineMessage()).startsWith("incompatible import type for env.add");
  }

  @Test
  void aTrapInTheStartFunctionIsUninstantiableWithTheTrapAsCause() throws Exception {
    WasmModuleException e =
        catchThrowableOfType(WasmModuleException.class, () -> runtime.loadModule(Modules.wat("start-trap")));
    assertThat(e.reason()).isEqualTo(WasmModuleException.Reason.UNINSTANTIABLE);
    assertThat(e.getCause()).isInstanceOf(WasmTrapException.class);
    assertThat(((WasmTrapException) e.getCause()).kind()).isEqualTo(WasmTrapException.Kind.INTEGER_DIVIDE_BY_ZERO);
    try (LoadedWasmSandbox loaded = load(OTHER)) {
      assertThat(loaded.call("memorySize")).containsExactly(WasmValue.i32(1));
    }
  }

  @Test
  void aModuleLargerThanTheInputBufferIsAnIllegalArgument() {
    byte[] huge = new byte[(int) ProtoWasmSandbox.DEFAULT_CONFIGURATION.inputBufferSize() + 1];
    assertThatThrownBy(() -> runtime.loadModule(huge)).isInstanceOf(IllegalArgumentException.class);
    assertThat(runtime.status()).isEqualTo(SandboxStatus.ready());
  }

  @Test
  void aNullModuleIsANullPointer() {
    assertThatThrownBy(() -> runtime.loadModule(null)).isInstanceOf(NullPointerException.class);
  }

  // ---- consumed states, snapshots ------------------------------------------------------------

  @Test
  void aConsumedStateRefusesEverythingButClose() throws Exception {
    LoadedWasmSandbox loaded = load(TENANT);
    WasmFunction fib = loaded.function("fib");
    WasmSandbox again = loaded.unloadModule();
    runtime = again;
    assertThatThrownBy(() -> fib.call(WasmValue.i32(1))).isInstanceOf(SandboxConsumedException.class).hasMessageContaining("unloadModule");
    assertThatThrownBy(loaded::exports).isInstanceOf(SandboxConsumedException.class);
    assertThatThrownBy(loaded::unloadModule).isInstanceOf(SandboxConsumedException.class);
    loaded.close(); // a no-op: the sandbox belongs to `again`
    assertThat(again.status()).isEqualTo(SandboxStatus.ready());
  }

  @Test
  void aClosedStateRefusesCalls() throws Exception {
    LoadedWasmSandbox loaded = load(TENANT);
    loaded.close();
    assertThatThrownBy(() -> loaded.call("fib", WasmValue.i32(1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void restoringASnapshotReturnsTheModuleToItsMemoryAndGlobalsThen() throws Exception {
    LoadedWasmSandbox loaded = load(TENANT);
    loaded.call("store", WasmValue.i32(16), WasmValue.i32(1));
    Snapshot<LoadedWasmSandbox> snapshot = loaded.snapshot();
    loaded.call("store", WasmValue.i32(16), WasmValue.i32(2));
    loaded.call("store", WasmValue.i32(32), WasmValue.i32(3));
    try (LoadedWasmSandbox restored = WasmState.restore(loaded, snapshot)) {
      assertThat(restored.call("load", WasmValue.i32(16))).containsExactly(WasmValue.i32(1));
      assertThat(restored.call("load", WasmValue.i32(32))).containsExactly(WasmValue.i32(0));
      assertThat(restored.global("counter")).isEqualTo(WasmValue.i32(1));
      assertThatThrownBy(loaded::exports).isInstanceOf(SandboxConsumedException.class);
      runtime = restored.unloadModule(); // the load's rollback point came back with the snapshot
    }
    assertThat(WasmState.FAMILY.rollbackPoints(runtime)).containsExactly("loadRuntime");
  }

  @Test
  void aSandboxFromASnapshotOfALoadedModuleHasItsMemoryAndItsHostFunctions() throws Exception {
    Snapshot<LoadedWasmSandbox> snapshot;
    try (LoadedWasmSandbox loaded = load(TENANT)) {
      loaded.call("store", WasmValue.i32(64), WasmValue.i32(99));
      snapshot = loaded.snapshot();
      runtime = loaded.unloadModule();
    }
    try (LoadedWasmSandbox copy = WasmState.fromSnapshot(snapshot, imports())) {
      assertThat(copy.call("load", WasmValue.i32(64))).containsExactly(WasmValue.i32(99));
      assertThat(copy.call("addViaHost", WasmValue.i32(1), WasmValue.i32(1))).containsExactly(WasmValue.i32(1002));
      assertThat(WasmState.FAMILY.rollbackPoints(copy)).isEmpty();
      assertThatThrownBy(copy::unloadModule)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no rollback point");
    }
  }

  @Test
  void aSandboxFromASnapshotOfTheRuntimeLoadsAndUnloadsModules() throws Exception {
    Snapshot<WasmSandbox> snapshot = runtime.snapshot();
    try (WasmSandbox copy = WasmState.fromSnapshot(snapshot, imports());
        LoadedWasmSandbox loaded = copy.loadModule(TENANT)) {
      assertThat(loaded.call("fib", WasmValue.i32(11))).containsExactly(WasmValue.i32(89));
      try (WasmSandbox again = loaded.unloadModule()) {
        assertThat(again.status()).isEqualTo(SandboxStatus.ready());
      }
    }
  }

  @Test
  void aSandboxFromASnapshotRefusesImportsOtherThanItsEngineWasDeclared() throws Exception {
    Snapshot<WasmSandbox> snapshot = runtime.snapshot();
    assertThatThrownBy(() -> WasmState.fromSnapshot(snapshot, WasmImports.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("env.add(i32, i32) -> (i32)")
        .hasMessageContaining("but the imports are []");
  }
}
