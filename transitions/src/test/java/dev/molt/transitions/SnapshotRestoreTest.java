package dev.molt.transitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.HostFunctionMismatchException;
import dev.molt.api.HostFunctionProblem;
import dev.molt.api.HostFunctions;
import dev.molt.api.HostPrint;
import dev.molt.api.LayoutId;
import dev.molt.api.SandboxConsumedException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.Snapshot;
import dev.molt.api.SnapshotIncompatibleException;
import dev.molt.api.SubstrateException;
import dev.molt.transitions.demo.Demo;
import dev.molt.transitions.demo.DemoLoaded;
import dev.molt.transitions.demo.DemoProto;
import dev.molt.transitions.demo.DemoRuntime;
import dev.molt.transitions.demo.MemorySubstrate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Snapshots are typed by state; restore produces that state or fails without changing anything. */
class SnapshotRestoreTest {

  @Test
  void aSnapshotRecordsStateLineageLayoutGenerationAndHostFunctions() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> first = Demo.FAMILY.snapshot(runtime);
      Snapshot<DemoRuntime> second = Demo.FAMILY.snapshot(runtime);
      assertThat(first.state()).isEqualTo(DemoRuntime.class);
      assertThat(first.lineage()).isEqualTo(f.memory().lineage());
      assertThat(first.layout()).isEqualTo(new LayoutId("memory-v1"));
      assertThat(second.generation()).isEqualTo(first.generation() + 1);
      assertThat(first.hostFunctions()).isEqualTo(Map.of("HostPrint", HostPrint.SIGNATURE));
    }
  }

  @Test
  void restoreConsumesTheCurrentStateAndReturnsTheSnapshotsState() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> clean = Demo.FAMILY.snapshot(runtime);
      Map<String, String> before = f.memory().contents();
      DemoLoaded loaded = Demo.loadModule("tenant").apply(runtime);
      loaded.call("f");
      try (DemoRuntime restored = Demo.FAMILY.restore(loaded, clean)) {
        assertThat(f.memory().contents()).isEqualTo(before);
        assertThat(restored.eval("x")).endsWith("x");
        assertThatThrownBy(loaded::status)
            .isInstanceOf(SandboxConsumedException.class)
            .hasMessageContaining("'restore' and became DemoRuntime");
        // the rollback points in force when the snapshot was taken are back
        assertThat(Demo.FAMILY.rollbackPoints(restored)).containsExactly("loadRuntime");
      }
    }
  }

  @Test
  void restoreRecoversAPoisonedSandbox() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> clean = Demo.FAMILY.snapshot(runtime);
      assertThatThrownBy(() -> runtime.eval("crash")).isInstanceOf(dev.molt.api.GuestAbortedException.class);
      assertThat(runtime.status()).isInstanceOf(SandboxStatus.Poisoned.class);
      assertThatThrownBy(() -> Demo.FAMILY.snapshot(runtime))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("SNAPSHOT is not allowed");
      try (DemoRuntime restored = Demo.FAMILY.restore(runtime, clean)) {
        assertThat(restored.status()).isEqualTo(SandboxStatus.ready());
      }
    }
  }

  @Test
  void aSnapshotOfAnotherLineageIsRejectedAndTheStateStaysUsable() throws Exception {
    Fixtures a = Fixtures.create();
    Fixtures b = Fixtures.create();
    try (DemoRuntime ra = Demo.LOAD_RUNTIME.apply(a.proto());
        DemoRuntime rb = Demo.LOAD_RUNTIME.apply(b.proto())) {
      Snapshot<DemoRuntime> fromA = Demo.FAMILY.snapshot(ra);
      assertThatThrownBy(() -> Demo.FAMILY.restore(rb, fromA))
          .isInstanceOfSatisfying(
              SnapshotIncompatibleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(SnapshotIncompatibleException.Reason.LINEAGE);
                assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
              });
      assertThat(rb.eval("still mine")).endsWith("still mine");
      assertThat(b.memory().restores()).isZero();
    }
  }

  @Test
  void aSandboxCreatedFromASnapshotStartsInTheSnapshotsState() throws Exception {
    Fixtures f = Fixtures.create();
    Snapshot<DemoLoaded> snap;
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto());
        DemoLoaded loaded = Demo.loadModule("shared").apply(runtime)) {
      snap = Demo.FAMILY.snapshot(loaded);
    }
    MemorySubstrate fresh =
        MemorySubstrate.join(snap.lineage(), snap.layout(), HostFunctions.defaults());
    try (DemoLoaded copy = Demo.FAMILY.fromSnapshot(fresh, snap)) {
      assertThat(copy.module()).isEqualTo("shared");
      // it has no rollback points: devolving cannot work and says why
      assertThatThrownBy(() -> Demo.UNLOAD_MODULE.apply(copy))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "devolve 'unloadModule' found no rollback point recorded by evolve 'loadModule' in this sandbox");
      assertThat(copy.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void creatingFromASnapshotWithoutItsHostFunctionsFailsAndClosesTheSubstrate() throws Exception {
    Fixtures f = Fixtures.create();
    Snapshot<DemoRuntime> snap;
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      snap = Demo.FAMILY.snapshot(runtime);
    }
    MemorySubstrate fresh = MemorySubstrate.join(snap.lineage(), snap.layout(), HostFunctions.empty());
    assertThatThrownBy(() -> Demo.FAMILY.fromSnapshot(fresh, snap))
        .isInstanceOfSatisfying(
            HostFunctionMismatchException.class,
            e -> assertThat(e.problems())
                .containsExactly(new HostFunctionProblem.Missing("HostPrint", HostPrint.SIGNATURE)));
    assertThat(fresh.closes()).isEqualTo(1);
  }

  @Test
  void creatingFromASnapshotOfAnotherLayoutIsRejected() throws Exception {
    Fixtures f = Fixtures.create();
    Snapshot<DemoRuntime> snap;
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      snap = Demo.FAMILY.snapshot(runtime);
    }
    MemorySubstrate fresh =
        MemorySubstrate.join(snap.lineage(), new LayoutId("memory-v2"), HostFunctions.defaults());
    assertThatThrownBy(() -> Demo.FAMILY.fromSnapshot(fresh, snap))
        .isInstanceOfSatisfying(
            SnapshotIncompatibleException.class,
            e -> assertThat(e.reason()).isEqualTo(SnapshotIncompatibleException.Reason.LAYOUT));
    assertThat(fresh.closes()).isEqualTo(1);
  }

  @Test
  void aRestoreThatFailsMidwayLeavesTheStateWithTheCallerUnrecoverable() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> snap = Demo.FAMILY.snapshot(runtime);
      f.memory().failNextRestore();
      assertThatThrownBy(() -> Demo.FAMILY.restore(runtime, snap))
          .isInstanceOfSatisfying(
              SubstrateException.class,
              e -> assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Unrecoverable.class));
      assertThat(runtime.status()).isInstanceOf(SandboxStatus.Unrecoverable.class);
    }
    assertThat(f.memory().closes()).isEqualTo(1);
  }

  @Test
  void restoreOnAnUnrecoverableSandboxIsRefusedAndTheStateStaysTheCallers() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> snap = Demo.FAMILY.snapshot(runtime);
      f.memory().failNextRestore();
      assertThatThrownBy(() -> Demo.FAMILY.restore(runtime, snap)).isInstanceOf(SubstrateException.class);
      assertThatThrownBy(() -> Demo.FAMILY.restore(runtime, snap))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("RESTORE is not allowed");
      assertThatThrownBy(() -> Demo.FAMILY.restoreInPlace(runtime, snap))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("RESTORE is not allowed");
      assertThat(runtime.status()).isInstanceOf(SandboxStatus.Unrecoverable.class);
    }
    assertThat(f.memory().closes()).isEqualTo(1);
  }

  @Test
  void restoreInPlaceKeepsTheSameStateObjectLiveAndRecoversIt() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> clean = Demo.FAMILY.snapshot(runtime);
      Map<String, String> before = f.memory().contents();
      runtime.eval("x");
      assertThatThrownBy(() -> runtime.eval("crash")).isInstanceOf(dev.molt.api.GuestAbortedException.class);
      Demo.FAMILY.restoreInPlace(runtime, clean);
      assertThat(runtime.status()).isEqualTo(SandboxStatus.ready());
      assertThat(f.memory().contents()).isEqualTo(before);
      assertThat(runtime.eval("y")).endsWith("y");
      assertThat(Demo.FAMILY.journal(runtime).getLast().transition()).isEqualTo("restore");
      assertThat(Demo.FAMILY.rollbackPoints(runtime)).containsExactly("loadRuntime");
    }
  }

  @Test
  void restoreInPlaceRefusesASnapshotOfAnotherStateAndChangesNothing() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> clean = Demo.FAMILY.snapshot(runtime);
      try (DemoLoaded loaded = Demo.loadModule("m").apply(runtime)) {
        @SuppressWarnings("unchecked") // deliberately mistyped, as an unchecked cast in user code would be
        Snapshot<DemoLoaded> wrong = (Snapshot<DemoLoaded>) (Snapshot<?>) clean;
        assertThatThrownBy(() -> Demo.FAMILY.restoreInPlace(loaded, wrong))
            .isInstanceOfSatisfying(
                SnapshotIncompatibleException.class,
                e -> assertThat(e.reason()).isEqualTo(SnapshotIncompatibleException.Reason.STATE));
        assertThat(loaded.status()).isEqualTo(SandboxStatus.ready());
        loaded.call("f");
      }
    }
  }

  @Test
  void theJournalKeepsTheMostRecentEntriesOfASandboxRestoredForever() throws Exception {
    Fixtures f = Fixtures.create();
    try (DemoRuntime runtime = Demo.LOAD_RUNTIME.apply(f.proto())) {
      Snapshot<DemoRuntime> clean = Demo.FAMILY.snapshot(runtime);
      int restores = dev.molt.api.spi.StateHandle.JOURNAL_LIMIT * 3;
      for (int i = 0; i < restores; i++) {
        Demo.FAMILY.restoreInPlace(runtime, clean);
      }
      var journal = Demo.FAMILY.journal(runtime);
      assertThat(journal).hasSize(dev.molt.api.spi.StateHandle.JOURNAL_LIMIT);
      assertThat(journal.getLast().sequence()).isEqualTo(restores + 1L); // + loadRuntime
      assertThat(journal.getFirst().sequence()).isEqualTo(restores + 2L - journal.size());
    }
  }

  @Test
  void openingANonEntryStateIsRejectedAndTheSubstrateClosed() {
    MemorySubstrate m = MemorySubstrate.create(HostFunctions.defaults());
    assertThatThrownBy(() -> Demo.FAMILY.open(m, DemoLoaded.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DemoLoaded is not an entry state of Demo (entry states: [DemoProto])");
    assertThat(m.closes()).isEqualTo(1);
  }

  @Test
  void theFamilyDiscoversItsStatesAndEntries() {
    assertThat(Demo.FAMILY.states()).containsExactly(DemoProto.class, DemoRuntime.class, DemoLoaded.class);
    assertThat(Demo.FAMILY.entryStates()).containsExactly(DemoProto.class);
  }
}
