package dev.molt.api.spi;

import dev.molt.api.Sandbox;
import dev.molt.api.Snapshot;
import java.util.List;
import org.checkerframework.checker.mustcall.qual.NotOwning;

/**
 * A snapshot of a state taken before something that may need undoing: an {@link
 * dev.molt.api.Evolve} records one (the matching devolve restores it) and a chain marks one
 * before its first step (a failing step restores it). Created by {@link StateFamily}.
 *
 * @param <S> the state it restores
 */
public final class RollbackPoint<S extends Sandbox> {

  private final Snapshot<S> snapshot;
  private final String name;
  private final Object recordedBy;
  private final StateHandle<?> origin;
  private final List<RollbackPoint<?>> pointsBefore;

  RollbackPoint(
      Snapshot<S> snapshot,
      String name,
      Object recordedBy,
      StateHandle<?> origin,
      List<RollbackPoint<?>> pointsBefore) {
    this.snapshot = snapshot;
    this.name = name;
    this.recordedBy = recordedBy;
    this.origin = origin;
    this.pointsBefore = List.copyOf(pointsBefore);
  }

  /**
   * The snapshot this point restores.
   *
   * @return the snapshot
   */
  public Snapshot<S> snapshot() {
    return snapshot;
  }

  /**
   * The name of what recorded it (an evolve's or a chain's name).
   *
   * @return the name
   */
  public String recordedBy() {
    return name;
  }

  Object recordedByKey() {
    return recordedBy;
  }

  @NotOwning StateHandle<?> origin() {
    return origin;
  }

  List<RollbackPoint<?>> pointsBefore() {
    return pointsBefore;
  }

  @Override
  public String toString() {
    return "RollbackPoint[" + name + ", " + snapshot + "]";
  }
}
