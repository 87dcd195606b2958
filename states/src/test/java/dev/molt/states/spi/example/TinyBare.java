package dev.molt.states.spi.example;

import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.spi.StateHandle;
import dev.molt.api.spi.StateType;
import dev.molt.states.GuestBinary;
import dev.molt.states.spi.GuestSubstrate;

/** The entry state of the example family: the guest is loaded, not run. */
public final class TinyBare implements Tiny {
  static final StateType<TinyBare, GuestSubstrate> TYPE =
      StateType.entry(TinyBare.class, TinyBare::handle, TinyBare::new);

  private final StateHandle<GuestSubstrate> handle;

  private TinyBare(StateHandle<GuestSubstrate> handle) {
    this.handle = handle;
  }

  private StateHandle<GuestSubstrate> handle() {
    return handle;
  }

  /** Entry factory: the library creates Molt's substrate and opens its own entry state on it. */
  public static TinyBare create(GuestBinary guest, HostFunctions functions) throws SandboxException {
    return Tiny.FAMILY.open(
        GuestSubstrate.create(guest, SandboxConfiguration.defaults(), functions), TinyBare.class);
  }

  /** Boot data through the substrate's bounds-checked memory accessor. */
  public void grantCredits(long address, long credits) {
    handle.substrate().memory().cell(address).setVolatile(credits);
  }

  /** Method-style transition. */
  public TinyReady boot() throws SandboxException {
    TinyReady ready = Tiny.BOOT.apply(this);
    close();
    return ready;
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
