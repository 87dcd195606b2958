package dev.molt.archrules;

import static dev.molt.archrules.Fixtures.at;
import static dev.molt.archrules.Fixtures.bad;
import static dev.molt.archrules.Fixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The parameterised rules: what a custom package list changes, and every kind of bad input. */
class SandboxRulesFactoryTest {

  @Test
  void statesDoNotExposeChecksOnlyTheGivenPackages() {
    ArchRule rule = SandboxRules.statesDoNotExpose("jnr..");
    assertThat(violations(rule, Fixtures.ALL))
        .containsExactlyInAnyOrder(
            at(
                "Method <"
                    + bad("exposure.Turbine.pointer()")
                    + "> of sandbox type <"
                    + bad("exposure.Turbine")
                    + "> returns substrate type <jnr.ffi.Pointer>",
                "Turbine"),
            at(
                "Method <"
                    + bad("exposure.NativeBase.base()")
                    + "> of sandbox type <"
                    + bad("exposure.Turbine")
                    + "> returns substrate type <jnr.ffi.Pointer>",
                "Turbine"));
    assertThat(rule.getDescription())
        .startsWith("Public members of sandbox types expose no type from jnr.., because");
  }

  @Test
  void statesDoNotExposeAcceptsWhateverPackagesAProjectTreatsAsSubstrate() {
    ArchRule rule = SandboxRules.statesDoNotExpose("java.util..");
    assertThat(violations(rule, Fixtures.importPackage(Fixtures.GOOD)))
        .containsExactlyInAnyOrder(
            at(
                "Method <dev.molt.archrules.fixtures.good.Bright.label()> of sandbox type"
                    + " <dev.molt.archrules.fixtures.good.Bright> returns substrate type"
                    + " <java.util.Optional>",
                "Bright"),
            at(
                "Method <dev.molt.archrules.fixtures.good.Off.log()> of sandbox type"
                    + " <dev.molt.archrules.fixtures.good.Off> returns substrate type"
                    + " <java.util.List>",
                "Off"));
  }

  @Test
  void transitionsAreStatelessWithOtherSubstrateStillReportsStateAndMutableFields() {
    assertThat(violations(SandboxRules.transitionsAreStateless("jnr.."), Fixtures.ALL))
        .hasSize(6)
        .noneMatch(message -> message.contains("substrate"));
  }

  @Test
  void publicApiDoesNotExposeChecksEveryPublicTypeTheSelectionPicks() {
    ArchRule rule =
        SandboxRules.publicApiDoesNotExpose(
            JavaClass.Predicates.resideInAPackage(Fixtures.GOOD), "java.util.function..");
    assertThat(violations(rule, Fixtures.ALL)).isEmpty();
    assertThat(
            violations(
                SandboxRules.publicApiDoesNotExpose(
                    JavaClass.Predicates.simpleName("Then"), "java.util.."),
                Fixtures.ALL))
        .isEmpty();
    assertThat(
            violations(
                SandboxRules.publicApiDoesNotExpose(
                    JavaClass.Predicates.simpleName("Off"), "java.util.."),
                Fixtures.ALL))
        .containsExactly(
            at(
                "Method <dev.molt.archrules.fixtures.good.Off.log()> of public type"
                    + " <dev.molt.archrules.fixtures.good.Off> returns substrate type"
                    + " <java.util.List>",
                "Off"));
    assertThat(rule.getDescription())
        .startsWith(
            "Public members of public types that reside in a package"
                + " 'dev.molt.archrules.fixtures.good' expose no type from java.util.function..,"
                + " because");
  }

  @Test
  void publicApiDoesNotExposeRejectsANullSelection() {
    assertThatThrownBy(() -> SandboxRules.publicApiDoesNotExpose(null, "jnr.."))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("types is null");
  }

  @Test
  void factoriesRejectANullArray() {
    forEachFactory(
        factory ->
            assertThatThrownBy(() -> factory.apply(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("packageIdentifiers is null"));
  }

  @Test
  void factoriesRejectAnEmptyArray() {
    forEachFactory(
        factory ->
            assertThatThrownBy(() -> factory.apply(new String[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                    "name at least one package identifier, e.g. \"jnr..\" or"
                        + " \"com.example.native..\""));
  }

  @Test
  void factoriesRejectANullElementNamingItsIndex() {
    forEachFactory(
        factory ->
            assertThatThrownBy(() -> factory.apply(new String[] {"jnr..", null}))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("packageIdentifiers[1] is null"));
  }

  @Test
  void factoriesRejectABlankElementNamingItsIndex() {
    forEachFactory(
        factory ->
            assertThatThrownBy(() -> factory.apply(new String[] {"  "}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("packageIdentifiers[0] is blank; use e.g. \"jnr..\""));
  }

  @Test
  void factoriesRejectAMalformedIdentifierNamingIt() {
    forEachFactory(
        factory ->
            assertThatThrownBy(() -> factory.apply(new String[] {"jnr...ffi"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                    "packageIdentifiers[0] \"jnr...ffi\" is not an ArchUnit package identifier: "));
  }

  private static void forEachFactory(Consumer<Function<String[], ArchRule>> test) {
    test.accept(SandboxRules::statesDoNotExpose);
    test.accept(SandboxRules::transitionsAreStateless);
    test.accept(
        ids -> SandboxRules.publicApiDoesNotExpose(JavaClass.Predicates.ANONYMOUS_CLASSES, ids));
  }
}
