package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.TransitionKind;
import dev.molt.transitions.StateGraph;
import org.junit.jupiter.api.Test;

/** The family's shape, without KVM. */
class WasmStateGraphTest {

  @Test
  void theFamilyHasThreeStatesAndTheProtoIsItsOnlyEntry() {
    assertThat(WasmState.FAMILY.states())
        .containsExactly(ProtoWasmSandbox.class, WasmSandbox.class, LoadedWasmSandbox.class);
    assertThat(WasmState.FAMILY.entryStates()).containsExactly(ProtoWasmSandbox.class);
  }

  @Test
  void loadRuntimeAndLoadModuleAreEvolvesAndUnloadIsTheDevolveOfLoadModule() {
    assertThat(WasmState.LOAD_RUNTIME.kind()).isEqualTo(TransitionKind.EVOLVE);
    assertThat(WasmState.loadModule(new byte[] {1}).kind()).isEqualTo(TransitionKind.EVOLVE);
    assertThat(WasmState.UNLOAD_MODULE.kind()).isEqualTo(TransitionKind.DEVOLVE);
    assertThat(WasmState.UNLOAD_MODULE.reverses().descriptor())
        .isEqualTo(WasmState.loadModule(new byte[] {2}).descriptor());
  }

  @Test
  void theGraphConnectsEveryStateAndHasNoDeadEnd() {
    StateGraph graph = WasmState.graph();
    assertThat(graph.unreachableFromEntries()).isEmpty();
    assertThat(graph.deadEnds()).isEmpty();
    assertThat(graph.canReach(LoadedWasmSandbox.class, WasmSandbox.class)).isTrue();
    assertThat(graph.canReach(WasmSandbox.class, ProtoWasmSandbox.class)).isFalse();
  }

  @Test
  void theGraphRendersAsMermaidWithTheThreeTransitions() {
    String mermaid = WasmState.graph().toMermaid();
    assertThat(mermaid)
        .startsWith("stateDiagram-v2")
        .contains("ProtoWasmSandbox --> WasmSandbox")
        .contains("WasmSandbox --> LoadedWasmSandbox")
        .contains("LoadedWasmSandbox --> WasmSandbox")
        .contains("loadRuntime")
        .contains("loadModule")
        .contains("unloadModule");
  }

  @Test
  void aNullModuleIsRejectedWhenTheEvolveIsDeclared() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WasmState.loadModule(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("module");
  }
}
