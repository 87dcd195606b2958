package dev.molt.states.spi.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.ValueType;
import dev.molt.guest.TestGuest;
import dev.molt.states.GuestBinary;
import dev.molt.states.internal.GuestLayout;
import dev.molt.states.internal.elf.ElfImage;
import dev.molt.testkit.RequiresKvm;
import org.junit.jupiter.api.Test;

/** A library's own state family on Molt's real KVM substrate, through the custom-state SPI. */
@RequiresKvm
class CustomFamilyTest {
  private static final long CREDITS = 0x300000;

  private static long stackBase() throws Exception {
    SandboxConfiguration defaults = SandboxConfiguration.defaults();
    return GuestLayout.of(
            defaults, ElfImage.parse(TestGuest.BEHAVIOURS.elf(), GuestLayout.imageLimits(defaults)))
        .stackBase();
  }

  private static HostFunctions add() {
    return HostFunctions.empty()
        .with(
            HostFunction.of(
                "Add",
                HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.I32),
                a -> (Integer) a.get(0) + (Integer) a.get(1)));
  }

  @Test
  void customStatesWrapTheSubstrateAndHandItOnInTheirTransition() throws Exception {
    try (TinyBare bare = TinyBare.create(GuestBinary.of(TestGuest.BEHAVIOURS.elf()), add())) {
      try (TinyReady ready = bare.boot()) {
        assertThat(ready.add(40, 2)).isEqualTo(42);
        assertThat(ready.status()).isEqualTo(SandboxStatus.ready());
        assertThat(Tiny.FAMILY.journal(ready)).extracting(e -> e.transition()).containsExactly("boot");
        assertThatThrownBy(() -> bare.grantCredits(CREDITS, 1)).isInstanceOf(SandboxConsumedException.class);
      }
    }
  }

  @Test
  void bootDataWrittenInTheEntryStateIsSeenByTheGuestAfterTheTransition() throws Exception {
    try (TinyBare bare = TinyBare.create(GuestBinary.of(TestGuest.BEHAVIOURS.elf()), add())) {
      // The lowest stack word: mapped for the guest, untouched by shallow calls.
      long address = stackBase();
      bare.grantCredits(address, 100);
      try (TinyReady ready = bare.boot()) {
        assertThat(ready.readThroughGuest(address)).isEqualTo(100L);
        assertThat(ready.addCredits(address, 5)).isEqualTo(100L);
        assertThat(ready.readThroughGuest(address)).isEqualTo(105L);
      }
    }
  }

  @Test
  void customStatesSnapshotRestoreAndAreCreatedFromSnapshotsThroughTheSpi() throws Exception {
    try (TinyBare bare = TinyBare.create(GuestBinary.of(TestGuest.BEHAVIOURS.elf()), add())) {
      long address = stackBase();
      bare.grantCredits(address, 10);
      dev.molt.api.Snapshot<TinyBare> beforeBoot = Tiny.FAMILY.snapshot(bare);
      try (TinyReady ready = bare.boot()) {
        dev.molt.api.Snapshot<TinyReady> booted = Tiny.FAMILY.snapshot(ready);
        ready.addCredits(address, 5);
        assertThat(ready.readThroughGuest(address)).isEqualTo(15L);

        Tiny.FAMILY.restoreInPlace(ready, booted);
        assertThat(ready.readThroughGuest(address)).isEqualTo(10L);

        // Created from the snapshot through the SPI: a TinyReady without boot.
        try (TinyReady copy =
            Tiny.FAMILY.fromSnapshot(
                dev.molt.states.spi.GuestSubstrate.fromSnapshot(booted, SandboxConfiguration.defaults(), add()),
                booted)) {
          assertThat(copy.add(40, 2)).isEqualTo(42);
          assertThat(copy.readThroughGuest(address)).isEqualTo(10L);
        }

        // Back to the state before boot: the family's restore returns the snapshot's state.
        try (TinyBare again = Tiny.FAMILY.restore(ready, beforeBoot)) {
          again.grantCredits(address, 20);
          try (TinyReady rebooted = again.boot()) {
            assertThat(rebooted.readThroughGuest(address)).isEqualTo(20L);
          }
        }
      }
    }
  }
}
