package dev.molt.benchmarks.jmh;

import dev.molt.benchmarks.scenario.ReferenceSnapshot;
import dev.molt.benchmarks.scenario.SnapshotDriver;
import java.util.concurrent.TimeUnit;
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
 * The Java side of the floor's snapshot scenarios over Molt's vmm ({@link SnapshotDriver}): only
 * the operation itself is measured; the guest runs before it and the checks after it are JMH
 * invocation-level setup and teardown, as the floor leaves them outside its clock.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SnapshotScenarioBenchmark {

  /** Creates the benchmark; JMH instantiates it. */
  public SnapshotScenarioBenchmark() {}

  /** A reference snapshot VM per trial. */
  @State(Scope.Thread)
  public abstract static class Reference {
    private @Nullable ReferenceSnapshot reference;

    /** Creates the state. */
    protected Reference() {}

    /**
     * Pages a run from the snapshot dirties.
     *
     * @return 1..256
     */
    protected abstract int pages();

    /** Opens the VM and takes its snapshot. */
    @Setup(Level.Trial)
    public void open() {
      reference = SnapshotDriver.require().open(pages());
    }

    /** Closes the VM. */
    @TearDown(Level.Trial)
    public void close() {
      ReferenceSnapshot r = reference;
      if (r != null) {
        r.close();
      }
    }

    /**
     * The open reference.
     *
     * @return the reference
     */
    protected ReferenceSnapshot reference() {
      ReferenceSnapshot r = reference;
      if (r == null) {
        throw new IllegalStateException("the reference VM is not open: JMH calls open() first");
      }
      return r;
    }
  }

  /** {@code snapshot}: a run dirtying data page 0 before each capture, a check after it. */
  public static class Capture extends Reference {
    private long lastRax = VALUE_BEFORE_FIRST_RUN;
    private long rax;
    private long captures;
    private @Nullable Object captured;

    /** xmm0 + the first data qword before the first run: each run adds 1 to their sum. */
    private static final long VALUE_BEFORE_FIRST_RUN = 0x0000C0FFEE000000L + 0x5A5A000000000000L;

    /** Creates the state. */
    public Capture() {}

    @Override
    protected int pages() {
      return 1;
    }

    /**
     * Dirties data page 0 so that memory differs from every earlier image; every 64 captures
     * lets the collector release the images (vmm frees a MemorySnapshot's memfd only then).
     */
    @Setup(Level.Invocation)
    public void dirty() {
      rax = reference().runDirtyingOnePage(lastRax + 1);
      lastRax = rax + rax;
      if (++captures % 64 == 0) {
        System.gc();
      }
    }

    /** Checks the capture just taken and drops it. */
    @TearDown(Level.Invocation)
    public void check() {
      Object c = captured;
      if (c == null) {
        throw new IllegalStateException("nothing was captured");
      }
      reference().checkCapture(c, rax);
      captured = null;
    }
  }

  /** {@code restore-1}: a run dirtying one page before each restore. */
  public static class Restore1 extends Restore {
    /** Creates the state. */
    public Restore1() {}

    @Override
    protected int pages() {
      return 1;
    }
  }

  /** {@code restore-16}. */
  public static class Restore16 extends Restore {
    /** Creates the state. */
    public Restore16() {}

    @Override
    protected int pages() {
      return 16;
    }
  }

  /** {@code restore-256}. */
  public static class Restore256 extends Restore {
    /** Creates the state. */
    public Restore256() {}

    @Override
    protected int pages() {
      return 256;
    }
  }

  /** A run from the snapshot (which checks the previous restore) before each restore. */
  public abstract static class Restore extends Reference {
    private long copied = -1;

    /** Creates the state. */
    protected Restore() {}

    /** Runs from the restored snapshot: dirties the pages, checks RAX. */
    @Setup(Level.Invocation)
    public void dirty() {
      ReferenceSnapshot r = reference();
      r.run(r.expectedRax());
    }

    /** Checks the restore just done. */
    @TearDown(Level.Invocation)
    public void check() {
      reference().checkRestored(copied);
    }
  }

  /** {@code create-from-snapshot}: the new VM is run, checked and closed after each op. */
  public static class Create extends Reference {
    private @Nullable Object created;

    /** Creates the state. */
    public Create() {}

    @Override
    protected int pages() {
      return 1;
    }

    /** Runs the VM just created once, checks RAX, closes it. */
    @TearDown(Level.Invocation)
    public void checkAndClose() {
      Object c = created;
      if (c == null) {
        throw new IllegalStateException("no VM was created");
      }
      created = null;
      reference().checkAndClose(c);
    }
  }

  /**
   * Captures memory + vCPU state.
   *
   * @param state the reference
   * @return the capture
   */
  @Benchmark
  public Object snapshot(Capture state) {
    Object c = state.reference().capture();
    state.captured = c;
    return c;
  }

  /**
   * Restores memory + REGS + SREGS + FPU after one dirtied page.
   *
   * @param state the reference
   * @return pages copied
   */
  @Benchmark
  public long restore1(Restore1 state) {
    return restore(state);
  }

  /**
   * Restores after 16 dirtied pages.
   *
   * @param state the reference
   * @return pages copied
   */
  @Benchmark
  public long restore16(Restore16 state) {
    return restore(state);
  }

  /**
   * Restores after 256 dirtied pages.
   *
   * @param state the reference
   * @return pages copied
   */
  @Benchmark
  public long restore256(Restore256 state) {
    return restore(state);
  }

  private static long restore(Restore state) {
    long copied = state.reference().restore();
    state.copied = copied;
    return copied;
  }

  /**
   * A VM mapping the image copy-on-write, its vCPU, the warm-up entry and the restore.
   *
   * @param state the reference
   * @return the new VM's handle
   */
  @Benchmark
  public Object createFromSnapshot(Create state) {
    Object c = state.reference().createFromSnapshot();
    state.created = c;
    return c;
  }
}
