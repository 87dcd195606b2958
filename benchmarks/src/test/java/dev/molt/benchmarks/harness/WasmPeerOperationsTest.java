package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.benchmarks.jmh.WasmPeerBenchmark;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WasmPeerOperationsTest {

  @Test
  void theSevenRowsPutMoltAgainstChicoryWithoutAFloor() {
    List<Operation> rows = WasmPeerOperations.all();
    assertThat(rows)
        .extracting(Operation::name)
        .containsExactly(
            "wasm-load-module", "wasm-fresh-sandbox", "wasm-fresh-from-image", "wasm-tiny-call",
            "wasm-fib20", "wasm-checksum", "wasm-float-kernel");
    String prefix = WasmPeerBenchmark.class.getName() + ".";
    for (Operation op : rows) {
      assertThat(op.group()).isEqualTo("peer");
      assertThat(op.floorScenario()).isNull();
      assertThat(op.jmhBenchmark()).startsWith(prefix + "molt");
      assertThat(op.referenceBenchmark())
          .isEqualTo(String.valueOf(op.jmhBenchmark()).replace(prefix + "molt", prefix + "chicory"));
    }
  }

  @Test
  void bothSidesOfEveryRowNameABenchmarkMethod() {
    List<String> methods =
        Arrays.stream(WasmPeerBenchmark.class.getMethods()).map(m -> m.getName()).toList();
    for (Operation op : WasmPeerOperations.all()) {
      for (String benchmark : List.of(String.valueOf(op.jmhBenchmark()), String.valueOf(op.referenceBenchmark()))) {
        assertThat(methods).as(benchmark).contains(benchmark.substring(benchmark.lastIndexOf('.') + 1));
      }
    }
  }

  @Test
  void theCatalogueContainsTheWasmRows() {
    assertThat(Operation.all()).containsAll(WasmPeerOperations.all());
  }
}
