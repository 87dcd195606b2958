package dev.molt.api;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;

/**
 * The root every sandbox state implements.
 *
 * <p>A state is owned by one caller at a time. The owner either hands it to a {@link Transition}
 * (which consumes it on success and leaves it with the caller on failure) or {@link #close()}s it.
 * With the Checker Framework's Resource Leak Checker enabled, forgetting both is a compile error.
 *
 * <p>A state that has been transitioned away from is dead: every method but {@link #close()}
 * throws {@link SandboxConsumedException} naming the transition that consumed it and the state it
 * became.
 */
@InheritableMustCall("close")
public interface Sandbox extends AutoCloseable {

  /**
   * What this sandbox can still do: {@link SandboxStatus.Ready}, {@link SandboxStatus.Poisoned} or
   * {@link SandboxStatus.Unrecoverable}.
   *
   * @return the current status
   * @throws SandboxConsumedException if this state was consumed by a transition
   * @throws IllegalStateException if this state was closed
   */
  SandboxStatus status();

  /**
   * Releases this state's resources. Idempotent; the one method a consumed state still accepts
   * (where it does nothing, because the resources now belong to the state it became).
   */
  @Override
  void close();
}
