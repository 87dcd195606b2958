package dev.molt.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.Test;

/** The Java loop runs kill-to-eintr on KVM and prints a line the harness reads like the floor's. */
@RequiresKvm
class JavaLoopKvmTest {

  @Test
  void killToEintrPrintsAFloorStyleLineTheHarnessAccepts() {
    String line = JavaLoop.killToEintr(5, 1, 10);
    FloorOutput out = FloorOutput.parse(line, "kill-to-eintr");
    assertThat(out.summary().samples()).isEqualTo(5);
    assertThat(out.unit()).isEqualTo("ns");
    assertThat(out.check()).isEqualTo("run() returned Interrupted after the kick");
  }
}
