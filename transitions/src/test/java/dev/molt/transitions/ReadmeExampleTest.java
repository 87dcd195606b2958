package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.HostFunctions;
import dev.molt.api.Transition;
import dev.molt.api.TransitionFailedException;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoLoaded;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.DemoUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the README's example (the same source CompileTimeTest compiles with the checker on). */
class ReadmeExampleTest {

  @Test
  void aTenantRoundLoadsCallsUnloadsAndRestores() throws Exception {
    assertThat(DemoUsage.tenantRound("tenant-a"))
        .containsExactly("tenant-a.main()", "demo-runtime 1.0: status", "demo-runtime 1.0: fresh");
  }

  @Test
  void atomicBootReturnsTheModulesAnswer() throws Exception {
    assertThat(DemoUsage.bootAtomically("app")).isEqualTo("app.main()");
  }

  @Test
  void atomicBootNamesTheFailedStep() {
    assertThatThrownBy(() -> DemoUsage.bootAtomically(" "))
        .isInstanceOfSatisfying(
            TransitionFailedException.class,
            e -> {
              assertThat(e.step()).isEqualTo(2);
              assertThat(e.stepName()).isEqualTo("loadModule");
            });
  }

  @Test
  void composingWithAndThen() throws Exception {
    // @start region=andThen
    Transition<DemoProto, DemoLoaded> boot = Demo.LOAD_RUNTIME.andThen(Demo.loadModule("app"));
    // @end region=andThen
    try (DemoProto proto = DemoProto.create(HostFunctions.defaults());
        DemoLoaded loaded = boot.apply(proto)) {
      assertThat(loaded.module()).isEqualTo("app");
    }
  }

  @Test
  void theGraphOfTheExampleFamily() {
    // @start region=graph
    StateGraph graph =
        StateGraph.of(Demo.FAMILY, List.of(Demo.LOAD_RUNTIME, Demo.loadModule("m"), Demo.UNLOAD_MODULE));
    boolean canLoad = graph.canReach(DemoProto.class, DemoLoaded.class); // true
    String mermaid = graph.toMermaid();
    // @end region=graph
    assertThat(canLoad).isTrue();
    assertThat(mermaid).startsWith("stateDiagram-v2\n");
  }
}
