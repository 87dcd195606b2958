package dev.molt.archrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The layering rules against a miniature module tree with planted violations. */
class MoltLayeringTest {

  private static final String ROOT = Fixtures.ROOT + ".layering";
  private static final JavaClasses TREE = Fixtures.importPackage(ROOT);
  private static final MoltLayering LAYERING = MoltLayering.of(ROOT);
  private static final Map<String, Set<String>> FRIENDS =
      Map.of(ROOT + ".vmm.internal", Set.of(ROOT + ".states"));

  @Test
  void fixtureTreeHoldsEveryPlantedClass() {
    assertThat(TREE.stream().filter(type -> !type.getSimpleName().equals("package-info")))
        .hasSize(14);
  }

  @Test
  void onlyVmmTouchesTheNativeBindingReportsJnrInTransitionsAndStates() {
    assertThat(offendingDependencies(LAYERING.onlyVmmTouchesTheNativeBinding()))
        .containsExactly(
            "states.Leaky -> jnr.ffi.Pointer", "transitions.PointerTransition -> jnr.ffi.Pointer");
  }

  @Test
  void apiAndTransitionsStayOffTheSubstrateReportsVmmJnrAndForeignMemory() {
    assertThat(offendingDependencies(LAYERING.apiAndTransitionsStayOffTheSubstrate()))
        .containsExactly(
            "api.TaintedApi -> " + ROOT + ".vmm.Machine",
            "transitions.ForeignTransition -> java.lang.foreign.MemorySegment",
            "transitions.PointerTransition -> jnr.ffi.Pointer");
  }

  @Test
  void publicApiExposesNoNativeTypesReportsPublicSignaturesOutsideInternalPackages() {
    String vmm = ROOT + ".vmm.LeakyRegion";
    assertThat(Fixtures.violations(LAYERING.publicApiExposesNoNativeTypes(), TREE))
        .containsExactlyInAnyOrder(
            "Constructor <" + vmm + ".<init>(java.lang.foreign.MemorySegment)> of public type <"
                + vmm + "> takes substrate type <java.lang.foreign.MemorySegment> in"
                + " (LeakyRegion.java:0)",
            "Method <" + vmm + ".segment()> of public type <" + vmm + "> returns substrate type"
                + " <java.lang.foreign.MemorySegment> in (LeakyRegion.java:0)",
            "Method <" + ROOT + ".states.Leaky.isNull(jnr.ffi.Pointer)> of public type <" + ROOT
                + ".states.Leaky> takes substrate type <jnr.ffi.Pointer> in (Leaky.java:0)",
            "Method <" + ROOT + ".transitions.PointerTransition.address(jnr.ffi.Pointer)> of"
                + " public type <" + ROOT + ".transitions.PointerTransition> takes substrate type"
                + " <jnr.ffi.Pointer> in (PointerTransition.java:0)",
            "Method <" + ROOT + ".transitions.ForeignTransition.size("
                + "java.lang.foreign.MemorySegment)> of public type <" + ROOT
                + ".transitions.ForeignTransition> takes substrate type"
                + " <java.lang.foreign.MemorySegment> in (ForeignTransition.java:0)");
  }

  @Test
  void internalPackagesStayInTheirModuleReportsStrangersButNotOwnersOrNamedFriends() {
    assertThat(Fixtures.violations(LAYERING.internalPackagesStayInTheirModule(FRIENDS), TREE))
        .containsExactlyInAnyOrder(
            "Class <" + ROOT + ".states.Intruder> uses <" + ROOT + ".vmm.internal.sys.LibC> of"
                + " internal package " + ROOT + ".vmm.internal.sys, which " + ROOT + ".vmm does"
                + " not export to it by name",
            "Class <" + ROOT + ".transitions.Peeker> uses <" + ROOT + ".states.internal.Engine>"
                + " of internal package " + ROOT + ".states.internal, which " + ROOT + ".states"
                + " does not export to it by name");
  }

  @Test
  void withoutTheQualifiedExportTheFriendIsAStrangerToo() {
    assertThat(Fixtures.violations(LAYERING.internalPackagesStayInTheirModule(Map.of()), TREE))
        .hasSize(3)
        .anyMatch(message -> message.startsWith("Class <" + ROOT + ".states.Friend> uses <"));
  }

  @Test
  void rootPackageMustBeAPackageName() {
    assertThatThrownBy(() -> MoltLayering.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("root package must be a package name, was \" \"");
    assertThatThrownBy(() -> MoltLayering.of("dev.molt."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("root package must be a package name, was \"dev.molt.\"");
  }

  /** "origin -> target" per violating dependency, origin relative to the fixture root. */
  private static Set<String> offendingDependencies(ArchRule rule) {
    Set<String> pairs = new TreeSet<>();
    rule.evaluate(TREE)
        .handleViolations(
            (Collection<Dependency> dependencies, String message) ->
                dependencies.forEach(
                    d ->
                        pairs.add(
                            d.getOriginClass().getName().substring(ROOT.length() + 1)
                                + " -> "
                                + d.getTargetClass().getName())));
    return pairs;
  }
}
