package dev.molt.benchmarks.jmh;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.Snapshot;
import dev.molt.guest.TestGuest;
import dev.molt.states.GuestBinary;
import dev.molt.states.MultiUseSandbox;
import dev.molt.states.PooledSandbox;
import dev.molt.states.SandboxPool;
import dev.molt.states.SandboxSnapshots;
import dev.molt.states.UninitializedSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Snapshot operations over the states public API, all with the noop guest ({@code Noop
 * void(i32)}) and the default configuration (16 MiB): a sandbox created from a snapshot against
 * one created and evolved, a pool round trip against a call + restore, and saving and loading a
 * snapshot file (whose floors are {@code floor save} and {@code floor load}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatesSnapshotBenchmark {
  private static final GuestBinary GUEST = GuestBinary.of(TestGuest.NOOP.elf());
  private static final SandboxConfiguration CONFIGURATION = SandboxConfiguration.defaults();
  private static final HostFunctions HOST_FUNCTIONS = HostFunctions.empty();

  /** Creates the benchmark; JMH instantiates it. */
  public StatesSnapshotBenchmark() {}

  /** Creates and evolves a noop sandbox, snapshots it and closes it (the snapshot lives on). */
  static Snapshot<MultiUseSandbox> evolvedSnapshot() throws SandboxException {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(GUEST, CONFIGURATION, HOST_FUNCTIONS);
        MultiUseSandbox ready = fresh.evolve()) {
      return ready.snapshot();
    }
  }

  /** The snapshot of an evolved noop sandbox, per trial. */
  @State(Scope.Thread)
  public static class Evolved {
    private @Nullable Snapshot<MultiUseSandbox> snapshot;

    /** Creates the state. */
    public Evolved() {}

    /**
     * Takes the snapshot.
     *
     * @throws SandboxException if KVM or the guest fails
     */
    @Setup(Level.Trial)
    public void takeSnapshot() throws SandboxException {
      snapshot = evolvedSnapshot();
    }

    Snapshot<MultiUseSandbox> snapshot() {
      Snapshot<MultiUseSandbox> s = snapshot;
      if (s == null) {
        throw new IllegalStateException("not open");
      }
      return s;
    }
  }

  /** An evolved noop sandbox and its snapshot, per trial. */
  @State(Scope.Thread)
  @InheritableMustCall("close")
  public static class Live {
    private @Owning @Nullable MultiUseSandbox sandbox;
    private @Nullable Snapshot<MultiUseSandbox> snapshot;
    int argument;

    /** Creates the state. */
    public Live() {}

    /**
     * Creates, evolves and snapshots the sandbox.
     *
     * @throws SandboxException if KVM or the guest fails
     */
    @Setup(Level.Trial)
    @CreatesMustCallFor("this")
    public void open() throws SandboxException {
      MultiUseSandbox ready;
      try (UninitializedSandbox fresh = UninitializedSandbox.create(GUEST, CONFIGURATION, HOST_FUNCTIONS)) {
        ready = fresh.evolve();
      }
      try {
        snapshot = ready.snapshot();
      } catch (SandboxException | RuntimeException e) {
        ready.close();
        throw e;
      }
      close();
      sandbox = ready;
    }

    /** Closes the sandbox. */
    @TearDown(Level.Trial)
    @EnsuresCalledMethods(value = "this.sandbox", methods = "close")
    public void close() {
      if (this.sandbox != null) {
        this.sandbox.close();
      }
    }

    @NotOwning MultiUseSandbox sandbox() {
      MultiUseSandbox s = sandbox;
      if (s == null) {
        throw new IllegalStateException("not open");
      }
      return s;
    }

    Snapshot<MultiUseSandbox> snapshot() {
      Snapshot<MultiUseSandbox> s = snapshot;
      if (s == null) {
        throw new IllegalStateException("not open");
      }
      return s;
    }
  }

  /** A pool of one sandbox over an evolved snapshot, per trial. */
  @State(Scope.Thread)
  @InheritableMustCall("close")
  public static class Pool {
    private @Owning @Nullable SandboxPool pool;
    int argument;

    /** Creates the state. */
    public Pool() {}

    /**
     * Opens the pool and creates its sandbox (the first acquire, not measured).
     *
     * @throws SandboxException if KVM or the guest fails
     * @throws InterruptedException if interrupted
     */
    @Setup(Level.Trial)
    @CreatesMustCallFor("this")
    public void open() throws SandboxException, InterruptedException {
      SandboxPool p = SandboxPool.create(evolvedSnapshot(), HOST_FUNCTIONS, 1);
      try (PooledSandbox lease = p.acquire()) {
        lease.sandbox().call("Noop", Void.class, 0);
      } catch (SandboxException | InterruptedException | RuntimeException e) {
        p.close();
        throw e;
      }
      close();
      pool = p;
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    @EnsuresCalledMethods(value = "this.pool", methods = "close")
    public void close() {
      if (this.pool != null) {
        this.pool.close();
      }
    }

    @NotOwning SandboxPool pool() {
      SandboxPool p = pool;
      if (p == null) {
        throw new IllegalStateException("not open");
      }
      return p;
    }
  }

  /** A directory with a saved snapshot file, per trial. */
  @State(Scope.Thread)
  public static class SavedFile {
    private @Nullable Snapshot<MultiUseSandbox> snapshot;
    private @Nullable Path directory;
    private @Nullable Path file;
    private int loads;

    /** Creates the state. */
    public SavedFile() {}

    /**
     * Saves the snapshot once.
     *
     * @throws IOException if the directory cannot be created
     * @throws SandboxException if saving fails
     */
    @Setup(Level.Trial)
    public void saveOnce() throws IOException, SandboxException {
      Snapshot<MultiUseSandbox> s = evolvedSnapshot();
      snapshot = s;
      Path dir = Files.createTempDirectory("molt-bench-snapshot-");
      directory = dir;
      Path f = dir.resolve("noop.moltsnap");
      SandboxSnapshots.save(s, f);
      file = f;
    }

    /** Every 8 loads, lets the collector free the loaded 16 MiB images (memfds). */
    @TearDown(Level.Invocation)
    public void collect() {
      if (++loads % 8 == 0) {
        System.gc();
      }
    }

    /**
     * Deletes the directory.
     *
     * @throws IOException if deleting fails
     */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
      Path f = file;
      Path dir = directory;
      if (f != null) {
        Files.deleteIfExists(f);
      }
      if (dir != null) {
        Files.deleteIfExists(dir);
      }
    }

    Snapshot<MultiUseSandbox> snapshot() {
      Snapshot<MultiUseSandbox> s = snapshot;
      if (s == null) {
        throw new IllegalStateException("not open");
      }
      return s;
    }

    Path file() {
      Path f = file;
      if (f == null) {
        throw new IllegalStateException("not open");
      }
      return f;
    }
  }

  /**
   * {@code UninitializedSandbox.create} + {@code evolve()} + {@code close()}.
   *
   * @return the number of guest functions (1)
   * @throws SandboxException if KVM or the guest fails
   */
  @Benchmark
  public int createAndEvolve() throws SandboxException {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(GUEST, CONFIGURATION, HOST_FUNCTIONS);
        MultiUseSandbox ready = fresh.evolve()) {
      return functions(ready);
    }
  }

  /**
   * {@code MultiUseSandbox.fromSnapshot} + {@code close()}.
   *
   * @param state the snapshot
   * @return the number of guest functions (1)
   * @throws SandboxException if KVM fails
   */
  @Benchmark
  public int fromSnapshot(Evolved state) throws SandboxException {
    try (MultiUseSandbox ready = MultiUseSandbox.fromSnapshot(state.snapshot(), HOST_FUNCTIONS)) {
      return functions(ready);
    }
  }

  private static int functions(MultiUseSandbox ready) {
    int n = ready.functions().size();
    if (n != 1) {
      throw new IllegalStateException("the noop guest reported " + ready.functions());
    }
    return n;
  }

  /**
   * {@code SandboxPool.acquire()}, {@code Noop(i)}, release (which restores the snapshot).
   *
   * @param state the pool
   * @throws SandboxException if the call fails
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  public void poolRoundTrip(Pool state) throws SandboxException, InterruptedException {
    try (PooledSandbox lease = state.pool().acquire()) {
      lease.sandbox().call("Noop", Void.class, state.argument++);
    }
  }

  /**
   * {@code Noop(i)} then {@code restore(snapshot)} on the same sandbox.
   *
   * @param state the sandbox and its snapshot
   * @throws SandboxException if the call or the restore fails
   */
  @Benchmark
  public void callAndRestore(Live state) throws SandboxException {
    MultiUseSandbox s = state.sandbox();
    s.call("Noop", Void.class, state.argument++);
    s.restore(state.snapshot());
  }

  /**
   * {@code SandboxSnapshots.save} over the previous file (temporary file, fsync, rename).
   *
   * @param state the snapshot and the file
   * @throws SandboxException if saving fails
   */
  @Benchmark
  public void save(SavedFile state) throws SandboxException {
    SandboxSnapshots.save(state.snapshot(), state.file());
  }

  /**
   * {@code SandboxSnapshots.load}: every check, the image copied into a sealed memfd while
   * hashed.
   *
   * @param state the file
   * @return the loaded snapshot's generation
   * @throws SandboxException if the file is refused
   */
  @Benchmark
  public long load(SavedFile state) throws SandboxException {
    Snapshot<MultiUseSandbox> loaded = SandboxSnapshots.load(state.file(), MultiUseSandbox.class);
    if (!loaded.lineage().equals(state.snapshot().lineage())) {
      throw new IllegalStateException("the loaded snapshot has another lineage");
    }
    return loaded.generation();
  }
}
