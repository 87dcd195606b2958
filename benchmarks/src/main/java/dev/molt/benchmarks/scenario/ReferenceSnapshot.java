package dev.molt.benchmarks.scenario;

/**
 * A reference VM and the snapshot taken of it (see {@link SnapshotDriver#open(int)}). Each method
 * does what the floor's operation of the same name does; the {@code check*} methods and runs are
 * not measured and throw {@link IllegalStateException} when a result is wrong.
 */
public interface ReferenceSnapshot extends AutoCloseable {

  /**
   * RAX of a run from a correctly restored snapshot: xmm0 + the first data qword + 1.
   *
   * @return the value
   */
  long expectedRax();

  /**
   * How many pages the snapshot's image holds (populated pages).
   *
   * @return pages
   */
  long populatedPages();

  /**
   * Runs the vCPU from its current state to the {@code out} to 0x10 and checks RAX.
   *
   * @param expected the RAX the run must end with
   * @return RAX
   */
  long run(long expected);

  /**
   * Sets the registers to the dirtying code for one page (RDI 1, RSI the first data page),
   * keeping xmm0 and memory, and runs it (the snapshot scenario's unmeasured step).
   *
   * @param expected the RAX the run must end with
   * @return RAX
   */
  long runDirtyingOnePage(long expected);

  /**
   * Captures guest memory and the vCPU state (the measured step of {@code snapshot}).
   *
   * @return the capture, to be checked with {@link #checkCapture}
   */
  Object capture();

  /**
   * Checks a capture: the image holds RAX at the first data page, the state has RAX in RAX and
   * xmm0, and exactly the 274 populated pages were captured.
   *
   * @param capture from {@link #capture()}
   * @param rax RAX of the run before the capture
   */
  void checkCapture(Object capture, long rax);

  /**
   * Restores memory, registers and FPU to the snapshot (the measured step of {@code restore-N}).
   *
   * @return the pages copied back
   */
  long restore();

  /**
   * Checks a restore: at least the dirtied pages were copied, each holds the image's value.
   *
   * @param copied from {@link #restore()}
   */
  void checkRestored(long copied);

  /**
   * A new VM mapping the snapshot's image copy-on-write, its vCPU, the warm-up entry and the
   * restore (the measured step of {@code create-from-snapshot}).
   *
   * @return an opaque handle of the new VM (it owns the VM), to be passed to {@link #checkAndClose}
   */
  Object createFromSnapshot();

  /**
   * Runs a VM from {@link #createFromSnapshot()} once, checks RAX and closes it.
   *
   * @param created the handle
   */
  void checkAndClose(Object created);

  /** Closes the VM and drops the snapshot. */
  @Override
  void close();
}
