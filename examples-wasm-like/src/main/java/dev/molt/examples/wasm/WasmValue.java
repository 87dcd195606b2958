package dev.molt.examples.wasm;

/**
 * A WebAssembly value: the arguments and results of exported functions, host functions and
 * globals. Floats are kept as IEEE bit patterns, so NaN payloads survive a round trip and two
 * values are equal when their bits are.
 *
 * {@snippet :
 * List<WasmValue> r = loaded.call("fib", WasmValue.i32(20));
 * int fib20 = r.getFirst().asI32();
 * }
 */
public sealed interface WasmValue
    permits WasmValue.I32, WasmValue.I64, WasmValue.F32, WasmValue.F64, WasmValue.FuncRef, WasmValue.ExternRef {

  /**
   * The value's type.
   *
   * @return the type
   */
  WasmType type();

  /**
   * An {@code i32}.
   *
   * @param value the value (signedness is an operation's choice in WebAssembly)
   * @return the value
   */
  static I32 i32(int value) {
    return new I32(value);
  }

  /**
   * An {@code i64}.
   *
   * @param value the value
   * @return the value
   */
  static I64 i64(long value) {
    return new I64(value);
  }

  /**
   * An {@code f32}.
   *
   * @param value the value
   * @return the value
   */
  static F32 f32(float value) {
    return new F32(Float.floatToRawIntBits(value));
  }

  /**
   * An {@code f64}.
   *
   * @param value the value
   * @return the value
   */
  static F64 f64(double value) {
    return new F64(Double.doubleToRawLongBits(value));
  }

  /**
   * This {@code i32}'s value.
   *
   * @return the value
   * @throws IllegalStateException if this is not an {@code i32}
   */
  default int asI32() {
    if (this instanceof I32(int v)) {
      return v;
    }
    throw wrongType(WasmType.I32);
  }

  /**
   * This {@code i64}'s value.
   *
   * @return the value
   * @throws IllegalStateException if this is not an {@code i64}
   */
  default long asI64() {
    if (this instanceof I64(long v)) {
      return v;
    }
    throw wrongType(WasmType.I64);
  }

  /**
   * This {@code f32}'s value.
   *
   * @return the value
   * @throws IllegalStateException if this is not an {@code f32}
   */
  default float asF32() {
    if (this instanceof F32 f) {
      return f.value();
    }
    throw wrongType(WasmType.F32);
  }

  /**
   * This {@code f64}'s value.
   *
   * @return the value
   * @throws IllegalStateException if this is not an {@code f64}
   */
  default double asF64() {
    if (this instanceof F64 f) {
      return f.value();
    }
    throw wrongType(WasmType.F64);
  }

  private IllegalStateException wrongType(WasmType wanted) {
    return new IllegalStateException("the value " + this + " is not an " + wanted);
  }

  /**
   * An {@code i32}.
   *
   * @param value the value
   */
  record I32(int value) implements WasmValue {
    @Override
    public WasmType type() {
      return WasmType.I32;
    }

    @Override
    public String toString() {
      return "i32:" + value;
    }
  }

  /**
   * An {@code i64}.
   *
   * @param value the value
   */
  record I64(long value) implements WasmValue {
    @Override
    public WasmType type() {
      return WasmType.I64;
    }

    @Override
    public String toString() {
      return "i64:" + value;
    }
  }

  /**
   * An {@code f32}, by its IEEE 754 bit pattern.
   *
   * @param bits the bit pattern
   */
  record F32(int bits) implements WasmValue {
    /**
     * The value as a Java float (a NaN's payload may not survive Java float arithmetic; {@link
     * #bits()} keeps it).
     *
     * @return the value
     */
    public float value() {
      return Float.intBitsToFloat(bits);
    }

    @Override
    public WasmType type() {
      return WasmType.F32;
    }

    @Override
    public String toString() {
      return "f32:" + value() + (Float.isNaN(value()) ? "(0x" + Integer.toHexString(bits) + ")" : "");
    }
  }

  /**
   * An {@code f64}, by its IEEE 754 bit pattern.
   *
   * @param bits the bit pattern
   */
  record F64(long bits) implements WasmValue {
    /**
     * The value as a Java double.
     *
     * @return the value
     */
    public double value() {
      return Double.longBitsToDouble(bits);
    }

    @Override
    public WasmType type() {
      return WasmType.F64;
    }

    @Override
    public String toString() {
      return "f64:" + value() + (Double.isNaN(value()) ? "(0x" + Long.toHexString(bits) + ")" : "");
    }
  }

  /**
   * A {@code funcref}: opaque to the host (a value the engine gave out); 0 is null.
   *
   * @param opaque the engine's value, or 0 for null
   */
  record FuncRef(long opaque) implements WasmValue {
    /** The null function reference. */
    public static final FuncRef NULL = new FuncRef(0);

    /**
     * Whether this is the null reference.
     *
     * @return true for null
     */
    public boolean isNull() {
      return opaque == 0;
    }

    @Override
    public WasmType type() {
      return WasmType.FUNCREF;
    }

    @Override
    public String toString() {
      return isNull() ? "funcref:null" : "funcref:0x" + Long.toHexString(opaque);
    }
  }

  /**
   * An {@code externref}: a host value the module can hold and pass back but not inspect.
   *
   * @param isNull whether this is the null reference
   * @param value the host's value ({@code 0} when null); at most {@code 2^64 - 2} as an unsigned
   *     number (the engine stores it plus one)
   */
  record ExternRef(boolean isNull, long value) implements WasmValue {
    /** The null extern reference. */
    public static final ExternRef NULL = new ExternRef(true, 0);

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if a null reference carries a value, or the value is
     *     {@code -1} (2^64 - 1: not representable)
     */
    public ExternRef {
      if (isNull && value != 0) {
        throw new IllegalArgumentException("a null externref carries no value, got " + value);
      }
      if (value == -1) {
        throw new IllegalArgumentException(
            "externref value 2^64-1 (-1) cannot be represented: the engine stores the value + 1");
      }
    }

    /**
     * A non-null extern reference.
     *
     * @param value the host's value, not {@code -1}
     * @return the reference
     * @throws IllegalArgumentException if {@code value} is {@code -1}
     */
    public static ExternRef of(long value) {
      return new ExternRef(false, value);
    }

    @Override
    public WasmType type() {
      return WasmType.EXTERNREF;
    }

    @Override
    public String toString() {
      return isNull ? "externref:null" : "externref:" + Long.toUnsignedString(value);
    }
  }
}
