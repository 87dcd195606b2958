package dev.molt.benchmarks.driver;

import dev.molt.benchmarks.scenario.KickableVcpu;
import dev.molt.vmm.InterruptHandle;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.Vcpu;
import dev.molt.vmm.VcpuExit;
import dev.molt.vmm.VirtualMachine;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A vCPU spinning in ring 3 ({@code jmp .}) on its own platform thread, kicked by {@link
 * InterruptHandle#kill()} from the caller's thread. Timestamps are taken as the floor takes them:
 * before the kick in the kicking thread, and in the vCPU thread right after {@link Vcpu#run()}
 * returned (vmm's run has then drained the kick signal and cleared {@code immediate_exit}).
 */
final class VmmKickableVcpu implements KickableVcpu {
  private final VirtualMachine vm;
  private final Vcpu vcpu;
  private final InterruptHandle handle;
  private @Nullable Thread thread; // set once by start()
  private final Semaphore armed = new Semaphore(0);
  private final Semaphore returned = new Semaphore(0);
  private volatile boolean closing;
  // Written by the vCPU thread before returned.release(), read after returned.acquire().
  private long returnedAt;
  private @Nullable VcpuExit exit;
  private @Nullable RuntimeException failure;

  private VmmKickableVcpu(VirtualMachine vm, Vcpu vcpu) {
    this.vm = vm;
    this.vcpu = vcpu;
    this.handle = vcpu.interruptHandle();
  }

  private void start() {
    Thread t = Thread.ofPlatform().name("molt-bench-vcpu").daemon().unstarted(this::loop);
    thread = t;
    t.start();
  }

  static VmmKickableVcpu open(Kvm kvm) {
    VirtualMachine vm = kvm.createVirtualMachine(1);
    try {
      ReferenceGuest.addMemoryWithImage(vm);
      Vcpu vcpu = vm.createVcpu(0);
      ReferenceGuest.enter(vcpu, ReferenceGuest.ENTRY_SPIN);
      VmmKickableVcpu kickable = new VmmKickableVcpu(vm, vcpu);
      kickable.start();
      return kickable;
    } catch (RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  /** The vCPU thread: one run per arm, until closed. */
  private void loop() {
    while (true) {
      armed.acquireUninterruptibly();
      if (closing) {
        return;
      }
      try {
        VcpuExit e = vcpu.run();
        returnedAt = System.nanoTime();
        exit = e;
      } catch (RuntimeException e) {
        returnedAt = System.nanoTime();
        failure = e;
      }
      returned.release();
    }
  }

  @Override
  public void arm(long settleNanos) {
    armed.release();
    LockSupport.parkNanos(settleNanos);
  }

  @Override
  public long kickAndMeasure() {
    long kickedAt = System.nanoTime();
    handle.kill();
    try {
      if (!returned.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("kill-to-eintr: the vCPU did not return within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("kill-to-eintr: interrupted while waiting for the vCPU", e);
    }
    RuntimeException f = failure;
    if (f != null) {
      throw new IllegalStateException("kill-to-eintr: the vCPU's run failed", f);
    }
    VcpuExit e = exit;
    if (!(e instanceof VcpuExit.Interrupted)) {
      throw new IllegalStateException("kill-to-eintr: expected Interrupted, got " + e);
    }
    exit = null;
    return returnedAt - kickedAt;
  }

  @Override
  public void close() {
    closing = true;
    handle.kill(); // stops a run in progress (or the next one) so the thread can see `closing`
    armed.release();
    try {
      Thread t = thread;
      if (t != null) {
        t.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      vm.close(); // stops a run still in progress
    }
  }
}
