package dev.molt.api.spi;

import com.google.common.collect.MapMaker;
import dev.molt.api.JournalEntry;
import dev.molt.api.TransitionDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the handles of one sandbox share: the substrate, the journal, the rollback points and the
 * snapshot generation counter. One per sandbox; every move hands it on.
 *
 * @param <B> the substrate type
 */
final class Lease<B extends Substrate> {

  /** The substrate; closed by whichever handle is live when it is closed. */
  final B substrate;

  private final AtomicLong generations = new AtomicLong();
  /** The most recent transitions; older ones are dropped (a pooled sandbox restores forever). */
  private final java.util.ArrayDeque<JournalEntry> journal = new java.util.ArrayDeque<>();

  private long journaled;
  private final List<RollbackPoint<?>> rollbackPoints = new ArrayList<>();

  /** The rollback points in force when each image was captured (weak, identity keys). */
  private final Map<SnapshotImage, List<RollbackPoint<?>>> pointsAtCapture =
      new MapMaker().weakKeys().makeMap();

  Lease(B substrate) {
    this.substrate = substrate;
  }

  long nextGeneration() {
    return generations.getAndIncrement();
  }

  synchronized void record(
      TransitionDescriptor d, String from, String to, JournalEntry.Outcome outcome, String detail) {
    if (journal.size() == StateHandle.JOURNAL_LIMIT) {
      journal.removeFirst();
    }
    journal.addLast(new JournalEntry(++journaled, d.name(), d.kind(), from, to, outcome, detail));
  }

  synchronized List<JournalEntry> journal() {
    return List.copyOf(journal);
  }

  synchronized void push(RollbackPoint<?> point) {
    rollbackPoints.add(point);
  }

  synchronized List<RollbackPoint<?>> rollbackPoints() {
    return List.copyOf(rollbackPoints);
  }

  synchronized void resetRollbackPoints(List<RollbackPoint<?>> points) {
    rollbackPoints.clear();
    rollbackPoints.addAll(points);
  }

  /** The newest point recorded by an evolve equal to {@code recordedBy}, or null. */
  synchronized @org.checkerframework.checker.nullness.qual.Nullable RollbackPoint<?> newest(
      Object recordedBy) {
    for (int i = rollbackPoints.size() - 1; i >= 0; i--) {
      if (rollbackPoints.get(i).recordedByKey().equals(recordedBy)) {
        return rollbackPoints.get(i);
      }
    }
    return null;
  }

  void rememberPoints(SnapshotImage image) {
    pointsAtCapture.put(image, rollbackPoints());
  }

  /** Rollback points in force when {@code image} was captured in this sandbox, or none. */
  List<RollbackPoint<?>> pointsAt(SnapshotImage image) {
    List<RollbackPoint<?>> points = pointsAtCapture.get(image);
    return points == null ? List.of() : points;
  }
}
