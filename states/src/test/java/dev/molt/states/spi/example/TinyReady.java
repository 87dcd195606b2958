package dev.molt.states.spi.example;

import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import dev.molt.states.spi.GuestSubstrate;
import java.util.List;

/** The initialised state of the example family: its own narrow, typed API over guest calls. */
public final class TinyReady implements Tiny {
  static final StateType<TinyReady, GuestSubstrate> TYPE =
      StateType.of(TinyReady.class, TinyReady::handle, TinyReady::new);

  private final StateHandle<GuestSubstrate> handle;

  private TinyReady(StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /** A guest call through the SPI: resolve by name, call with typed arguments. */
  public int add(int a, int b) throws SandboxException {
    GuestSubstrate guest = handle.substrate();
    return (Integer) guest.call(guest.function("CallHostAdd"), List.of(a, b));
  }

  /** Reads a guest word through the guest itself (the guest sees what the host wrote). */
  public long readThroughGuest(long address) throws SandboxException {
    GuestSubstrate guest = handle.substrate();
    return (Long) guest.call(guest.function("ReadAddress"), List.of(address));
  }

  /** Updates a shared cell while the sandbox lives. */
  public long addCredits(long address, long delta) {
    return handle.substrate().memory().cell(address).getAndAdd(delta);
  }

  @Override
  public SandboxStatus status() {
    return handle.status();
  }

  @Override
  public void close() {
    handle.close();
  }
}
