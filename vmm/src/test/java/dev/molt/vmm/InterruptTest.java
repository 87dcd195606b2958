package dev.molt.vmm;

import static dev.molt.vmm.testing.ReferenceLayout.DONE_PORT;
import static dev.molt.vmm.testing.ReferenceLayout.USER_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.testing.Programs;
import dev.molt.vmm.testing.RingThreeGuest;
import dev.molt.vmm.testing.X86;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** Killing a spinning guest from another thread, including kills that race with entry. */
@RequiresKvm
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class InterruptTest {
  private static final long COMPUTE = USER_CODE;
  private static final long SPIN = USER_CODE + 0x1000;
  private static final long N = 1000;

  private Kvm kvm;
  private RingThreeGuest guest;
  private ExecutorService killer;

  @BeforeEach
  void boot() {
    kvm = Kvm.open();
    guest = RingThreeGuest.boot(kvm);
    guest.load(COMPUTE, Programs.sumTo(N));
    guest.load(SPIN, new X86().spin().assemble());
    killer = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void close() throws InterruptedException {
    killer.shutdownNow();
    assertThat(killer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    guest.close();
    kvm.close();
  }

  private void assertSameVmStillComputes() {
    assertThat(guest.call(COMPUTE))
        .isEqualTo(new VcpuExit.IoOut(DONE_PORT, 1, Programs.expectedSum(N) & 0xFF));
    assertThat(guest.vcpu().registers().rax()).isEqualTo(Programs.expectedSum(N));
  }

  @Test
  void spinningGuestIsKilledFromAnotherThread() throws Exception {
    InterruptHandle handle = guest.vcpu().interruptHandle();
    guest.enter(SPIN);
    Future<?> kill =
        killer.submit(
            () -> {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
              handle.kill();
            });
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.Interrupted());
    kill.get(10, TimeUnit.SECONDS);
    assertThat(guest.vcpu().registers().rip()).isEqualTo(SPIN);
    assertSameVmStillComputes();
  }

  @Test
  void killBeforeRunStopsTheNextRunOnly() {
    guest.enter(SPIN);
    guest.vcpu().interruptHandle().kill();
    guest.vcpu().interruptHandle().kill(); // several kills before the vCPU notices count as one
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.Interrupted());
    assertSameVmStillComputes();
  }

  @Test
  void killsRacingWithEntryAlwaysStopTheRun() throws Exception {
    InterruptHandle handle = guest.vcpu().interruptHandle();
    for (int i = 0; i < 300; i++) {
      guest.enter(SPIN);
      CountDownLatch entering = new CountDownLatch(1);
      long delayNanos = ThreadLocalRandom.current().nextLong(0, 200_000);
      Future<?> kill =
          killer.submit(
              () -> {
                entering.await();
                long until = System.nanoTime() + delayNanos;
                while (System.nanoTime() < until) {
                  Thread.onSpinWait();
                }
                handle.kill();
                return null;
              });
      entering.countDown();
      assertThat(guest.vcpu().run()).as("run %d", i).isEqualTo(new VcpuExit.Interrupted());
      kill.get(10, TimeUnit.SECONDS);
    }
    assertSameVmStillComputes();
  }

  @Test
  void killsAfterTheGuestIsInsideKvmRunAlwaysStopIt() throws Exception {
    InterruptHandle handle = guest.vcpu().interruptHandle();
    for (int i = 0; i < 100; i++) {
      guest.enter(SPIN);
      Future<?> kill =
          killer.submit(
              () -> {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000, 2_000_000));
                handle.kill();
              });
      assertThat(guest.vcpu().run()).as("run %d", i).isEqualTo(new VcpuExit.Interrupted());
      kill.get(10, TimeUnit.SECONDS);
    }
    assertSameVmStillComputes();
  }

  @Test
  void killThatArrivesAfterANormalExitStopsTheFollowingRun() {
    guest.load(SPIN + 0x100, new X86().outAl(DONE_PORT).assemble());
    assertThat(guest.call(SPIN + 0x100)).isInstanceOf(VcpuExit.IoOut.class);
    guest.vcpu().interruptHandle().kill();
    guest.enter(COMPUTE);
    assertThat(guest.vcpu().run()).isEqualTo(new VcpuExit.Interrupted());
  }

  @Test
  void killAfterCloseIsANoOp() {
    InterruptHandle handle = guest.vcpu().interruptHandle();
    guest.vcpu().close();
    handle.kill();
    assertThat(guest.vcpu().isClosed()).isTrue();
  }

  @Test
  void closingFromAnotherThreadStopsARunningVcpu() throws Exception {
    Vcpu vcpu = guest.vcpu();
    guest.enter(SPIN);
    CompletableFuture<VcpuExit> running = new CompletableFuture<>();
    Thread runner =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    running.complete(vcpu.run());
                  } catch (Throwable t) {
                    running.completeExceptionally(t);
                  }
                });
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    vcpu.close();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(new VcpuExit.Interrupted());
    runner.join();
    assertThatThrownBy(vcpu::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vCPU 0 is closed");
  }

  @Test
  void useFromASecondThreadWhileRunningIsRejected() throws Exception {
    Vcpu vcpu = guest.vcpu();
    guest.enter(SPIN);
    Future<Throwable> probe =
        killer.submit(
            () -> {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
              Throwable thrown = null;
              try {
                vcpu.registers();
              } catch (IllegalStateException e) {
                thrown = e;
              }
              vcpu.interruptHandle().kill();
              return thrown;
            });
    assertThat(vcpu.run()).isEqualTo(new VcpuExit.Interrupted());
    assertThat(probe.get(10, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vCPU 0 is in use by another thread");
  }

  @Test
  void runOnAVirtualThreadIsRejected() throws Exception {
    guest.enter(COMPUTE);
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                guest.vcpu().run();
                thrown.complete(null);
              } catch (Throwable t) {
                thrown.complete(t);
              }
            })
        .join();
    assertThat(thrown.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("run a vCPU on a platform thread");
    assertSameVmStillComputes();
  }

  @Test
  void vcpuUseAfterCloseThrowsAndCloseIsIdempotent() {
    Vcpu vcpu = guest.vcpu();
    vcpu.close();
    vcpu.close();
    assertThatThrownBy(vcpu::registers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vCPU 0 is closed");
  }

  @Test
  void closingTheVmClosesItsVcpus() {
    Vcpu vcpu = guest.vcpu();
    guest.vm().close();
    assertThat(vcpu.isClosed()).isTrue();
    assertThatThrownBy(() -> guest.vm().createVcpu(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("VirtualMachine is closed");
  }
}
