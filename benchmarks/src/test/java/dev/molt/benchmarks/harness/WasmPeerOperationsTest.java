package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.benchmarks.jmh.WasmPeerBenchmark;
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
  void theCatalogueContainsTheWasmRows() {
    assertThat(Operation.all()).containsAll(WasmPeerOperations.all());
  }
}
