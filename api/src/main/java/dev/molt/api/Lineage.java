package dev.molt.api;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * The identity of a sandbox's history: a sandbox created from a guest binary starts a new lineage;
 * a sandbox created from a snapshot joins the snapshot's. A snapshot is restorable only into a
 * sandbox of its lineage.
 *
 * @param id the identity
 */
public record Lineage(UUID id) implements Serializable {

  /**
   * Validates the id.
   *
   * @param id the identity
   */
  public Lineage {
    Objects.requireNonNull(id, "id");
  }

  /**
   * A new, unique lineage.
   *
   * @return a lineage with a random id
   */
  public static Lineage create() {
    return new Lineage(UUID.randomUUID());
  }

  @Override
  public String toString() {
    return "lineage " + id;
  }
}
