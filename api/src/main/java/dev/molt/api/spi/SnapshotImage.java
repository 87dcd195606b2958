package dev.molt.api.spi;

/**
 * The substrate-specific content of a snapshot (guest memory, registers), opaque to everything
 * but the substrate that captured it. Must be immutable; may be shared by many sandboxes.
 */
public interface SnapshotImage {

  /**
   * The image's size in bytes, for diagnostics and limits.
   *
   * @return a non-negative size
   */
  long sizeBytes();
}
