package dev.molt.states;

import dev.molt.api.DeclaredTransition;
import dev.molt.api.Sandbox;
import dev.molt.api.spi.StateFamily;
import dev.molt.states.spi.GuestSubstrate;
import java.util.List;

/**
 * Molt's built-in sandbox states over KVM: {@link UninitializedSandbox} (a guest ELF loaded into
 * a fresh micro-VM, not yet run) and {@link MultiUseSandbox} (the guest initialised, ready for any
 * number of calls). An exhaustive {@code switch} over this family needs no {@code default}.
 */
public sealed interface MoltSandbox extends Sandbox permits UninitializedSandbox, MultiUseSandbox {

  /** The family: its states over {@link GuestSubstrate}, for the state SPI and graphs. */
  StateFamily<MoltSandbox, GuestSubstrate> FAMILY =
      StateFamily.of(MoltSandbox.class, List.of(UninitializedSandbox.TYPE, MultiUseSandbox.TYPE));

  /**
   * Runs the guest's initialisation on the same VM: {@link UninitializedSandbox} to {@link
   * MultiUseSandbox}. Declared as a move (no rollback point) until snapshots arrive: a rollback
   * point needs a snapshot of the uninitialized state. On success the input is consumed; on
   * failure it stays the caller's and the {@link dev.molt.api.TransitionFailedException} reports
   * its status: Poisoned when the guest ran (a fault, an abort, a reported error, a protocol
   * violation, a kill or the time limit during initialisation), Ready when nothing ran.
   */
  DeclaredTransition<UninitializedSandbox, MultiUseSandbox> INITIALISE =
      FAMILY.move(
          "initialise",
          UninitializedSandbox.class,
          MultiUseSandbox.class,
          new dev.molt.api.spi.StateFamily.Work<UninitializedSandbox, GuestSubstrate>() {
            @Override
            public void perform(UninitializedSandbox from, GuestSubstrate substrate)
                throws dev.molt.api.SandboxException {
              substrate.initialise();
            }
          });
}
