package dev.molt.states.internal;

import dev.molt.api.ValueType;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Guest ABI v1 value type tags (§5.2). */
final class Tags {
  private static final ValueType[] BY_TAG = {
    ValueType.VOID,
    ValueType.I32,
    ValueType.U32,
    ValueType.I64,
    ValueType.U64,
    ValueType.F32,
    ValueType.F64,
    ValueType.BOOL,
    ValueType.STRING,
    ValueType.BYTES
  };

  private Tags() {}

  static @Nullable ValueType typeOf(int tag) {
    return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
  }

  static int tagOf(ValueType type) {
    return switch (type) {
      case VOID -> 0;
      case I32 -> 1;
      case U32 -> 2;
      case I64 -> 3;
      case U64 -> 4;
      case F32 -> 5;
      case F64 -> 6;
      case BOOL -> 7;
      case STRING -> 8;
      case BYTES -> 9;
    };
  }

  /** The data length of a scalar, or -1 for string and bytes. */
  static int fixedLength(ValueType type) {
    return switch (type) {
      case VOID -> 0;
      case BOOL -> 1;
      case I32, U32, F32 -> 4;
      case I64, U64, F64 -> 8;
      case STRING, BYTES -> -1;
    };
  }
}
