package dev.molt.states;

/**
 * Stops a sandbox's running guest call from any thread. The call then fails with {@link
 * dev.molt.api.CallKilledException} and the sandbox is Poisoned. Thread-safe, holds no resources;
 * obtained from the sandbox (or its substrate) and valid for its whole life.
 */
public sealed interface SandboxInterruptHandle permits dev.molt.states.internal.CallInterrupter {

  /**
   * Stops the guest call in progress (including its initialisation), wherever it is: running
   * guest code, or waiting for a host function (the guest is then stopped as soon as the host
   * function returns). Returns once the guest is no longer running. Does nothing when no call is
   * in progress (a kill never affects a later call) or the sandbox is closed.
   */
  void kill();
}
