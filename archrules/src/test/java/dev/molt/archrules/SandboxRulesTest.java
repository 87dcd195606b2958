package dev.molt.archrules;

import static dev.molt.archrules.Fixtures.at;
import static dev.molt.archrules.Fixtures.bad;
import static dev.molt.archrules.Fixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.molt.api.Sandbox;
import dev.molt.api.Transition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Each rule is evaluated over every fixture (good, bad and layering) and must report exactly the
 * violations planted for it: nothing missing, nothing extra.
 */
class SandboxRulesTest {

  private static final JavaClasses FIXTURES = Fixtures.ALL;

  @Test
  void fixtureImportHoldsEveryPlantedStateFamilyAndTransition() {
    assertThat(count(SandboxRulesTest::isState)).isEqualTo(20);
    assertThat(count(type -> type.isInterface() && isSandboxType(type))).isEqualTo(14);
    assertThat(count(type -> !type.isInterface() && type.isAssignableTo(Transition.class)))
        .isEqualTo(11);
  }

  @Test
  void publicSelectionsPickStatesSealedFamiliesAndTransitions() {
    assertThat(FIXTURES.that(SandboxRules.states()))
        .containsExactlyInAnyOrderElementsOf(FIXTURES.that(describe(SandboxRulesTest::isState)));
    assertThat(FIXTURES.that(SandboxRules.families()))
        .extracting(JavaClass::getSimpleName)
        .containsExactlyInAnyOrder(
            "Lamp", "Lit", "Kettle", "Door", "Land", "Water", "Vault", "Valve", "Nest", "Pump",
            "Engine", "Core");
    assertThat(FIXTURES.that(SandboxRules.transitions()))
        .extracting(JavaClass::getSimpleName)
        .containsExactlyInAnyOrder(
            "SwitchOn", "Brighten", "Dimmer", "Then", "CountingStart", "GlobalStart",
            "RememberingStop", "Replay", "Rollback", "ScratchStart", "");
  }

  @Test
  void statesAreFinalReportsTheNonSealedState() {
    assertThat(violations(SandboxRules.STATES_ARE_FINAL, FIXTURES))
        .containsExactly(
            at("State <" + bad("notfinal.OpenDoor") + "> is not final", "OpenDoor"));
  }

  @Test
  void statesBelongToExactlyOneFamilyReportsLoneAndDoubleAndUnsealedMembership() {
    assertThat(violations(SandboxRules.STATES_BELONG_TO_EXACTLY_ONE_FAMILY, FIXTURES))
        .containsExactlyInAnyOrder(
            at("State <" + bad("family.Loner") + "> implements no sealed family", "Loner"),
            at(
                "State <"
                    + bad("family.Amphibian")
                    + "> implements 2 sealed families <"
                    + bad("family.Land")
                    + ">, <"
                    + bad("family.Water")
                    + ">",
                "Amphibian"),
            at("State <" + bad("unsealed.Drifter") + "> implements no sealed family", "Drifter"));
  }

  @Test
  void familiesAreSealedReportsPlainAndNonSealedInterfaces() {
    assertThat(violations(SandboxRules.FAMILIES_ARE_SEALED, FIXTURES))
        .containsExactlyInAnyOrder(
            at(
                "Interface <" + bad("unsealed.Drifting") + "> extends Sandbox but is not sealed",
                "Drifting"),
            at(
                "Interface <" + bad("unsealed.Ajar") + "> extends Sandbox but is not sealed",
                "Ajar"));
  }

  @Test
  void familyBaseClassesAreSealedReportsTheNonSealedAbstractClass() {
    assertThat(violations(SandboxRules.FAMILY_BASE_CLASSES_ARE_SEALED, FIXTURES))
        .containsExactly(
            at(
                "Abstract class <"
                    + bad("unsealed.ReopenedBase")
                    + "> implements family <"
                    + bad("unsealed.Vault")
                    + "> but is not sealed",
                "ReopenedBase"));
  }

  @Test
  void statesHaveNoPublicConstructorsReportsClassAndRecordConstructors() {
    assertThat(violations(SandboxRules.STATES_HAVE_NO_PUBLIC_CONSTRUCTORS, FIXTURES))
        .containsExactlyInAnyOrder(
            at(
                "State <"
                    + bad("constructors.PublicValve")
                    + "> has public constructor <"
                    + bad("constructors.PublicValve.<init>()")
                    + ">",
                "PublicValve"),
            at(
                "State <"
                    + bad("constructors.RecordValve")
                    + "> has public constructor <"
                    + bad("constructors.RecordValve.<init>(int)")
                    + ">",
                "RecordValve"));
  }

  @Test
  void statesHoldNoOtherStatesReportsDirectAndContainedStates() {
    assertThat(violations(SandboxRules.STATES_HOLD_NO_OTHER_STATES, FIXTURES))
        .containsExactlyInAnyOrder(
            at(
                "State <"
                    + bad("holding.Chick")
                    + "> holds a state in field <"
                    + bad("holding.Chick.origin")
                    + "> of type <"
                    + bad("holding.Egg")
                    + ">",
                "Chick"),
            at(
                "State <"
                    + bad("holding.Egg")
                    + "> holds a state in field <"
                    + bad("holding.Egg.siblings")
                    + "> of type <java.util.List<dev.molt.api.Sandbox>>",
                "Egg"));
  }

  @Test
  void transitionsAreStatelessReportsMutableStateHoldingAndSubstrateFields() {
    String p = "transitions.";
    assertThat(violations(SandboxRules.TRANSITIONS_ARE_STATELESS, FIXTURES))
        .containsExactlyInAnyOrder(
            at(
                transition(p + "CountingStart")
                    + "has non-final field <"
                    + bad(p + "CountingStart.starts")
                    + ">",
                "CountingStart"),
            at(
                transition(p + "GlobalStart")
                    + "has non-final field <"
                    + bad(p + "GlobalStart.created")
                    + ">",
                "GlobalStart"),
            at(
                transition(p + "PumpTransitions$1")
                    + "holds a state in field <"
                    + bad(p + "PumpTransitions$1.val$witness")
                    + "> of type <"
                    + bad(p + "Idle")
                    + ">",
                "PumpTransitions"),
            at(
                transition(p + "RememberingStop")
                    + "holds a state in field <"
                    + bad(p + "RememberingStop.lastStopped")
                    + "> of type <java.util.concurrent.atomic.AtomicReference<"
                    + bad(p + "Running")
                    + ">>",
                "RememberingStop"),
            at(
                transition(p + "Replay")
                    + "holds a state in field <"
                    + bad(p + "Replay.saved")
                    + "> of type <"
                    + bad(p + "Running")
                    + ">",
                "Replay"),
            at(
                transition(p + "Rollback")
                    + "holds a state in field <"
                    + bad(p + "Rollback.saved")
                    + "> of type <S>",
                "Rollback"),
            at(
                transition(p + "ScratchStart")
                    + "holds substrate type <java.lang.foreign.MemorySegment> in field <"
                    + bad(p + "ScratchStart.scratch")
                    + ">",
                "ScratchStart"));
  }

  @Test
  void statesDoNotExposeSubstrateReportsEveryPublicMemberOfAPublicNonInternalSandboxType() {
    String turbine = " of sandbox type <" + bad("exposure.Turbine") + ">";
    String attach =
        "Method <"
            + bad("exposure.Turbine.attach(java.lang.foreign.MemorySegment,"
                + " java.lang.foreign.Arena)")
            + ">"
            + turbine;
    assertThat(violations(SandboxRules.STATES_DO_NOT_EXPOSE_SUBSTRATE, FIXTURES))
        .containsExactlyInAnyOrder(
            at(
                "Method <"
                    + bad("exposure.Engine.handle()")
                    + "> of sandbox type <"
                    + bad("exposure.Engine")
                    + "> returns substrate type <dev.molt.vmm.fixtures.VmmHandle>",
                "Engine"),
            at(
                "Method <"
                    + bad("exposure.Turbine.handle()")
                    + ">"
                    + turbine
                    + " returns substrate type <dev.molt.vmm.fixtures.VmmHandle>",
                "Turbine"),
            at(
                "Method <"
                    + bad("exposure.Turbine.memoryIo()")
                    + ">"
                    + turbine
                    + " returns substrate type <com.kenai.jffi.MemoryIO>",
                "Turbine"),
            at(
                "Method <"
                    + bad("exposure.Turbine.pointer()")
                    + ">"
                    + turbine
                    + " returns substrate type <jnr.ffi.Pointer>",
                "Turbine"),
            at(
                "Method <"
                    + bad("exposure.NativeBase.base()")
                    + ">"
                    + turbine
                    + " returns substrate type <jnr.ffi.Pointer>",
                "Turbine"),
            at(attach + " takes substrate type <java.lang.foreign.Arena>", "Turbine"),
            at(attach + " takes substrate type <java.lang.foreign.MemorySegment>", "Turbine"),
            at(
                "Method <"
                    + bad("exposure.Turbine.view()")
                    + ">"
                    + turbine
                    + " returns substrate type <java.lang.foreign.MemorySegment>",
                "Turbine"),
            at(
                "Method <"
                    + bad("exposure.Turbine.run()")
                    + ">"
                    + turbine
                    + " throws substrate type <dev.molt.vmm.fixtures.VmmFault>",
                "Turbine"),
            at(
                "Field <"
                    + bad("exposure.Turbine.window")
                    + ">"
                    + turbine
                    + " has substrate type <java.lang.foreign.MemorySegment>",
                "Turbine"));
  }

  @Test
  void substrateIsVmmJnrJffiAndForeignMemory() {
    assertThat(SandboxRules.SUBSTRATE_PACKAGES)
        .containsExactly("dev.molt.vmm..", "jnr..", "com.kenai.jffi..", "java.lang.foreign..");
  }

  @Test
  void goodFixturesViolateNoRule() {
    JavaClasses good = Fixtures.importPackage(Fixtures.GOOD);
    assertThat(good.stream().filter(SandboxRulesTest::isState)).hasSize(4);
    for (Map.Entry<String, ArchRule> rule : constants().entrySet()) {
      assertThat(violations(rule.getValue(), good)).as(rule.getKey()).isEmpty();
    }
    assertThat(violations(SandboxRules.all(), good)).isEmpty();
  }

  @Test
  void allReportsTheViolationsOfEveryRuleAndNothingElse() {
    List<String> union =
        constants().values().stream().flatMap(rule -> violations(rule, FIXTURES).stream()).toList();
    assertThat(union).hasSize(28);
    assertThat(violations(SandboxRules.all(), FIXTURES)).containsExactlyInAnyOrderElementsOf(union);
  }

  @Test
  void everyRuleAcceptsCodeWithNothingToCheck() {
    JavaClasses none = new ClassFileImporter().importClasses(String.class);
    for (Map.Entry<String, ArchRule> rule : constants().entrySet()) {
      assertThat(rule.getValue().evaluate(none).hasViolation()).as(rule.getKey()).isFalse();
    }
    assertThat(SandboxRules.all().evaluate(none).hasViolation()).isFalse();
  }

  @Test
  void everyRuleSaysWhatItChecksAndWhy() {
    assertThat(constants()).hasSize(8);
    for (Map.Entry<String, ArchRule> rule : constants().entrySet()) {
      assertThat(rule.getValue().getDescription())
          .as(rule.getKey())
          .matches("[A-Z].+, because [a-z].+[a-z]");
    }
  }

  @Test
  void rulesFindStatesWhoseSandboxSupertypeWasNotImported() {
    JavaClasses onlyTheState =
        new ClassFileImporter()
            .importClasses(dev.molt.archrules.fixtures.bad.family.Loner.class);
    assertThat(onlyTheState.contain(Sandbox.class)).isFalse();
    assertThat(violations(SandboxRules.STATES_BELONG_TO_EXACTLY_ONE_FAMILY, onlyTheState))
        .containsExactly(
            at("State <" + bad("family.Loner") + "> implements no sealed family", "Loner"));
  }

  @Test
  void sandboxRulesIsAFinalClassWithOnlyAPrivateConstructor() {
    JavaClass rules =
        new ClassFileImporter().importClasses(SandboxRules.class).get(SandboxRules.class);
    assertThat(rules.getModifiers()).contains(JavaModifier.PUBLIC, JavaModifier.FINAL);
    assertThat(rules.getConstructors())
        .singleElement()
        .satisfies(c -> assertThat(c.getModifiers()).contains(JavaModifier.PRIVATE));
  }

  /** Every {@code public static final ArchRule} constant of SandboxRules, by field name. */
  static Map<String, ArchRule> constants() {
    Map<String, ArchRule> rules = new TreeMap<>();
    for (java.lang.reflect.Field field : SandboxRules.class.getFields()) {
      if (field.getType() == ArchRule.class) {
        try {
          rules.put(field.getName(), (ArchRule) field.get(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return rules;
  }

  private static String transition(String relativeName) {
    return "Transition <" + bad(relativeName) + "> ";
  }

  private static DescribedPredicate<JavaClass> describe(Predicate<JavaClass> predicate) {
    return DescribedPredicate.describe("independently computed", predicate);
  }

  private static long count(Predicate<JavaClass> predicate) {
    return FIXTURES.stream().filter(predicate).count();
  }

  private static boolean isSandboxType(JavaClass type) {
    return type.isAssignableTo(Sandbox.class) && !type.isEquivalentTo(Sandbox.class);
  }

  private static boolean isState(JavaClass type) {
    return !type.isInterface()
        && !type.getModifiers().contains(JavaModifier.ABSTRACT)
        && isSandboxType(type);
  }
}
