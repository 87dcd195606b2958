package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.molt.api.GuestFaultException;
import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionMismatchException;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxBusyException;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.api.ValueType;
import dev.molt.states.internal.snapshotfile.VmSnapshotImage;
import dev.molt.testkit.RequiresKvm;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of KVM sandboxes: capture, restore, devolve, creation from snapshots, files. */
@RequiresKvm
class SnapshotsTest {
  private static final long DATA = 0x300000; // inside the heap of the default layout

  @TempDir Path dir;

  /** Every byte the guest can address (the image, stack, buffers and heap). */
  private static byte[] userMemory(MultiUseSandbox sandbox) {
    GuestMemoryAccess m = sandbox.memory();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long at = m.firstAddress(); at < m.endAddress(); at += 1 << 20) {
      out.writeBytes(m.read(at, (int) Math.min(1 << 20, m.endAddress() - at)));
    }
    return out.toByteArray();
  }

  private static byte[] wholeImage(Snapshot<?> snapshot) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ((VmSnapshotImage) snapshot.image()).memory().writeTo(Channels.newChannel(out));
    return out.toByteArray();
  }

  @Test
  void restoreBringsBackEveryByteAndEveryRegisterAfterHostAndGuestWrites() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("Counter", Long.class)).isEqualTo(1L);
      Snapshot<MultiUseSandbox> snapshot = sandbox.snapshot();
      byte[] before = userMemory(sandbox);

      sandbox.memory().writeLong(DATA, 0x1122334455667788L); // host write
      sandbox.call("WriteAddress", Void.class, DATA + 4096, 99L); // guest write
      sandbox.call("Counter", Long.class);
      sandbox.call("EchoBytes", byte[].class, new byte[3000]);
      sandbox.restore(snapshot);

      assertThat(userMemory(sandbox)).isEqualTo(before);
      Snapshot<MultiUseSandbox> after = sandbox.snapshot();
      VmSnapshotImage a = (VmSnapshotImage) snapshot.image();
      VmSnapshotImage b = (VmSnapshotImage) after.image();
      assertThat(b.vcpus()).isEqualTo(a.vcpus()); // general, special and x87/SSE registers
      assertThat(b.guest()).isEqualTo(a.guest());
      assertThat(wholeImage(after)).isEqualTo(wholeImage(snapshot));
      assertThat(sandbox.call("Counter", Long.class)).isEqualTo(2L); // the guest's state is back
    }
  }

  @Test
  void aSnapshotWithNothingChangedReusesTheMemoryImage() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      Snapshot<MultiUseSandbox> first = sandbox.snapshot();
      Snapshot<MultiUseSandbox> second = sandbox.snapshot();
      assertThat(((VmSnapshotImage) second.image()).memory())
          .isSameAs(((VmSnapshotImage) first.image()).memory());
      assertThat(second.generation()).isGreaterThan(first.generation());
      long pages = ((VmSnapshotImage) first.image()).memory().populatedPages();
      // A fresh 16 MiB sandbox has written far fewer pages than it has.
      assertThat(pages).isPositive().isLessThan((16L << 20) / 4096 / 4);
    }
  }

  @Test
  void restoreMakesAPoisonedSandboxReadyAgain() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      Snapshot<MultiUseSandbox> snapshot = sandbox.snapshot();
      assertThatThrownBy(() -> sandbox.call("NullDeref", Long.class)).isInstanceOf(GuestFaultException.class);
      assertThat(sandbox.status()).isInstanceOf(SandboxStatus.Poisoned.class);
      assertThatThrownBy(sandbox::snapshot).isInstanceOf(IllegalStateException.class);

      sandbox.restore(snapshot);

      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
      assertThat(sandbox.call("Add", Integer.class, 40, 2)).isEqualTo(42);
    }
  }

  @Test
  void snapshotAndRestoreFromAHostFunctionDuringACallAreRefused() throws Exception {
    AtomicReference<MultiUseSandbox> self = new AtomicReference<>();
    AtomicReference<Throwable> refusal = new AtomicReference<>();
    HostFunctions functions =
        Behaviours.hostFunctions()
            .with(
                HostFunction.of(
                    "Reenter",
                    HostFunctionSignature.of(ValueType.I32),
                    args -> {
                      try {
                        self.get().snapshot();
                      } catch (Exception e) {
                        refusal.set(e);
                      }
                      return 7;
                    }));
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL, functions)) {
      self.set(sandbox);
      assertThat(sandbox.call("CallHostOrFail", Integer.class, "Reenter")).isEqualTo(7);
      assertThat(refusal.get())
          .isInstanceOfSatisfying(
              SandboxBusyException.class,
              e -> {
                assertThat(e.operation()).isEqualTo("snapshot");
                assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
              })
          .hasMessageContaining("called from a host function during CallHostOrFail");
      assertThat(sandbox.call("Add", Integer.class, 1, 2)).isEqualTo(3);
    }
  }

  @Test
  void aSnapshotWhileACallRunsOnAnotherThreadIsRefused() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      Snapshot<MultiUseSandbox> clean = sandbox.snapshot();
      var spinning = new java.util.concurrent.CompletableFuture<Throwable>();
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      sandbox.call("SpinForever", Void.class);
                      spinning.complete(new AssertionError("SpinForever returned"));
                    } catch (Throwable t) {
                      spinning.complete(t);
                    }
                  });
      SandboxBusyException busy = null;
      for (int i = 0; i < 500 && busy == null; i++) {
        try {
          sandbox.snapshot();
          Thread.sleep(5); // the call has not started yet: try again
        } catch (SandboxBusyException e) {
          busy = e;
        }
      }
      assertThat(busy).isNotNull();
      assertThat(busy).hasMessageContaining("SpinForever is running on another thread");
      while (!spinning.isDone()) {
        sandbox.interruptHandle().kill();
        Thread.sleep(10);
      }
      caller.join();
      assertThat(spinning.get()).isInstanceOf(dev.molt.api.CallKilledException.class);
      sandbox.restore(clean);
      assertThat(sandbox.call("Add", Integer.class, 2, 2)).isEqualTo(4);
    }
  }

  @Test
  void devolveReturnsToTheUninitializedStateWhichEvolvesAgain() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL, Behaviours.hostFunctions())) {
      fresh.memory().writeLong(DATA, 42L); // boot data
      try (MultiUseSandbox ready = fresh.evolve()) {
        ready.call("Counter", Long.class);
        ready.memory().writeLong(DATA, 7L);
        try (UninitializedSandbox again = ready.devolve()) {
          assertThat(again.status()).isEqualTo(SandboxStatus.ready());
          assertThat(again.memory().readLong(DATA)).isEqualTo(42L);
          assertThat(MoltSandbox.FAMILY.journal(again).getLast().transition()).isEqualTo("reset");
          try (MultiUseSandbox second = again.evolve()) {
            assertThat(second.call("Counter", Long.class)).isEqualTo(1L);
          }
        }
      }
    }
  }

  @Test
  void aSandboxCreatedFromASnapshotHasItsMemoryFunctionsAndLineage() throws Exception {
    try (MultiUseSandbox original = Behaviours.ready(Behaviours.SMALL)) {
      original.call("Counter", Long.class);
      Snapshot<MultiUseSandbox> snapshot = original.snapshot();
      try (MultiUseSandbox copy = MultiUseSandbox.fromSnapshot(snapshot, Behaviours.hostFunctions())) {
        assertThat(userMemory(copy)).isEqualTo(userMemory(original));
        assertThat(copy.functions()).isEqualTo(original.functions());
        assertThat(copy.configuration().guestMemorySize()).isEqualTo(Behaviours.SMALL.guestMemorySize());
        assertThat(copy.call("Counter", Long.class)).isEqualTo(2L);
        assertThat(copy.call("CallHostAdd", Integer.class, 20, 22)).isEqualTo(42);
        // The copy writes its own pages: the original does not see them.
        assertThat(original.call("Counter", Long.class)).isEqualTo(2L);
        // A snapshot of the original restores into the copy (same lineage), and vice versa.
        copy.restore(snapshot);
        assertThat(copy.call("Counter", Long.class)).isEqualTo(2L);
        Snapshot<MultiUseSandbox> ofCopy = copy.snapshot();
        original.restore(ofCopy);
        assertThat(original.call("Counter", Long.class)).isEqualTo(3L);
        // Registers after creation equal the snapshot's, x87/SSE state included.
        Snapshot<MultiUseSandbox> reread;
        try (MultiUseSandbox third = MultiUseSandbox.fromSnapshot(snapshot, Behaviours.hostFunctions())) {
          reread = third.snapshot();
        }
        assertThat(((VmSnapshotImage) reread.image()).vcpus())
            .isEqualTo(((VmSnapshotImage) snapshot.image()).vcpus());
      }
    }
  }

  @Test
  void creationFromASnapshotListsEveryMissingOrMismatchedHostFunction() throws Exception {
    try (MultiUseSandbox original = Behaviours.ready(Behaviours.SMALL)) {
      Snapshot<MultiUseSandbox> snapshot = original.snapshot();
      HostFunctions offered =
          HostFunctions.empty()
              .with(
                  HostFunction.of(
                      "Add", HostFunctionSignature.of(ValueType.I64, ValueType.I64), args -> args.get(0)));
      HostFunctionMismatchException e =
          catchThrowableOfType(
              HostFunctionMismatchException.class, () -> MultiUseSandbox.fromSnapshot(snapshot, offered));
      assertThat(e).hasMessageContaining("Add").hasMessageContaining("Increment").hasMessageContaining("EchoBytes");
      assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Unrecoverable.class);
    }
  }

  @Test
  void creationFromASnapshotRejectsConflictingConfigurationFieldsByName() throws Exception {
    try (MultiUseSandbox original = Behaviours.ready(Behaviours.SMALL)) {
      Snapshot<MultiUseSandbox> snapshot = original.snapshot();
      SandboxConfiguration other =
          SandboxConfiguration.builder().guestMemorySize(32L << 20).heapSize(2L << 20).build();
      assertThatThrownBy(() -> MultiUseSandbox.fromSnapshot(snapshot, Behaviours.hostFunctions(), other))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("guestMemorySize (given 33554432, snapshot " + Behaviours.SMALL.guestMemorySize() + ")")
          .hasMessageContaining("heapSize (given 2097152");
      SandboxConfiguration limited =
          SandboxConfiguration.builder().callTimeLimit(java.time.Duration.ofMillis(100)).build();
      try (MultiUseSandbox copy = MultiUseSandbox.fromSnapshot(snapshot, Behaviours.hostFunctions(), limited)) {
        assertThatThrownBy(() -> copy.call("SpinForever", Void.class))
            .isInstanceOf(dev.molt.api.CallTimedOutException.class);
      }
    }
  }

  @Test
  void aSnapshotOfAnotherSandboxIsRefusedAndNothingChanges() throws Exception {
    try (MultiUseSandbox a = Behaviours.ready(Behaviours.SMALL);
        MultiUseSandbox b = Behaviours.ready(Behaviours.SMALL)) {
      Snapshot<MultiUseSandbox> ofA = a.snapshot();
      b.call("Counter", Long.class);
      SnapshotIncompatibleException e = catchThrowableOfType(SnapshotIncompatibleException.class, () -> b.restore(ofA));
      assertThat(e.reason()).isEqualTo(SnapshotIncompatibleException.Reason.LINEAGE);
      assertThat(b.call("Counter", Long.class)).isEqualTo(2L);
    }
  }

  @Test
  void aSavedSnapshotLoadsBackAndCreatesSandboxes() throws Exception {
    try (MultiUseSandbox original = Behaviours.ready(Behaviours.SMALL)) {
      original.call("Counter", Long.class);
      Snapshot<MultiUseSandbox> snapshot = original.snapshot();
      Path file = dir.resolve("counter.molt");
      SandboxSnapshots.save(snapshot, file);

      Snapshot<MultiUseSandbox> loaded = SandboxSnapshots.load(file, MultiUseSandbox.class);
      assertThat(loaded.lineage()).isEqualTo(snapshot.lineage());
      assertThat(loaded.layout()).isEqualTo(snapshot.layout());
      assertThat(loaded.hostFunctions()).isEqualTo(snapshot.hostFunctions());
      assertThat(wholeImage(loaded)).isEqualTo(wholeImage(snapshot));
      try (MultiUseSandbox copy = MultiUseSandbox.fromSnapshot(loaded, Behaviours.hostFunctions())) {
        assertThat(copy.call("Counter", Long.class)).isEqualTo(2L);
      }
      original.call("Counter", Long.class);
      original.restore(loaded); // same lineage: the file restores the sandbox it came from
      assertThat(original.call("Counter", Long.class)).isEqualTo(2L);
    }
  }

  @Test
  void loadingAFileRefusesCorruptionAndAnotherState() throws Exception {
    try (MultiUseSandbox original = Behaviours.ready(Behaviours.SMALL)) {
      Path file = dir.resolve("s.molt");
      SandboxSnapshots.save(original.snapshot(), file);
      assertThat(catchThrowableOfType(
              SnapshotIncompatibleException.class, () -> SandboxSnapshots.load(file, UninitializedSandbox.class))
          .reason()).isEqualTo(SnapshotIncompatibleException.Reason.STATE);

      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length - 100] ^= 1; // a bit of the memory image
      Path flipped = Files.write(dir.resolve("flipped.molt"), bytes);
      SnapshotIncompatibleException e =
          catchThrowableOfType(SnapshotIncompatibleException.class, () -> SandboxSnapshots.load(flipped, MultiUseSandbox.class));
      assertThat(e.reason()).isEqualTo(SnapshotIncompatibleException.Reason.FORMAT);
      assertThat(e).hasMessageContaining("digest");
      assertThatThrownBy(() -> SandboxSnapshots.load(dir.resolve("missing.molt"), MultiUseSandbox.class))
          .isInstanceOf(SnapshotIncompatibleException.class);
    }
  }
}
