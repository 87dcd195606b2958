package dev.molt.states.spi.example;

import dev.molt.api.DeclaredTransition;
import dev.molt.api.Sandbox;
import dev.molt.api.SandboxException;
import dev.molt.api.spi.StateFamily;
import dev.molt.states.spi.GuestSubstrate;
import java.util.List;

/**
 * A library's own two-state family over Molt's KVM substrate: {@link TinyBare} (guest loaded,
 * credits written) and {@link TinyReady} (guest initialised). Proves the custom-state SPI: the
 * family never sees a vmm type.
 */
// @start region=family
public sealed interface Tiny extends Sandbox permits TinyBare, TinyReady {

  /** The family over Molt's guest substrate. */
  StateFamily<Tiny, GuestSubstrate> FAMILY =
      StateFamily.of(Tiny.class, List.of(TinyBare.TYPE, TinyReady.TYPE));

  /** Boot: run the guest's initialisation; the substrate (VM, memory, credits) is handed on. */
  DeclaredTransition<TinyBare, TinyReady> BOOT =
      FAMILY.move(
          "boot",
          TinyBare.class,
          TinyReady.class,
          new StateFamily.Work<TinyBare, GuestSubstrate>() {
            @Override
            public void perform(TinyBare from, GuestSubstrate substrate) throws SandboxException {
              substrate.initialise();
            }
          });
}
// @end region=family
