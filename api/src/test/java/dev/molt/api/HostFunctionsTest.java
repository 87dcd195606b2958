package dev.molt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostFunctionsTest {

  private static final HostFunction ADD =
      HostFunction.of(
          "Add",
          HostFunctionSignature.of(ValueType.I64, ValueType.I64, ValueType.I64),
          args -> (Long) args.get(0) + (Long) args.get(1));

  @Test
  void defaultsContainHostPrintWithIdZero() {
    HostFunctions d = HostFunctions.defaults();
    assertThat(d.size()).isEqualTo(1);
    assertThat(d.lookup(0)).get().extracting(HostFunction::name).isEqualTo("HostPrint");
    assertThat(d.lookup("HostPrint")).get().extracting(HostFunction::signature)
        .isEqualTo(HostPrint.SIGNATURE);
  }

  @Test
  void emptyHasNoFunctions() {
    assertThat(HostFunctions.empty().size()).isZero();
    assertThat(HostFunctions.empty().lookup("HostPrint")).isEmpty();
  }

  @Test
  void withReturnsANewRegistryAndLeavesTheOriginalUnchanged() {
    // @start region=registry
    HostFunctions base = HostFunctions.defaults();
    HostFunctions extended = base.with(ADD); // a new value; base is unchanged
    // @end region=registry
    assertThat(base.size()).isEqualTo(1);
    assertThat(extended.size()).isEqualTo(2);
    assertThat(extended.idOf("Add")).hasValue(1);
    assertThat(extended.lookup(1)).get().isSameAs(ADD);
  }

  @Test
  void duplicateNamesAreRejectedNamingTheExistingFunction() {
    HostFunctions r = HostFunctions.empty().with(ADD);
    assertThatThrownBy(() -> r.with(ADD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "host function 'Add' is already registered (id 0, Add(i64, i64) -> i64); names are"
                + " unique: use replacing(...) to swap it");
  }

  @Test
  void replacingKeepsTheIdAndRequiresAnExistingName() {
    HostFunction print = HostPrint.to(s -> {});
    HostFunctions r = HostFunctions.defaults().with(ADD).replacing(print);
    assertThat(r.lookup(0)).get().isSameAs(print);
    assertThatThrownBy(() -> HostFunctions.empty().replacing(print))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot replace host function 'HostPrint': it is not registered (registered: [])");
  }

  @Test
  void lookupOfUnknownNameOrIdIsEmpty() {
    HostFunctions r = HostFunctions.defaults();
    assertThat(r.lookup("Nope")).isEmpty();
    assertThat(r.lookup(1)).isEmpty();
    assertThat(r.lookup(-1)).isEmpty();
    assertThat(r.idOf("Nope")).isEmpty();
  }

  @Test
  void signaturesAreRecordedInIdOrder() {
    assertThat(HostFunctions.defaults().with(ADD).signatures())
        .containsExactly(
            Map.entry("HostPrint", HostPrint.SIGNATURE),
            Map.entry("Add", HostFunctionSignature.of(ValueType.I64, ValueType.I64, ValueType.I64)));
  }

  @Test
  void aSupersetWithEqualSignaturesSatisfies() {
    Map<String, HostFunctionSignature> required = HostFunctions.defaults().signatures();
    assertThat(HostFunctions.defaults().with(ADD).problemsAgainst(required)).isEmpty();
  }

  @Test
  void missingAndMismatchedFunctionsAreAllListed() {
    Map<String, HostFunctionSignature> required =
        Map.of(
            "Add", HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.I32),
            "HostPrint", HostPrint.SIGNATURE,
            "Log", HostFunctionSignature.of(ValueType.VOID, ValueType.STRING));
    HostFunctions offered = HostFunctions.empty().with(ADD);
    assertThatThrownBy(() -> offered.requireSatisfies(required))
        .isInstanceOfSatisfying(
            HostFunctionMismatchException.class,
            e -> {
              assertThat(e.problems())
                  .containsExactly(
                      new HostFunctionProblem.SignatureMismatch(
                          "Add",
                          HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.I32),
                          HostFunctionSignature.of(ValueType.I64, ValueType.I64, ValueType.I64)),
                      new HostFunctionProblem.Missing("HostPrint", HostPrint.SIGNATURE),
                      new HostFunctionProblem.Missing(
                          "Log", HostFunctionSignature.of(ValueType.VOID, ValueType.STRING)));
              assertThat(e.getMessage())
                  .isEqualTo(
                      "host functions do not match: Add requires (i32, i32) -> i32 but offers (i64,"
                          + " i64) -> i64; missing HostPrint(string) -> i32; missing Log(string) ->"
                          + " void [sandbox left Unrecoverable (no sandbox was created)]");
            });
  }

  @Test
  void invokeChecksArgumentsAgainstTheSignature() {
    assertThatThrownBy(() -> ADD.invoke(List.of(1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host function 'Add(i64, i64) -> i64' takes 2 arguments, got 1");
    assertThatThrownBy(() -> ADD.invoke(List.of(1L, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 1 of host function 'Add' must be i64, got Integer 2");
  }

  @Test
  void invokeReturnsTheBodysResult() throws Exception {
    assertThat(ADD.invoke(List.of(40L, 2L))).isEqualTo(42L);
  }

  @Test
  void hostPrintHandsTheMessageToItsSinkAndReturnsTheUtf8Length() throws Exception {
    List<String> printed = new ArrayList<>();
    HostFunction print = HostPrint.to(printed::add);
    assertThat(print.invoke(List.of("héllo"))).isEqualTo(6);
    assertThat(printed).containsExactly("héllo");
  }

  @Test
  void aThrowingBodyBecomesHostFunctionFailedLeavingTheSandboxReady() {
    IllegalStateException boom = new IllegalStateException("boom");
    HostFunction f =
        HostFunction.of("Fail", HostFunctionSignature.of(ValueType.VOID), args -> {
          throw boom;
        });
    assertThatThrownBy(() -> f.invoke(List.of()))
        .isInstanceOfSatisfying(
            HostFunctionFailedException.class,
            e -> {
              assertThat(e.function()).isEqualTo("Fail");
              assertThat(e.getCause()).isSameAs(boom);
              assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
            });
  }

  @Test
  void aResultOfTheWrongTypeIsAHostFunctionFailure() {
    HostFunction f = HostFunction.of("Bad", HostFunctionSignature.of(ValueType.BOOL), args -> "yes");
    assertThatThrownBy(() -> f.invoke(List.of()))
        .isInstanceOf(HostFunctionFailedException.class)
        .hasMessageContaining("returned String but its signature promises bool");
  }

  @Test
  void invalidNamesAreRejected() {
    HostFunctionSignature sig = HostFunctionSignature.of(ValueType.VOID);
    for (String bad : List.of("", "1abc", "has space", "a-b", "x".repeat(129))) {
      assertThatThrownBy(() -> HostFunction.of(bad, sig, args -> null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("host function name '" + bad + "' is invalid");
    }
  }

  @Test
  void voidParametersAndTooManyParametersAreRejected() {
    assertThatThrownBy(() -> HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.VOID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameter 1 is void: void is only valid as a result type");
    ValueType[] many = new ValueType[33];
    java.util.Arrays.fill(many, ValueType.I32);
    assertThatThrownBy(() -> HostFunctionSignature.of(ValueType.VOID, many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a host function takes at most 32 parameters, got 33");
  }

  @Test
  void signaturesPrintInWireNames() {
    assertThat(HostFunctionSignature.of(ValueType.BOOL, ValueType.STRING, ValueType.BYTES, ValueType.U64))
        .hasToString("(string, bytes, u64) -> bool");
  }

  @Test
  void valueTypesAcceptTheirJavaValuesOnly() {
    assertThat(ValueType.U32.accepts(0xFFFF_FFFFL)).isTrue();
    assertThat(ValueType.U32.accepts(0x1_0000_0000L)).isFalse();
    assertThat(ValueType.U32.accepts(-1L)).isFalse();
    assertThat(ValueType.I32.accepts(1L)).isFalse();
    assertThat(ValueType.BYTES.accepts(new byte[0])).isTrue();
    assertThat(ValueType.VOID.accepts(null)).isTrue();
    assertThat(ValueType.STRING.accepts(null)).isFalse();
  }

  @Test
  void valueTypesAreFoundByWireName() {
    assertThat(ValueType.ofWireName("f32")).isEqualTo(ValueType.F32);
    assertThatThrownBy(() -> ValueType.ofWireName("i128"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown value type 'i128'; expected one of i32, u32, i64, u64, f32, f64, bool, string,"
                + " bytes, void");
  }

  @Test
  void definingAHostFunction() throws Exception {
    // @start region=define
    HostFunction greet =
        HostFunction.of(
            "Greet",
            HostFunctionSignature.of(ValueType.STRING, ValueType.STRING),
            args -> "hello " + args.get(0));
    HostFunctions functions = HostFunctions.defaults().with(greet);
    // @end region=define
    assertThat(functions.lookup("Greet").orElseThrow().invoke(List.of("molt"))).isEqualTo("hello molt");
  }
}
