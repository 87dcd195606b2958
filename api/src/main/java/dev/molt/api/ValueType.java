package dev.molt.api;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The value types that cross the host–guest boundary, with the Java type that carries each.
 *
 * <table>
 *   <caption>Java representation</caption>
 *   <tr><th>type</th><th>Java value</th></tr>
 *   <tr><td>i32</td><td>{@link Integer}</td></tr>
 *   <tr><td>u32</td><td>{@link Long} in 0..2<sup>32</sup>-1</td></tr>
 *   <tr><td>i64</td><td>{@link Long}</td></tr>
 *   <tr><td>u64</td><td>{@link Long}, read as unsigned ({@link Long#toUnsignedString(long)})</td></tr>
 *   <tr><td>f32</td><td>{@link Float}</td></tr>
 *   <tr><td>f64</td><td>{@link Double}</td></tr>
 *   <tr><td>bool</td><td>{@link Boolean}</td></tr>
 *   <tr><td>string</td><td>{@link String}</td></tr>
 *   <tr><td>bytes</td><td>{@code byte[]}</td></tr>
 *   <tr><td>void</td><td>{@code null}; only as a result type</td></tr>
 * </table>
 */
public enum ValueType {
  /** Signed 32-bit integer. */
  I32("i32", Integer.class),
  /** Unsigned 32-bit integer. */
  U32("u32", Long.class),
  /** Signed 64-bit integer. */
  I64("i64", Long.class),
  /** Unsigned 64-bit integer. */
  U64("u64", Long.class),
  /** IEEE 754 single precision. */
  F32("f32", Float.class),
  /** IEEE 754 double precision. */
  F64("f64", Double.class),
  /** Boolean. */
  BOOL("bool", Boolean.class),
  /** UTF-8 string. */
  STRING("string", String.class),
  /** Byte array. */
  BYTES("bytes", byte[].class),
  /** No value; only valid as a result type. */
  VOID("void", Void.class);

  /** The lower-case name used in signatures and documentation. */
  private final String wireName;

  /** The Java class carrying a value of this type. */
  private final Class<?> javaType;

  ValueType(String wireName, Class<?> javaType) {
    this.wireName = wireName;
    this.javaType = javaType;
  }

  /**
   * The lower-case name used in signatures ({@code i32}, {@code string}, …).
   *
   * @return the name
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The Java class carrying a value of this type ({@link Void} for void).
   *
   * @return the class
   */
  public Class<?> javaType() {
    return javaType;
  }

  /**
   * Whether {@code value} is a valid Java value of this type (including range, for u32).
   *
   * @param value the value to check
   * @return true if it is
   */
  public boolean accepts(@Nullable Object value) {
    if (this == VOID) {
      return value == null;
    }
    if (!javaType.isInstance(value)) {
      return false;
    }
    return this != U32 || (((Long) Objects.requireNonNull(value)) >>> 32) == 0;
  }

  /**
   * The type named {@code wireName}.
   *
   * @param wireName a lower-case name such as {@code i32}
   * @return the type
   * @throws IllegalArgumentException if no type has that name
   */
  public static ValueType ofWireName(String wireName) {
    Objects.requireNonNull(wireName, "wireName");
    for (ValueType t : values()) {
      if (t.wireName.equals(wireName)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown value type '" + wireName + "'; expected one of i32, u32, i64, u64, f32, f64, bool, string, bytes, void");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
