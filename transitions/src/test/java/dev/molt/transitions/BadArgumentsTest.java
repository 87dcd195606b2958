package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Caller mistakes in the transition algebra and the family SPI. */
class BadArgumentsTest {

  @Test
  void chainsNeedAFamilyANameAndSteps() {
    assertThatThrownBy(() -> Chain.of(null, "c", Demo.LOAD_RUNTIME)).isInstanceOf(NullPointerException.class).hasMessage("family");
    assertThatThrownBy(() -> Chain.of(Demo.FAMILY, null, Demo.LOAD_RUNTIME)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> Chain.of(Demo.FAMILY, "c", null)).isInstanceOf(NullPointerException.class).hasMessage("first");
    assertThatThrownBy(() -> Chain.of(Demo.FAMILY, "c", Demo.LOAD_RUNTIME).then(null))
        .isInstanceOf(NullPointerException.class).hasMessage("next");
  }

  @Test
  void graphsNeedAFamilyAndTransitions() {
    assertThatThrownBy(() -> StateGraph.of(Demo.FAMILY, null)).isInstanceOf(NullPointerException.class).hasMessage("transitions");
    assertThatThrownBy(() -> StateGraph.ofDescriptors(Demo.class, List.of(String.class), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("entry state java.lang.String, which is not a state of the sealed family");
  }

  @Test
  void familyOperationsRejectNull() throws Exception {
    assertThatThrownBy(() -> Demo.FAMILY.snapshot(null)).isInstanceOf(NullPointerException.class).hasMessage("state");
    try (DemoProto proto = Fixtures.create().proto()) {
      assertThatThrownBy(() -> Demo.FAMILY.restore(proto, null)).isInstanceOf(NullPointerException.class).hasMessage("snapshot");
      assertThatThrownBy(() -> Demo.FAMILY.mark(proto, null)).isInstanceOf(NullPointerException.class).hasMessage("by");
    }
    assertThatThrownBy(() -> Demo.FAMILY.devolve("d", null)).isInstanceOf(NullPointerException.class).hasMessage("matching");
    assertThatThrownBy(() -> Demo.FAMILY.evolve("e", DemoProto.class, DemoProto.class, null))
        .isInstanceOf(NullPointerException.class).hasMessage("work");
  }
}
