package dev.molt.archrules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layering Molt applies to its own modules (not shipped: no library author has Molt's module
 * tree). Rules are built for a root package so that the same rules run on Molt ({@code
 * "dev.molt"}) and on the miniature module tree of the layering fixtures.
 *
 * <ul>
 *   <li>only {@code <root>.vmm..} touches the native binding (jnr-ffi and its jffi);
 *   <li>{@code <root>.api..} and {@code <root>.transitions..} depend on no substrate: not vmm,
 *       not jnr/jffi, not {@code java.lang.foreign};
 *   <li>no public member of a public type outside {@code ..internal..} packages exposes jnr,
 *       jffi or {@code java.lang.foreign} types (vmm included: issue 2 keeps raw pointers and
 *       memory segments out of every public signature);
 *   <li>an {@code ..internal..} package is used only inside the module whose root package
 *       precedes {@code .internal}, or by a module it is exported to by name in module-info
 *       (a qualified export: Molt's "friend" modules).
 * </ul>
 */
final class MoltLayering {

  static final List<String> NATIVE_BINDING = List.of("jnr..", "com.kenai.jffi..");

  private final String root;

  private MoltLayering(String root) {
    this.root = root;
  }

  static MoltLayering of(String rootPackage) {
    if (rootPackage.isBlank() || rootPackage.endsWith(".")) {
      throw new IllegalArgumentException("root package must be a package name, was \""
          + rootPackage + "\"");
    }
    return new MoltLayering(rootPackage);
  }

  ArchRule onlyVmmTouchesTheNativeBinding() {
    return noClasses()
        .that()
        .resideOutsideOfPackage(root + ".vmm..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(NATIVE_BINDING.toArray(String[]::new))
        .as("Nothing outside " + root + ".vmm depends on jnr-ffi or jffi")
        .because("the native binding is vmm's internal business; every other module reaches"
            + " the kernel through vmm's owner types")
        .allowEmptyShould(true);
  }

  ArchRule apiAndTransitionsStayOffTheSubstrate() {
    return noClasses()
        .that()
        .resideInAnyPackage(root + ".api..", root + ".transitions..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            root + ".vmm..", "jnr..", "com.kenai.jffi..", "java.lang.foreign..")
        .as(root + ".api and " + root + ".transitions depend on neither vmm, jnr-ffi nor"
            + " java.lang.foreign")
        .because("they are the substrate-agnostic vocabulary and algebra of states, testable"
            + " without KVM")
        .allowEmptyShould(true);
  }

  ArchRule publicApiExposesNoNativeTypes() {
    return SandboxRules.publicApiDoesNotExpose(
        JavaClass.Predicates.resideInAPackage(root + ".."),
        "jnr..",
        "com.kenai.jffi..",
        "java.lang.foreign..");
  }

  /**
   * @param qualifiedExports internal package name to the root packages of the modules it is
   *     exported to by name
   */
  ArchRule internalPackagesStayInTheirModule(Map<String, Set<String>> qualifiedExports) {
    Map<String, Set<String>> friends = Map.copyOf(qualifiedExports);
    return classes()
        .that()
        .resideInAPackage(root + "..")
        .should(
            new ArchCondition<JavaClass>("use only their own module's internal packages") {
              @Override
              public void check(JavaClass origin, ConditionEvents events) {
                Set<String> messages = new TreeSet<>();
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                  JavaClass target = dependency.getTargetClass().getBaseComponentType();
                  String targetPackage = target.getPackageName();
                  String home = homeOf(targetPackage);
                  if (home != null
                      && !within(origin.getPackageName(), home)
                      && friends.getOrDefault(targetPackage, Set.of()).stream()
                          .noneMatch(friend -> within(origin.getPackageName(), friend))) {
                    messages.add("Class <" + origin.getName() + "> uses <" + target.getName()
                        + "> of internal package " + targetPackage + ", which " + home
                        + " does not export to it by name");
                  }
                }
                messages.forEach(m -> events.add(SimpleConditionEvent.violated(origin, m)));
              }
            })
        .as("Internal packages under " + root + " are used only by their own module or by"
            + " modules they are exported to by name")
        .because("an internal package is implementation: only a qualified export in"
            + " module-info makes another module a friend")
        .allowEmptyShould(true);
  }

  List<ArchRule> all(Map<String, Set<String>> qualifiedExports) {
    return List.of(
        onlyVmmTouchesTheNativeBinding(),
        apiAndTransitionsStayOffTheSubstrate(),
        publicApiExposesNoNativeTypes(),
        internalPackagesStayInTheirModule(qualifiedExports));
  }

  /** The package before the first {@code internal} segment, or null if there is none. */
  private static String homeOf(String packageName) {
    List<String> segments = List.of(packageName.split("\\."));
    int internal = segments.indexOf("internal");
    return internal <= 0 ? null : String.join(".", segments.subList(0, internal));
  }

  private static boolean within(String packageName, String root) {
    return packageName.equals(root) || packageName.startsWith(root + ".");
  }
}
