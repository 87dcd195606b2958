package dev.molt.benchmarks.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.testkit.RequiresKvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The floor's states scenarios refuse missing, broken and mismatched inputs. No timing checks. */
@RequiresKvm
class StatesFloorKvmTest {
  @TempDir Path dir;

  @Test
  void aStatesScenarioWithoutGuestAndPlanIsAUsageError() throws Exception {
    FloorRun r = FloorRun.run("call-noop-i32", "--ops", "1").requireExit(64);
    assertThat(r.stderr()).contains("need --guest ELF and --plan FILE");
  }

  @Test
  void aPlanMadeForAnotherGuestFailsVerification() throws Exception {
    Path noopElf = dir.resolve("noop.elf");
    Path noopPlan = dir.resolve("noop.plan");
    GuestPlan.write(StatesOperation.CALL_NOOP_I32, noopElf, noopPlan);
    Path behavioursElf = dir.resolve("behaviours.elf");
    GuestPlan.write(StatesOperation.CALL_ONE_HOST_CALL, behavioursElf, dir.resolve("b.plan"));
    FloorRun r =
        FloorRun.run("call-noop-i32", "--ops", "1", "--guest", behavioursElf.toString(),
            "--plan", noopPlan.toString()).requireExit(3);
    assertThat(r.stderr()).contains("another guest?");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void aTruncatedPlanIsRejected() throws Exception {
    Path elf = dir.resolve("noop.elf");
    Path plan = dir.resolve("noop.plan");
    GuestPlan.write(StatesOperation.CALL_NOOP_I32, elf, plan);
    byte[] bytes = Files.readAllBytes(plan);
    Files.write(plan, Arrays.copyOf(bytes, bytes.length - 8));
    FloorRun r =
        FloorRun.run("call-noop-i32", "--ops", "1", "--guest", elf.toString(), "--plan",
            plan.toString()).requireExit(64);
    assertThat(r.stderr()).contains("guest plan");
  }

  @Test
  void theCallScenarioAgainstTheWrongGuestFailsVerification() throws Exception {
    Path elf = dir.resolve("noop.elf");
    Path plan = dir.resolve("noop.plan");
    GuestPlan.write(StatesOperation.CALL_NOOP_I32, elf, plan);
    FloorRun r =
        FloorRun.run("call-one-host-call", "--ops", "1", "--guest", elf.toString(), "--plan",
            plan.toString()).requireExit(3);
    assertThat(r.stderr()).contains("the guest has no function CallHostAdd");
  }

  @Test
  void dumpGuestImageNeedsItsArguments() throws Exception {
    FloorRun r = FloorRun.run("dump-guest-image", "x").requireExit(64);
    assertThat(r.stderr()).contains("dump-guest-image needs --guest ELF --plan FILE IMAGE REGISTERS");
  }
}
