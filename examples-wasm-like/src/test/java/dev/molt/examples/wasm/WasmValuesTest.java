package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Values, types and the guest's value encoding, without KVM. */
class WasmValuesTest {

  private static final List<WasmValue> ALL_KINDS =
      List.of(
          WasmValue.i32(-1),
          WasmValue.i64(Long.MIN_VALUE),
          new WasmValue.F32(0x7fa00001), // a signalling NaN payload
          WasmValue.f64(-0.0),
          new WasmValue.FuncRef(0x1234),
          WasmValue.ExternRef.of(7),
          WasmValue.ExternRef.NULL);

  private static List<WasmType> types(List<WasmValue> values) {
    return values.stream().map(WasmValue::type).toList();
  }

  @Test
  void everyKindOfValueSurvivesTheEncodingBitForBit() {
    byte[] encoded = ValueEncoding.encode(ALL_KINDS);
    assertThat(encoded).hasSize(5 + 9 + 5 + 9 + 9 + 9 + 9);
    assertThat(ValueEncoding.decode(encoded, types(ALL_KINDS))).isEqualTo(ALL_KINDS);
  }

  @Test
  void theEncodingIsTheGuestsTagThenLittleEndianPayload() {
    assertThat(ValueEncoding.encode(List.of(WasmValue.i32(0x01020304), WasmValue.ExternRef.of(0))))
        .containsExactly(0x7F, 4, 3, 2, 1, 0x6F, 1, 0, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void decodingRejectsAWrongTagNamingTheValue() {
    assertThatThrownBy(() -> ValueEncoding.decode(new byte[] {0x7E, 0, 0, 0, 0, 0, 0, 0, 0}, List.of(WasmType.I32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value 0 has type code 0x7e, expected i32");
  }

  @Test
  void decodingRejectsTruncatedMissingAndTrailingBytes() {
    assertThatThrownBy(() -> ValueEncoding.decode(new byte[] {0x7F, 0, 0}, List.of(WasmType.I32)))
        .hasMessage("value 0 is truncated");
    assertThatThrownBy(() -> ValueEncoding.decode(new byte[0], List.of(WasmType.I32)))
        .hasMessage("1 values expected, 0 encoded");
    assertThatThrownBy(() -> ValueEncoding.decode(new byte[] {0x7F, 0, 0, 0, 0, 9}, List.of(WasmType.I32)))
        .hasMessage("1 bytes after the last of 1 values");
  }

  @Test
  void floatValuesCompareByBits() {
    assertThat(WasmValue.f32(Float.NaN)).isEqualTo(WasmValue.f32(Float.NaN));
    assertThat(WasmValue.f64(0.0)).isNotEqualTo(WasmValue.f64(-0.0));
    assertThat(WasmValue.f32(1.5f).asF32()).isEqualTo(1.5f);
  }

  @Test
  void readingAValueAsAnotherTypeIsAnIllegalState() {
    assertThatThrownBy(() -> WasmValue.i64(3).asI32())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the value i64:3 is not an i32");
  }

  @Test
  void anExternRefCannotCarryMinusOneOrANullValue() {
    assertThatThrownBy(() -> WasmValue.ExternRef.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WasmValue.ExternRef(true, 5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void typesHaveTheirBinaryCodesAndTextNames() {
    assertThat(WasmType.ofCode(0x7C)).isEqualTo(WasmType.F64);
    assertThat(WasmType.ofTextName("externref")).isEqualTo(WasmType.EXTERNREF);
    assertThatThrownBy(() -> WasmType.ofTextName("v128"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'v128' is not a WebAssembly value type");
    assertThatThrownBy(() -> WasmType.ofCode(0x7B)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFunctionTypePrintsLikeTheSpecAndHasTheGuestsWireForm() {
    WasmFunctionType t = WasmFunctionType.params(WasmType.I32, WasmType.F64).returning(WasmType.I64);
    assertThat(t).hasToString("(i32, f64) -> (i64)");
    assertThat(t.wireForm()).isEqualTo("i32,f64 i64");
    assertThat(WasmFunctionType.params().wireForm()).isEqualTo("- -");
  }

  @Test
  void aFunctionTypeHasAtMost64ParametersAndResults() {
    WasmType[] many = new WasmType[65];
    java.util.Arrays.fill(many, WasmType.I32);
    assertThatThrownBy(() -> WasmFunctionType.params(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64 parameters");
  }

  @Test
  void importsRejectASecondFunctionOfTheSameModuleAndName() {
    WasmImports.Builder b =
        WasmImports.builder().i32Function("env", "f", 1, args -> args[0]);
    assertThatThrownBy(() -> b.i32Function("env", "f", 2, args -> args[0] + args[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host function env.f is already defined as env.f(i32) -> (i32)");
  }

  @Test
  void aProcedureMustHaveNoResults() {
    assertThatThrownBy(
            () -> WasmImports.builder()
                .procedure("env", "p", WasmFunctionType.params().returning(WasmType.I32), args -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a procedure has no results, but the type is () -> (i32)");
  }

  @Test
  void importsKeepTheirOrderAndNoneIsEmpty() {
    WasmImports imports =
        WasmImports.builder().i32Function("b", "x", 0, a -> 1).i32Function("a", "y", 0, a -> 2).build();
    assertThat(imports.functions()).extracting(WasmHostFunction::module).containsExactly("b", "a");
    assertThat(WasmImports.none().functions()).isEmpty();
    assertThat(WasmImports.builder().build()).isSameAs(WasmImports.none());
  }
}
