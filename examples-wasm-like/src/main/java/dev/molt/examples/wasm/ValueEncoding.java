package dev.molt.examples.wasm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's value encoding (README, "Value encoding"): per value its type code and a
 * little-endian payload of 4 (i32, f32) or 8 bytes (i64, f64, funcref, externref + 1).
 */
final class ValueEncoding {

  private ValueEncoding() {}

  static byte[] encode(List<WasmValue> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(values.size() * 9);
    for (WasmValue v : values) {
      out.write(v.type().code());
      switch (v) {
        case WasmValue.I32(int x) -> put(out, x, 4);
        case WasmValue.F32(int bits) -> put(out, bits, 4);
        case WasmValue.I64(long x) -> put(out, x, 8);
        case WasmValue.F64(long bits) -> put(out, bits, 8);
        case WasmValue.FuncRef(long opaque) -> put(out, opaque, 8);
        case WasmValue.ExternRef r -> put(out, r.isNull() ? 0 : r.value() + 1, 8);
      }
    }
    return out.toByteArray();
  }

  private static void put(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (value >>> (8 * i)) & 0xFF);
    }
  }

  /**
   * Decodes exactly {@code types.size()} values of those types.
   *
   * @throws IllegalArgumentException naming the first problem (bytes came from the guest: hostile)
   */
  static List<WasmValue> decode(byte[] bytes, List<WasmType> types) {
    List<WasmValue> values = new ArrayList<>(types.size());
    int at = 0;
    for (int i = 0; i < types.size(); i++) {
      WasmType want = types.get(i);
      if (at >= bytes.length) {
        throw new IllegalArgumentException(types.size() + " values expected, " + i + " encoded");
      }
      int tag = bytes[at++] & 0xFF;
      if (tag != want.code()) {
        throw new IllegalArgumentException(
            "value " + i + " has type code 0x" + Integer.toHexString(tag) + ", expected " + want);
      }
      int size = want == WasmType.I32 || want == WasmType.F32 ? 4 : 8;
      if (bytes.length - at < size) {
        throw new IllegalArgumentException("value " + i + " is truncated");
      }
      long x = 0;
      for (int k = 0; k < size; k++) {
        x |= (bytes[at + k] & 0xFFL) << (8 * k);
      }
      at += size;
      values.add(
          switch (want) {
            case I32 -> WasmValue.i32((int) x);
            case F32 -> new WasmValue.F32((int) x);
            case I64 -> WasmValue.i64(x);
            case F64 -> new WasmValue.F64(x);
            case FUNCREF -> new WasmValue.FuncRef(x);
            case EXTERNREF -> x == 0 ? WasmValue.ExternRef.NULL : WasmValue.ExternRef.of(x - 1);
          });
    }
    if (at != bytes.length) {
      throw new IllegalArgumentException((bytes.length - at) + " bytes after the last of " + types.size() + " values");
    }
    return List.copyOf(values);
  }
}
