package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.GuestFaultException;
import dev.molt.api.HostFunctionMismatchException;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.testkit.RequiresKvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A pool of sandboxes created from one snapshot, restored between users. */
@RequiresKvm
class SandboxPoolTest {
  private static final long DATA = 0x300000;
  private static Snapshot<MultiUseSandbox> snapshot;

  @BeforeAll
  static void snapshot() throws Exception {
    try (MultiUseSandbox original = Behaviours.ready(Behaviours.SMALL)) {
      snapshot = original.snapshot();
    }
  }

  @Test
  void theNextUserSeesNothingThePreviousOneLeft() throws Exception {
    try (SandboxPool pool = SandboxPool.create(snapshot, Behaviours.hostFunctions(), 1)) {
      try (PooledSandbox lease = pool.acquire()) {
        assertThat(lease.sandbox().call("Counter", Long.class)).isEqualTo(1L);
        lease.sandbox().memory().writeLong(DATA, 0xDEADL);
      }
      try (PooledSandbox lease = pool.acquire()) {
        assertThat(lease.sandbox().call("Counter", Long.class)).isEqualTo(1L);
        assertThat(lease.sandbox().memory().readLong(DATA)).isZero();
      }
      assertThat(pool.size()).isEqualTo(1);
      assertThat(pool.idleCount()).isEqualTo(1);
    }
  }

  @Test
  void aPoisonedSandboxIsRestoredBeforeItsNextUse() throws Exception {
    try (SandboxPool pool = SandboxPool.create(snapshot, Behaviours.hostFunctions(), 1)) {
      MultiUseSandbox first;
      try (PooledSandbox lease = pool.acquire()) {
        first = lease.sandbox();
        assertThatThrownBy(() -> lease.sandbox().call("NullDeref", Long.class)).isInstanceOf(GuestFaultException.class);
      }
      try (PooledSandbox lease = pool.acquire()) {
        assertThat(lease.sandbox()).isSameAs(first);
        assertThat(lease.sandbox().status()).isEqualTo(SandboxStatus.ready());
        assertThat(lease.sandbox().call("Add", Integer.class, 1, 2)).isEqualTo(3);
      }
    }
  }

  @Test
  void aSandboxItsUserClosedIsReplaced() throws Exception {
    try (SandboxPool pool = SandboxPool.create(snapshot, Behaviours.hostFunctions(), 1)) {
      MultiUseSandbox first;
      try (PooledSandbox lease = pool.acquire()) {
        first = lease.sandbox();
        first.close();
      }
      assertThat(pool.size()).isZero();
      try (PooledSandbox lease = pool.acquire()) {
        assertThat(lease.sandbox()).isNotSameAs(first);
        assertThat(lease.sandbox().call("Counter", Long.class)).isEqualTo(1L);
      }
    }
  }

  @Test
  void thePoolIsBoundedAndATimedAcquireTimesOut() throws Exception {
    try (SandboxPool pool = SandboxPool.create(snapshot, Behaviours.hostFunctions(), 2);
        PooledSandbox a = pool.acquire()) {
      PooledSandbox b = pool.acquire();
      assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(50)))
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("2 in use");
      assertThat(pool.size()).isEqualTo(2);
      MultiUseSandbox second = b.sandbox();
      b.close();
      try (PooledSandbox c = pool.acquire(Duration.ofSeconds(5))) {
        assertThat(c.sandbox()).isSameAs(second);
      }
      assertThat(a.sandbox().status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void manyThreadsShareAFewSandboxesWithoutSeeingEachOther() throws Exception {
    int threads = 8;
    int rounds = 10;
    try (SandboxPool pool = SandboxPool.create(snapshot, Behaviours.hostFunctions(), 3)) {
      ExecutorService executor = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger clean = new AtomicInteger();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long mark = t + 1;
        done.add(executor.submit(() -> {
          start.await();
          for (int r = 0; r < rounds; r++) {
            try (PooledSandbox lease = pool.acquire()) {
              MultiUseSandbox s = lease.sandbox();
              if (s.call("Counter", Long.class) == 1L && s.memory().readLong(DATA) == 0) {
                clean.incrementAndGet();
              }
              s.memory().writeLong(DATA, mark);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      executor.shutdown();
      assertThat(clean.get()).isEqualTo(threads * rounds);
      assertThat(pool.size()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void closingThePoolClosesLeasedSandboxesAndRefusesAcquires() throws Exception {
    SandboxPool pool = SandboxPool.create(snapshot, Behaviours.hostFunctions(), 2);
    PooledSandbox lease = pool.acquire();
    MultiUseSandbox leased = lease.sandbox();
    pool.close();
    assertThatThrownBy(leased::status).isInstanceOf(IllegalStateException.class).hasMessage("MultiUseSandbox is closed");
    lease.close(); // giving it back after the close is harmless
    assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(lease::sandbox).isInstanceOf(IllegalStateException.class);
    pool.close();
  }

  @Test
  void aWaitingAcquireIsWokenByCloseWithAnError() throws Exception {
    SandboxPool pool = SandboxPool.create(snapshot, Behaviours.hostFunctions(), 1);
    PooledSandbox held = pool.acquire();
    var waiter = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (PooledSandbox unexpected = pool.acquire()) {
        return (Throwable) new AssertionError("acquired " + unexpected);
      } catch (Throwable t) {
        return t;
      }
    });
    while (!pool.toString().contains("1/1")) {
      Thread.onSpinWait();
    }
    Thread.sleep(50); // let the waiter block in acquire()
    pool.close();
    assertThat(waiter.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    held.close();
  }

  @Test
  void badArgumentsAndMissingHostFunctionsAreReported() throws Exception {
    assertThatThrownBy(() -> SandboxPool.create(snapshot, Behaviours.hostFunctions(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSize must be at least 1, was 0");
    try (SandboxPool pool = SandboxPool.create(snapshot, HostFunctions.empty(), 1)) {
      assertThatThrownBy(pool::acquire).isInstanceOf(HostFunctionMismatchException.class);
      // The failed creation gave its permit back.
      assertThatThrownBy(pool::acquire).isInstanceOf(HostFunctionMismatchException.class);
    }
  }
}
