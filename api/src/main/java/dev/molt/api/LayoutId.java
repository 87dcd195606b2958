package dev.molt.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * An opaque fingerprint of a sandbox's guest memory layout (regions, sizes, ABI version), chosen
 * by the substrate. Two layouts are compatible exactly when their ids are equal.
 *
 * @param value the fingerprint; not blank
 */
public record LayoutId(String value) implements Serializable {

  /**
   * Validates the fingerprint.
   *
   * @param value the fingerprint
   * @throws IllegalArgumentException if blank
   */
  public LayoutId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("layout id must not be blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
