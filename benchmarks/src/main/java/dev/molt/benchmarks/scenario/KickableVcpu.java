package dev.molt.benchmarks.scenario;

/**
 * A vCPU prepared by {@link ScenarioDriver#openKickable()}: its own thread runs a guest spinning
 * in ring 3, with the kick signal blocked except inside KVM_RUN.
 */
public interface KickableVcpu extends AutoCloseable {

  /**
   * Lets the vCPU thread enter KVM_RUN and waits the settle time (1 ms, as the floor does). Not
   * measured.
   */
  void arm();

  /**
   * The measured operation: set {@code immediate_exit}, {@code tgkill} the vCPU thread with
   * SIGRTMIN+2, and wait until its KVM_RUN has returned EINTR (the vCPU thread then drains the
   * signal and clears {@code immediate_exit}).
   *
   * @return the errno KVM_RUN returned (EINTR = 4)
   * @throws IllegalStateException if KVM_RUN returned anything but EINTR
   */
  int kickAndAwaitEintr();

  /** Stops the vCPU thread and tears the VM down. */
  @Override
  void close();
}
