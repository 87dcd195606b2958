package dev.molt.states.internal.snapshotfile;

import java.nio.charset.StandardCharsets;

/** The constants of snapshot file format 1.0 ({@code docs/snapshot-format.md}). */
final class SnapshotFileFormat {
  private SnapshotFileFormat() {}

  /** The first eight bytes of every snapshot file. */
  static final byte[] MAGIC = "MOLTSNAP".getBytes(StandardCharsets.US_ASCII);
  static final int MAJOR = 2;
  static final int MINOR = 0;
  /** magic 8, major 2, minor 2, header size 4, file size 8, section count 4, reserved 4. */
  static final int FIXED_HEADER = 32;
  /** type 4, flags 4, offset 8, length 8, SHA-256 32. */
  static final int SECTION_ENTRY = 56;
  static final int DIGEST = 32;
  /** Every section starts at a multiple of this (the memory image can then be mapped). */
  static final long ALIGNMENT = 4096;

  static final int METADATA = 1;
  static final int VCPUS = 2;
  static final int MEMORY_LAYOUT = 3;
  static final int MEMORY = 4;
  static final int SECTIONS = 4;

  /** Largest size of the sections read into the heap (all but the memory image). */
  static final long MAX_SMALL_SECTION = 1 << 20;

  static int headerSize(int sections) {
    return FIXED_HEADER + sections * SECTION_ENTRY + DIGEST;
  }

  static String sectionName(int type) {
    return switch (type) {
      case METADATA -> "metadata";
      case VCPUS -> "vcpus";
      case MEMORY_LAYOUT -> "memory-layout";
      case MEMORY -> "memory";
      default -> "section type " + Integer.toUnsignedString(type);
    };
  }

  static long align(long offset) {
    return Math.addExact(offset, ALIGNMENT - 1) & -ALIGNMENT;
  }
}
