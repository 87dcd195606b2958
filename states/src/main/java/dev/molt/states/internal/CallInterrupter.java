package dev.molt.states.internal;

import dev.molt.states.SandboxInterruptHandle;

/** The interrupt handle of a {@link KvmGuestSubstrate}. */
public final class CallInterrupter implements SandboxInterruptHandle {
  private final KvmGuestSubstrate substrate;

  CallInterrupter(KvmGuestSubstrate substrate) {
    this.substrate = substrate;
  }

  @Override
  public void kill() {
    substrate.killCurrentCall();
  }

  @Override
  public String toString() {
    return "SandboxInterruptHandle[" + substrate + "]";
  }
}
