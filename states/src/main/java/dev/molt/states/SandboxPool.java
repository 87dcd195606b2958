package dev.molt.states;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.states.spi.GuestSubstrate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready sandboxes handed out one user at a time, all created from one snapshot: what a server
 * running one sandbox per request uses. {@link #acquire()} returns a {@link PooledSandbox}; its
 * {@link PooledSandbox#close()} restores the sandbox to the snapshot before anyone else can
 * acquire it, so nothing one user left in guest memory, registers or the function table reaches
 * the next. A Poisoned sandbox is restored like any other; one whose restore fails (or that its
 * user closed) is closed and replaced by a new one on a later acquire.
 *
 * <p>Bounded: at most {@code maxSize} sandboxes exist, created lazily from the snapshot (sharing
 * its memory image copy-on-write). Fair: threads waiting in {@link #acquire()} are served in
 * arrival order. Closing the pool closes every sandbox, also those in use (their users' calls then
 * fail), and wakes waiting threads with an {@link IllegalStateException}.
 *
 * {@snippet :
 * try (SandboxPool pool = SandboxPool.create(snapshot, hostFunctions, 8);
 *     PooledSandbox lease = pool.acquire()) {
 *   int sum = lease.sandbox().call("Add", Integer.class, 40, 2);
 * }
 * }
 */
public final class SandboxPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxPool.class);

  private final Snapshot<MultiUseSandbox> snapshot;
  private final HostFunctions hostFunctions;
  private final SandboxConfiguration configuration;
  private final int maxSize;
  private final Semaphore permits;
  private final Object lock = new Object();
  /** Restored sandboxes, most recently released first (its pages are the warmest). */
  private final Deque<Slot> idle = new ArrayDeque<>();
  /** Every sandbox the pool owns, idle or leased. */
  private final Set<Slot> owned = new LinkedHashSet<>();

  /**
   * One sandbox the pool owns. A holder, because the Resource Leak Checker does not track
   * resources inside collections: the pool closes each slot's sandbox in {@link #release} or
   * {@link #close()}.
   */
  static final class Slot {
    final MultiUseSandbox sandbox;

    Slot(@NotOwning MultiUseSandbox sandbox) {
      this.sandbox = sandbox;
    }
  }
  private volatile boolean closed;

  private SandboxPool(
      Snapshot<MultiUseSandbox> snapshot,
      HostFunctions hostFunctions,
      SandboxConfiguration configuration,
      int maxSize) {
    this.snapshot = snapshot;
    this.hostFunctions = hostFunctions;
    this.configuration = configuration;
    this.maxSize = maxSize;
    this.permits = new Semaphore(maxSize, true);
  }

  /**
   * A pool of up to {@code maxSize} sandboxes created from {@code snapshot} with its configuration.
   * Nothing is created yet; the host functions are checked against the snapshot on the first
   * acquire.
   *
   * @param snapshot the state every user starts from
   * @param hostFunctions a superset of the host functions the snapshot recorded
   * @param maxSize the most sandboxes at once, at least 1
   * @return the pool
   * @throws IllegalArgumentException if {@code maxSize} is not positive or the snapshot is not a
   *     KVM sandbox's
   */
  public static SandboxPool create(
      Snapshot<MultiUseSandbox> snapshot, HostFunctions hostFunctions, int maxSize) {
    return create(snapshot, hostFunctions, GuestSubstrate.configurationOf(snapshot), maxSize);
  }

  /**
   * Like {@link #create(Snapshot, HostFunctions, int)} with a configuration whose layout fields
   * equal the snapshot's (its call time limit applies to every sandbox).
   *
   * @param snapshot the state every user starts from
   * @param hostFunctions a superset of the host functions the snapshot recorded
   * @param configuration the configuration
   * @param maxSize the most sandboxes at once, at least 1
   * @return the pool
   * @throws IllegalArgumentException if {@code maxSize} is not positive
   */
  public static SandboxPool create(
      Snapshot<MultiUseSandbox> snapshot,
      HostFunctions hostFunctions,
      SandboxConfiguration configuration,
      int maxSize) {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(hostFunctions, "hostFunctions");
    Objects.requireNonNull(configuration, "configuration");
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be at least 1, was " + maxSize);
    }
    return new SandboxPool(snapshot, hostFunctions, configuration, maxSize);
  }

  /**
   * Waits (fairly, without limit) until a sandbox is free and hands it out, Ready and equal to the
   * snapshot.
   *
   * @return the lease; close it to give the sandbox back
   * @throws InterruptedException if interrupted while waiting
   * @throws SandboxException if a new sandbox could not be created from the snapshot (e.g. {@link
   *     dev.molt.api.HostFunctionMismatchException})
   * @throws IllegalStateException if the pool is closed
   */
  public PooledSandbox acquire() throws InterruptedException, SandboxException {
    requireOpen();
    permits.acquire();
    return lease();
  }

  /**
   * Like {@link #acquire()}, waiting at most {@code timeout}.
   *
   * @param timeout the longest wait
   * @return the lease
   * @throws TimeoutException if no sandbox became free in time
   * @throws InterruptedException if interrupted while waiting
   * @throws SandboxException if a new sandbox could not be created from the snapshot
   * @throws IllegalStateException if the pool is closed
   */
  public PooledSandbox acquire(Duration timeout)
      throws TimeoutException, InterruptedException, SandboxException {
    Objects.requireNonNull(timeout, "timeout");
    requireOpen();
    if (!permits.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
      throw new TimeoutException(
          "no sandbox of the pool (" + maxSize + " in use) became free within " + timeout);
    }
    return lease();
  }

  /** Holds a permit; returns it if no lease results. */
  private PooledSandbox lease() throws SandboxException {
    try {
      Slot slot;
      synchronized (lock) {
        requireOpen();
        slot = idle.pollFirst();
      }
      if (slot == null) {
        slot = create();
      }
      return new PooledSandbox(this, slot);
    } catch (SandboxException | RuntimeException | Error e) {
      permits.release();
      throw e;
    }
  }

  // The new sandbox is owned by its slot in the pool's set (closed by release() or close()); the
  // Resource Leak Checker does not follow ownership into a holder kept in a collection.
  @SuppressWarnings("required.method.not.called")
  private Slot create() throws SandboxException {
    MultiUseSandbox sandbox = MultiUseSandbox.fromSnapshot(snapshot, hostFunctions, configuration);
    synchronized (lock) {
      if (closed) {
        sandbox.close();
        throw new IllegalStateException("the sandbox pool is closed");
      }
      Slot slot = new Slot(sandbox);
      owned.add(slot);
      return slot;
    }
  }

  /** Restores {@code sandbox} and makes it available again, or closes it. Returns the permit. */
  void release(Slot slot) {
    try {
      if (!closed && restored(slot.sandbox)) {
        synchronized (lock) {
          if (!closed) {
            idle.addFirst(slot);
            return;
          }
        }
      }
      discard(slot);
    } finally {
      permits.release();
    }
  }

  private boolean restored(MultiUseSandbox sandbox) {
    try {
      if (!sandbox.isLive() || sandbox.status() instanceof SandboxStatus.Unrecoverable) {
        return false; // its user closed it, or it broke: replace it quietly
      }
      sandbox.restore(snapshot);
      return true;
    } catch (SandboxException | RuntimeException e) {
      LOG.warn("a pooled sandbox could not be restored to its snapshot; it is replaced", e);
      return false;
    }
  }

  private void discard(Slot slot) {
    synchronized (lock) {
      owned.remove(slot);
    }
    slot.sandbox.close();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the sandbox pool is closed");
    }
  }

  /**
   * The most sandboxes this pool holds at once.
   *
   * @return the bound
   */
  public int maxSize() {
    return maxSize;
  }

  /**
   * How many sandboxes exist now (idle or in use).
   *
   * @return the count
   */
  public int size() {
    synchronized (lock) {
      return owned.size();
    }
  }

  /**
   * How many sandboxes are waiting, restored, for the next acquire.
   *
   * @return the count
   */
  public int idleCount() {
    synchronized (lock) {
      return idle.size();
    }
  }

  /**
   * Closes every sandbox, also those in use, and refuses further acquires; threads waiting in
   * {@link #acquire()} get an {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    java.util.List<Slot> all;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      all = java.util.List.copyOf(owned);
      owned.clear();
      idle.clear();
    }
    for (Slot slot : all) {
      slot.sandbox.close();
    }
    permits.release(Integer.MAX_VALUE / 2); // wakes every waiter; each then sees the pool closed
  }

  @Override
  public String toString() {
    return "SandboxPool[" + snapshot + ", " + size() + "/" + maxSize + " sandboxes, " + idleCount()
        + " idle" + (closed ? ", closed" : "") + "]";
  }
}
