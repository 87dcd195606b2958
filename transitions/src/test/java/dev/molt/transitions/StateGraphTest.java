package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.Sandbox;
import dev.molt.api.SandboxStatus;
import dev.molt.api.TransitionDescriptor;
import dev.molt.api.TransitionKind;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoLoaded;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.DemoRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The legal-move graph: discovered from the sealed family plus the declared transitions. */
class StateGraphTest {

  private static final StateGraph DEMO =
      StateGraph.of(Demo.FAMILY, List.of(Demo.LOAD_RUNTIME, Demo.loadModule("m"), Demo.UNLOAD_MODULE));

  /** A family with a dead end and an unreachable state, nested through a sealed sub-interface. */
  sealed interface Shop extends Sandbox permits Open, Closed, Sub {}

  sealed interface Sub extends Shop permits Archived, Lost {}

  record Open() implements Shop {
    @Override public SandboxStatus status() { return SandboxStatus.ready(); }
    @Override public void close() {}
  }

  record Closed() implements Shop {
    @Override public SandboxStatus status() { return SandboxStatus.ready(); }
    @Override public void close() {}
  }

  record Archived() implements Sub {
    @Override public SandboxStatus status() { return SandboxStatus.ready(); }
    @Override public void close() {}
  }

  record Lost() implements Sub {
    @Override public SandboxStatus status() { return SandboxStatus.ready(); }
    @Override public void close() {}
  }

  private static final StateGraph SHOP =
      StateGraph.ofDescriptors(
          Shop.class,
          List.of(Open.class),
          List.of(
              new TransitionDescriptor("close", TransitionKind.MOVE, Open.class, Closed.class),
              new TransitionDescriptor("reopen", TransitionKind.MOVE, Closed.class, Open.class),
              new TransitionDescriptor("archive", TransitionKind.EVOLVE, Closed.class, Archived.class)));

  @Test
  void statesAreDiscoveredFromTheSealedHierarchyInDeclarationOrder() {
    assertThat(DEMO.states()).containsExactly(DemoProto.class, DemoRuntime.class, DemoLoaded.class);
    assertThat(SHOP.states()).containsExactly(Open.class, Closed.class, Archived.class, Lost.class);
    assertThat(DEMO.entries()).containsExactly(DemoProto.class);
  }

  @Test
  void reachabilityFollowsTheDeclaredMoves() {
    assertThat(DEMO.canReach(DemoProto.class, DemoLoaded.class)).isTrue();
    assertThat(DEMO.canReach(DemoLoaded.class, DemoProto.class)).isFalse();
    assertThat(DEMO.canReach(DemoLoaded.class, DemoLoaded.class)).isTrue();
    assertThat(DEMO.reachableFrom(DemoRuntime.class)).containsExactly(DemoRuntime.class, DemoLoaded.class);
  }

  @Test
  void shortestPathListsTheMoves() {
    assertThat(DEMO.shortestPath(DemoProto.class, DemoLoaded.class).orElseThrow())
        .extracting(TransitionDescriptor::name)
        .containsExactly("loadRuntime", "loadModule");
    assertThat(DEMO.shortestPath(DemoProto.class, DemoProto.class)).hasValue(List.of());
    assertThat(DEMO.shortestPath(DemoLoaded.class, DemoProto.class)).isEmpty();
  }

  @Test
  void deadEndsAndUnreachableStatesAreFound() {
    assertThat(DEMO.deadEnds()).isEmpty();
    assertThat(SHOP.deadEnds()).containsExactly(Archived.class, Lost.class);
    assertThat(SHOP.unreachableFromEntries()).containsExactly(Lost.class);
    assertThat(DEMO.unreachableFromEntries()).isEmpty();
  }

  @Test
  void movesFromAState() {
    assertThat(SHOP.movesFrom(Closed.class)).extracting(TransitionDescriptor::name)
        .containsExactly("reopen", "archive");
  }

  @Test
  void theDemoFamilyRendersAsMermaid() {
    assertThat(DEMO.toMermaid())
        .isEqualTo(
            """
            stateDiagram-v2
                [*] --> DemoProto
                DemoProto --> DemoRuntime : loadRuntime (evolve)
                DemoRuntime --> DemoLoaded : loadModule (evolve)
                DemoLoaded --> DemoRuntime : unloadModule (devolve)
            """);
  }

  @Test
  void deadEndsRenderAsFinalStates() {
    assertThat(SHOP.toMermaid())
        .isEqualTo(
            """
            stateDiagram-v2
                [*] --> Open
                Open --> Closed : close (move)
                Closed --> Open : reopen (move)
                Closed --> Archived : archive (evolve)
                Archived --> [*]
                Lost --> [*]
            """);
  }

  @Test
  void aFamilyThatIsNotSealedIsRejected() {
    assertThatThrownBy(() -> StateGraph.of(Sandbox.class, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "dev.molt.api.Sandbox is not a sealed interface: a state family must be sealed so its"
                + " states are a closed set");
  }

  @Test
  void aTransitionLeavingTheFamilyIsRejected() {
    assertThatThrownBy(
            () -> StateGraph.ofDescriptors(
                Shop.class,
                List.of(),
                List.of(new TransitionDescriptor("escape", TransitionKind.MOVE, Open.class, DemoProto.class))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("transition escape (MOVE: Open -> DemoProto) ends at "
            + DemoProto.class.getName() + ", which is not a state of the sealed family");
  }

  @Test
  void aTransitionDeclaredTwiceIsRejected() {
    TransitionDescriptor d = new TransitionDescriptor("close", TransitionKind.MOVE, Open.class, Closed.class);
    assertThatThrownBy(() -> StateGraph.ofDescriptors(Shop.class, List.of(), List.of(d, d)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transition close (MOVE: Open -> Closed) is declared twice");
  }

  @Test
  void questionsAboutForeignClassesAreRejected() {
    assertThatThrownBy(() -> DEMO.canReach(DemoProto.class, Open.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("which is not a state of the sealed family");
  }
}
