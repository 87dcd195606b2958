package dev.molt.examples.wasm;

import java.util.Locale;

/** A WebAssembly value type, with the byte that encodes it in the binary format. */
public enum WasmType {
  /** 32-bit integer. */
  I32(0x7F),
  /** 64-bit integer. */
  I64(0x7E),
  /** 32-bit IEEE 754 float. */
  F32(0x7D),
  /** 64-bit IEEE 754 float. */
  F64(0x7C),
  /** A reference to a function (opaque to the host). */
  FUNCREF(0x70),
  /** A reference to a host value. */
  EXTERNREF(0x6F);

  private final int code;

  WasmType(int code) {
    this.code = code;
  }

  /**
   * The type's byte in the WebAssembly binary format (also the tag of the guest's value encoding).
   *
   * @return the code, 0x6F to 0x7F
   */
  public int code() {
    return code;
  }

  /**
   * The type's name in the text format: {@code i32}, {@code i64}, {@code f32}, {@code f64}, {@code
   * funcref}, {@code externref}.
   *
   * @return the name
   */
  public String textName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The type named {@code name} in the text format.
   *
   * @param name a text-format type name
   * @return the type
   * @throws IllegalArgumentException if no value type has that name
   */
  public static WasmType ofTextName(String name) {
    for (WasmType t : values()) {
      if (t.textName().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "'" + name + "' is not a WebAssembly value type (i32, i64, f32, f64, funcref, externref)");
  }

  /**
   * The type encoded by {@code code}.
   *
   * @param code a binary type code
   * @return the type
   * @throws IllegalArgumentException if no value type has that code
   */
  public static WasmType ofCode(int code) {
    for (WasmType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "0x" + Integer.toHexString(code) + " is not the code of a WebAssembly value type");
  }

  @Override
  public String toString() {
    return textName();
  }
}
