package dev.molt.states;

import dev.molt.api.Devolve;
import dev.molt.api.Evolve;
import dev.molt.api.SandboxException;
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
   * MultiUseSandbox}. An evolve: it first records the uninitialized state as a rollback point (a
   * snapshot whose cost grows with the pages written so far), which {@link #RESET} restores. On
   * success the input is consumed. On failure it stays the caller's and the {@link
   * dev.molt.api.TransitionFailedException} reports its status: Ready again when the guest ran and
   * misbehaved (a fault, an abort, a protocol violation, a kill or the time limit poisons, and the
   * rollback point is restored at once), Poisoned if even that restore failed.
   */
  Evolve<UninitializedSandbox, MultiUseSandbox> INITIALISE =
      FAMILY.evolve(
          "initialise",
          UninitializedSandbox.class,
          MultiUseSandbox.class,
          new StateFamily.Work<UninitializedSandbox, GuestSubstrate>() {
            @Override
            public void perform(UninitializedSandbox from, GuestSubstrate substrate)
                throws SandboxException {
              substrate.initialise();
            }
          });

  /**
   * The devolve of {@link #INITIALISE}: restores the rollback point it recorded, so the guest is
   * loaded but has not run, with the host functions and boot data it had then. Found only in a
   * sandbox that went through initialise itself (not in one created from a snapshot).
   */
  Devolve<MultiUseSandbox, UninitializedSandbox> RESET = FAMILY.devolve("reset", INITIALISE);
}
