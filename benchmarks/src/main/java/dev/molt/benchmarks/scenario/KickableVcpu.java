package dev.molt.benchmarks.scenario;

/**
 * A vCPU prepared by {@link ScenarioDriver#openKickable()}: its own thread runs a guest spinning
 * in ring 3, with the kick signal blocked except inside KVM_RUN.
 *
 * <p>Measured as the floor measures: from a timestamp the kicking thread takes right before the
 * kick to one the vCPU thread takes when its run has returned (after KVM_RUN returned EINTR, the
 * signal was drained and {@code immediate_exit} cleared). A kicker-side measurement would add the
 * kicker's own wake-up, which is not part of the scenario.
 */
public interface KickableVcpu extends AutoCloseable {

  /** The floor's settle time between letting the vCPU run and kicking it: 1 ms. */
  long SETTLE_NANOS = 1_000_000;

  /**
   * Lets the vCPU thread enter KVM_RUN and waits {@code settleNanos} in the calling thread. Not
   * measured.
   *
   * @param settleNanos how long to wait ({@link #SETTLE_NANOS} for measured operations)
   */
  void arm(long settleNanos);

  /**
   * The measured operation: kick the vCPU (set {@code immediate_exit}, {@code tgkill} its thread
   * with SIGRTMIN+2) and wait until its run has returned.
   *
   * @return nanoseconds from the kick to the vCPU thread's return from the run
   * @throws IllegalStateException if the run ended any other way than by the kick
   */
  long kickAndMeasure();

  /** Stops the vCPU thread and tears the VM down. */
  @Override
  void close();
}
