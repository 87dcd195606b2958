package dev.molt.states;

import java.util.concurrent.atomic.AtomicBoolean;
import org.checkerframework.checker.mustcall.qual.NotOwning;

/**
 * One use of a sandbox from a {@link SandboxPool}: {@link #sandbox()} for calls, {@link #close()}
 * to give it back (it is restored to the pool's snapshot before anyone else gets it). The sandbox
 * belongs to the pool: do not keep it after closing the lease.
 */
public final class PooledSandbox implements AutoCloseable {
  private final SandboxPool pool;
  private final SandboxPool.Slot slot;
  private final AtomicBoolean released = new AtomicBoolean();

  PooledSandbox(SandboxPool pool, SandboxPool.Slot slot) {
    this.pool = pool;
    this.slot = slot;
  }

  /**
   * The leased sandbox, Ready and equal to the pool's snapshot when the lease began.
   *
   * @return the sandbox (owned by the pool)
   * @throws IllegalStateException if the lease was closed
   */
  public @NotOwning MultiUseSandbox sandbox() {
    if (released.get()) {
      throw new IllegalStateException("this lease was closed: acquire another sandbox from the pool");
    }
    return slot.sandbox;
  }

  /** Gives the sandbox back to the pool (restoring it first). Idempotent. */
  @Override
  public void close() {
    if (released.compareAndSet(false, true)) {
      pool.release(slot);
    }
  }

  @Override
  public String toString() {
    return "PooledSandbox[" + (released.get() ? "closed" : slot.sandbox.toString()) + "]";
  }
}
