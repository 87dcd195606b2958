package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.GuestException;
import dev.molt.api.SandboxStatus;
import dev.molt.testkit.RequiresKvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several sandboxes on several threads: a misbehaving guest affects only its own sandbox. */
@RequiresKvm
class ConcurrentSandboxesTest {
  private static final List<String> HOSTILE =
      List.of("NullDeref", "InvalidOpcode", "CorruptResultFrame", "TouchStackGuard", "PrivilegedInstruction");

  @Test
  void oneMisbehavingGuestDoesNotDisturbTheOthers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> wellBehaved = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int seed = t;
        wellBehaved.add(
            pool.submit(
                () -> {
                  int correct = 0;
                  try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
                    for (int i = 0; i < 300; i++) {
                      int a = seed * 1000 + i;
                      if (sandbox.call("CallHostAdd", Integer.class, a, i) == a + i
                          && sandbox.call("EchoString", String.class, "s" + a).equals("s" + a)) {
                        correct++;
                      }
                    }
                    assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
                  }
                  return correct;
                }));
      }
      Future<List<String>> hostile =
          pool.submit(
              () -> {
                List<String> failures = new ArrayList<>();
                for (int round = 0; round < 6; round++) {
                  for (String function : HOSTILE) {
                    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
                      sandbox.call(function, Object.class);
                      failures.add(function + " returned");
                    } catch (GuestException e) {
                      if (!(e.leftIn() instanceof SandboxStatus.Poisoned)) {
                        failures.add(function + " left " + e.leftIn());
                      }
                    }
                  }
                }
                return failures;
              });
      for (Future<Integer> f : wellBehaved) {
        assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(300);
      }
      assertThat(hostile.get(120, TimeUnit.SECONDS)).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
