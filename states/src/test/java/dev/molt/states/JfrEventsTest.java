package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.GuestFaultException;
import dev.molt.testkit.RequiresKvm;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JFR events for create, evolve and each call, with duration, function and outcome. */
@RequiresKvm
class JfrEventsTest {

  @Test
  void createEvolveAndCallsAreRecorded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("molt.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("dev.molt.SandboxCreate").withoutThreshold();
      recording.enable("dev.molt.SandboxEvolve").withoutThreshold();
      recording.enable("dev.molt.GuestCall").withoutThreshold();
      recording.start();
      try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
        sandbox.call("CallHostAdd", Integer.class, 1, 2);
        try {
          sandbox.call("NullDeref", Long.class);
        } catch (GuestFaultException expected) {
          // recorded as the call's outcome
        }
      }
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    RecordedEvent create = only(events, "dev.molt.SandboxCreate");
    assertThat(create.getString("outcome")).isEqualTo("created");
    assertThat(create.getLong("memorySize")).isEqualTo(16L << 20);
    RecordedEvent evolve = only(events, "dev.molt.SandboxEvolve");
    assertThat(evolve.getString("outcome")).isEqualTo("initialised");
    assertThat(evolve.getInt("functions")).isEqualTo(37);
    List<RecordedEvent> calls =
        events.stream().filter(e -> e.getEventType().getName().equals("dev.molt.GuestCall")).toList();
    assertThat(calls).extracting(e -> e.getString("function")).containsExactly("CallHostAdd", "NullDeref");
    assertThat(calls).extracting(e -> e.getString("outcome")).containsExactly("returned", "GuestFaultException");
    assertThat(calls.get(0).getInt("hostCalls")).isEqualTo(1);
    assertThat(calls.get(0).getDuration()).isPositive();
  }

  @Test
  void snapshotRestoreSaveAndLoadAreRecorded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("molt.jfr");
    Path saved = dir.resolve("s.molt");
    try (Recording recording = new Recording()) {
      for (String name :
          List.of("dev.molt.SandboxSnapshot", "dev.molt.SandboxRestore", "dev.molt.SnapshotSave", "dev.molt.SnapshotLoad")) {
        recording.enable(name).withoutThreshold();
      }
      recording.start();
      try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
        dev.molt.api.Snapshot<MultiUseSandbox> snapshot = sandbox.snapshot();
        sandbox.snapshot(); // nothing changed: the image is reused
        sandbox.call("Counter", Long.class);
        sandbox.restore(snapshot);
        SandboxSnapshots.save(snapshot, saved);
        SandboxSnapshots.load(saved, MultiUseSandbox.class);
      }
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<RecordedEvent> snapshots =
        events.stream().filter(e -> e.getEventType().getName().equals("dev.molt.SandboxSnapshot")).toList();
    // The first is the rollback point initialise recorded (the evolve), then the two above.
    assertThat(snapshots).extracting(e -> e.getString("outcome")).containsOnly("captured").hasSize(3);
    assertThat(snapshots).extracting(e -> e.getBoolean("reused")).containsExactly(false, false, true);
    assertThat(snapshots.get(1).getLong("populatedPages")).isPositive();
    RecordedEvent restore = only(events, "dev.molt.SandboxRestore");
    assertThat(restore.getString("outcome")).isEqualTo("restored");
    assertThat(restore.getLong("pagesCopied")).isPositive();
    RecordedEvent save = only(events, "dev.molt.SnapshotSave");
    assertThat(save.getString("outcome")).isEqualTo("saved");
    assertThat(save.getString("path")).isEqualTo(saved.toString());
    RecordedEvent load = only(events, "dev.molt.SnapshotLoad");
    assertThat(load.getString("outcome")).isEqualTo("loaded");
    assertThat(load.getLong("memorySize")).isEqualTo(16L << 20);
  }

  private static RecordedEvent only(List<RecordedEvent> events, String name) {
    List<RecordedEvent> matching = events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    assertThat(matching).as(name).hasSize(1);
    return matching.get(0);
  }
}
