package dev.molt.archrules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaGenericArrayType;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import com.tngtech.archunit.core.domain.JavaWildcardType;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.domain.ThrowsDeclaration;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.molt.api.Sandbox;
import dev.molt.api.Transition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * ArchUnit rules for code that defines sandbox states and transitions on top of Molt. They check
 * what {@code javac} cannot: that every state belongs to exactly one closed family, that states
 * are created only by transitions or entry factories, that transitions are stateless functions,
 * and that no public member of a state hands out the KVM substrate.
 *
 * <p>Vocabulary used by the rules:
 *
 * <ul>
 *   <li>a <em>sandbox type</em> is any type assignable to {@link Sandbox}, except {@code Sandbox}
 *       itself;
 *   <li>a <em>state</em> is a concrete sandbox type: a class that is neither an interface nor
 *       abstract;
 *   <li>a <em>family</em> is a sealed interface that extends {@code Sandbox}; sealed interfaces
 *       nested below another family (a sub-family) belong to the family above them;
 *   <li>a <em>transition</em> is any class (not interface) that implements {@link Transition};
 *   <li>the <em>substrate</em> is the set of packages in {@link #SUBSTRATE_PACKAGES}.
 * </ul>
 *
 * <p>With ArchUnit's JUnit 5 support, apply every rule at once (each becomes its own test):
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.sandbox")
 * class SandboxArchitectureTest {
 *   @ArchTest static final ArchTests MOLT = ArchTests.in(SandboxRules.class);
 * }
 * }</pre>
 *
 * <p>Without it, {@code SandboxRules.all().check(new ClassFileImporter().importPackages(...))}.
 * Every rule allows an empty selection: a module without transitions (or states) passes.
 */
public final class SandboxRules {

  /**
   * Package identifiers (ArchUnit syntax) of the substrate a state must not expose and a
   * transition must not hold: Molt's KVM layer ({@code dev.molt.vmm..}), jnr-ffi ({@code
   * jnr..}) with its native layer jffi ({@code com.kenai.jffi..}), and the JDK's foreign memory
   * API ({@code java.lang.foreign..}).
   */
  public static final List<String> SUBSTRATE_PACKAGES =
      List.of("dev.molt.vmm..", "jnr..", "com.kenai.jffi..", "java.lang.foreign..");

  /** Every concrete state is a {@code final} class. */
  @ArchTest
  public static final ArchRule STATES_ARE_FINAL =
      classes()
          .that(states())
          .should(condition("be final", SandboxRules::checkFinal))
          .as("Concrete sandbox states are final classes")
          .because(
              "a subclass of a state is a state that its family's sealed hierarchy does not name,"
                  + " so exhaustive switches and the legal-move graph would not see it")
          .allowEmptyShould(true);

  /** Every concrete state implements exactly one family. */
  @ArchTest
  public static final ArchRule STATES_BELONG_TO_EXACTLY_ONE_FAMILY =
      classes()
          .that(states())
          .should(condition("implement exactly one family", SandboxRules::checkOneFamily))
          .as("Each concrete sandbox state implements exactly one sealed family")
          .because(
              "transitions, exhaustive switches and the legal-move graph are typed against the"
                  + " family: a state outside every family escapes them, and a state in two"
                  + " families has two unrelated sets of legal moves")
          .allowEmptyShould(true);

  /** Every interface that extends {@code Sandbox} is sealed. */
  @ArchTest
  public static final ArchRule FAMILIES_ARE_SEALED =
      classes()
          .that(areSandboxInterfaces())
          .should(condition("be sealed", SandboxRules::checkSealedInterface))
          .as("Interfaces that extend Sandbox are sealed")
          .because(
              "a family must name all its states, so that javac checks switches over it for"
                  + " exhaustiveness and Molt derives its legal-move graph from the permitted"
                  + " subclasses; a non-sealed interface reopens it")
          .allowEmptyShould(true);

  /** Every abstract class that implements a family is sealed. */
  @ArchTest
  public static final ArchRule FAMILY_BASE_CLASSES_ARE_SEALED =
      classes()
          .that(areAbstractFamilyMembers())
          .should(condition("be sealed", SandboxRules::checkSealedBase))
          .as("Abstract classes that implement a sealed family are sealed")
          .because(
              "a non-sealed base class reopens the family to states it does not name, exactly"
                  + " like a non-sealed interface")
          .allowEmptyShould(true);

  /** No concrete state has a public constructor. */
  @ArchTest
  public static final ArchRule STATES_HAVE_NO_PUBLIC_CONSTRUCTORS =
      classes()
          .that(states())
          .should(condition("have no public constructor", SandboxRules::checkConstructors))
          .as("Sandbox states have no public constructors")
          .because(
              "a state is created by a transition, which consumes the state it leaves, or by"
                  + " one of its family's documented entry factories; a public constructor makes"
                  + " a state that no transition produced and no rollback point covers")
          .allowEmptyShould(true);

  /** No state or abstract family member holds a reference to a state in a field. */
  @ArchTest
  public static final ArchRule STATES_HOLD_NO_OTHER_STATES =
      classes()
          .that(areStatesOrAbstractSandboxClasses())
          .should(condition("hold no other state", SandboxRules::checkHoldsNoState))
          .as("Sandbox states hold no reference to another state")
          .because(
              "each state alone owns its substrate: a state kept inside another is either"
                  + " consumed (dead) or a second owner of the same virtual machine")
          .allowEmptyShould(true);

  /**
   * Transitions hold no state, no substrate object and no field that is not {@code final}: the
   * rule {@link #transitionsAreStateless(String...)} with {@link #SUBSTRATE_PACKAGES}.
   */
  @ArchTest
  public static final ArchRule TRANSITIONS_ARE_STATELESS =
      transitionsAreStateless(SUBSTRATE_PACKAGES.toArray(String[]::new));

  /**
   * No public member of a public sandbox type exposes a substrate type: the rule {@link
   * #statesDoNotExpose(String...)} with {@link #SUBSTRATE_PACKAGES}.
   */
  @ArchTest
  public static final ArchRule STATES_DO_NOT_EXPOSE_SUBSTRATE =
      statesDoNotExpose(SUBSTRATE_PACKAGES.toArray(String[]::new));

  private static final List<ArchRule> ALL =
      List.of(
          STATES_ARE_FINAL,
          STATES_BELONG_TO_EXACTLY_ONE_FAMILY,
          FAMILIES_ARE_SEALED,
          FAMILY_BASE_CLASSES_ARE_SEALED,
          STATES_HAVE_NO_PUBLIC_CONSTRUCTORS,
          STATES_HOLD_NO_OTHER_STATES,
          TRANSITIONS_ARE_STATELESS,
          STATES_DO_NOT_EXPOSE_SUBSTRATE);

  private SandboxRules() {}

  /**
   * All rules of this class as one rule, for callers without ArchUnit's JUnit support. Its
   * failure report lists the violations of every rule.
   *
   * @return a composite of every {@code public static final ArchRule} of this class
   */
  public static ArchRule all() {
    return CompositeArchRule.of(ALL)
        .as("Sandbox states, families and transitions follow Molt's rules");
  }

  /**
   * A rule that no public method, constructor or field of a public sandbox type (outside {@code
   * ..internal..} packages) returns, takes, throws or holds a type from the given packages,
   * including as a type argument ({@code Optional<MemorySegment>}). Members a state inherits from
   * a class or interface that is not itself a sandbox type count as the state's own.
   *
   * @param packageIdentifiers ArchUnit package identifiers, e.g. {@code "jnr.."} or {@code
   *     "com.example.native.."}
   * @return the rule
   * @throws NullPointerException if the array or one of its elements is null
   * @throws IllegalArgumentException if no identifier is given or one is blank or not a valid
   *     ArchUnit package identifier
   */
  public static ArchRule statesDoNotExpose(String... packageIdentifiers) {
    List<PackageMatcher> forbidden = matchers(packageIdentifiers);
    return exposureRule(
        DescribedPredicate.describe("are sandbox types", SandboxRules::isSandboxType),
        "sandbox type",
        "Public members of sandbox types expose no type from "
            + String.join(", ", packageIdentifiers),
        "callers reach the virtual machine only through transitions and the state's own"
            + " methods; a raw handle, pointer or memory segment bypasses bounds checks,"
            + " ownership and the consumed-state guard",
        forbidden);
  }

  /**
   * The check of {@link #statesDoNotExpose(String...)} for any selection of types, e.g. a whole
   * library's public API: no public method, constructor or field of a public type that {@code
   * types} selects (outside {@code ..internal..} packages) returns, takes, throws or holds a type
   * from the given packages, type arguments included. Public members inherited from a supertype
   * that {@code types} does not select count as the type's own.
   *
   * @param types the types whose public members are checked, e.g. {@code
   *     JavaClass.Predicates.resideInAPackage("com.example..")}
   * @param packageIdentifiers ArchUnit package identifiers of the types that must not appear
   * @return the rule
   * @throws NullPointerException if {@code types}, the array or one of its elements is null
   * @throws IllegalArgumentException if no identifier is given or one is blank or not a valid
   *     ArchUnit package identifier
   */
  public static ArchRule publicApiDoesNotExpose(
      DescribedPredicate<? super JavaClass> types, String... packageIdentifiers) {
    if (types == null) {
      throw new NullPointerException("types is null");
    }
    List<PackageMatcher> forbidden = matchers(packageIdentifiers);
    return exposureRule(
        types,
        "public type",
        "Public members of public types that "
            + types.getDescription()
            + " expose no type from "
            + String.join(", ", packageIdentifiers),
        "a type in a public signature ties every caller to it and hands out what the declaring"
            + " code should keep to itself",
        forbidden);
  }

  private static ArchRule exposureRule(
      DescribedPredicate<? super JavaClass> types,
      String ownerNoun,
      String sentence,
      String reason,
      List<PackageMatcher> forbidden) {
    return classes()
        .that(
            DescribedPredicate.describe(
                "are public types outside internal packages that " + types.getDescription(),
                (JavaClass type) ->
                    types.test(type)
                        && type.getModifiers().contains(JavaModifier.PUBLIC)
                        && !isInternal(type.getPackageName())))
        .should(
            condition(
                "expose no forbidden type",
                (type, events) -> checkExposure(type, types, ownerNoun, forbidden, events)))
        .as(sentence)
        .because(reason)
        .allowEmptyShould(true);
  }

  /**
   * A rule that every transition class holds no field whose type is a state (directly, as an
   * array, or as the element of a JDK container such as {@code List} or {@code AtomicReference}),
   * no field whose type mentions one of the given packages, and no field that is not {@code
   * final}, static fields included. Fields the compiler generates count too: an anonymous
   * transition that captures a state holds it in a synthetic field. Lambdas cannot be checked:
   * ArchUnit sees no class for them.
   *
   * @param substratePackageIdentifiers ArchUnit package identifiers of types a transition must not
   *     hold, e.g. {@code "jnr.."}
   * @return the rule
   * @throws NullPointerException if the array or one of its elements is null
   * @throws IllegalArgumentException if no identifier is given or one is blank or not a valid
   *     ArchUnit package identifier
   */
  public static ArchRule transitionsAreStateless(String... substratePackageIdentifiers) {
    List<PackageMatcher> substrate = matchers(substratePackageIdentifiers);
    return classes()
        .that(transitions())
        .should(
            condition(
                "be stateless", (type, events) -> checkStateless(type, substrate, events)))
        .as("Transitions hold no state, no substrate object and no mutable field")
        .because(
            "a transition is a typed function shared by many sandboxes and threads: a state it"
                + " captured outlives its consumption, a substrate object it holds is used"
                + " without owning the virtual machine, and a mutable field races")
        .allowEmptyShould(true);
  }

  /**
   * Selects states: concrete classes assignable to {@link Sandbox}. Use it to guard an import
   * against checking nothing, e.g. {@code assertThat(classes.that(SandboxRules.states()))
   * .hasSizeGreaterThanOrEqualTo(3)}, or to write rules of your own.
   *
   * @return a predicate over imported classes
   */
  public static DescribedPredicate<JavaClass> states() {
    return DescribedPredicate.describe("are sandbox states", SandboxRules::isState);
  }

  /**
   * Selects families: sealed interfaces that extend {@link Sandbox}, sub-families included.
   *
   * @return a predicate over imported classes
   */
  public static DescribedPredicate<JavaClass> families() {
    return DescribedPredicate.describe("are sandbox families", SandboxRules::isFamily);
  }

  /**
   * Selects transitions: classes (not interfaces) that implement {@link Transition}.
   *
   * @return a predicate over imported classes
   */
  public static DescribedPredicate<JavaClass> transitions() {
    return DescribedPredicate.describe(
        "are transitions",
        type -> !type.isInterface() && type.isAssignableTo(Transition.class));
  }

  // ---- selections ----------------------------------------------------------------------------

  private static DescribedPredicate<JavaClass> areSandboxInterfaces() {
    return DescribedPredicate.describe(
        "are interfaces extending Sandbox", type -> type.isInterface() && isSandboxType(type));
  }

  private static DescribedPredicate<JavaClass> areAbstractFamilyMembers() {
    return DescribedPredicate.describe(
        "are abstract classes implementing a family",
        type -> isAbstractClass(type) && !familyRoots(type).isEmpty());
  }

  private static DescribedPredicate<JavaClass> areStatesOrAbstractSandboxClasses() {
    return DescribedPredicate.describe(
        "are sandbox classes",
        type -> !type.isInterface() && isSandboxType(type));
  }


  // ---- checks --------------------------------------------------------------------------------

  private static void checkFinal(JavaClass state, ConditionEvents events) {
    if (!state.getModifiers().contains(JavaModifier.FINAL)) {
      violation(events, state, "State <" + state.getName() + "> is not final");
    }
  }

  private static void checkOneFamily(JavaClass state, ConditionEvents events) {
    Set<String> families = familyRoots(state);
    if (families.isEmpty()) {
      violation(events, state, "State <" + state.getName() + "> implements no sealed family");
    } else if (families.size() > 1) {
      violation(
          events,
          state,
          "State <"
              + state.getName()
              + "> implements "
              + families.size()
              + " sealed families "
              + bracketed(families));
    }
  }

  private static void checkSealedInterface(JavaClass family, ConditionEvents events) {
    if (!family.isSealed()) {
      violation(
          events,
          family,
          "Interface <" + family.getName() + "> extends Sandbox but is not sealed");
    }
  }

  private static void checkSealedBase(JavaClass base, ConditionEvents events) {
    if (!base.isSealed()) {
      violation(
          events,
          base,
          "Abstract class <"
              + base.getName()
              + "> implements family "
              + bracketed(familyRoots(base))
              + " but is not sealed");
    }
  }

  private static void checkConstructors(JavaClass state, ConditionEvents events) {
    state.getConstructors().stream()
        .filter(constructor -> constructor.getModifiers().contains(JavaModifier.PUBLIC))
        .forEach(
            constructor ->
                violation(
                    events,
                    state,
                    "State <"
                        + state.getName()
                        + "> has public constructor <"
                        + constructor.getFullName()
                        + ">"));
  }

  private static void checkHoldsNoState(JavaClass holder, ConditionEvents events) {
    for (JavaField field : holder.getFields()) {
      if (refersToState(field.getType(), new HashSet<>())) {
        violation(
            events,
            holder,
            "State <"
                + holder.getName()
                + "> holds a state in field <"
                + field.getFullName()
                + "> of type <"
                + field.getType().getName()
                + ">");
      }
    }
  }

  private static void checkStateless(
      JavaClass transition, List<PackageMatcher> substrate, ConditionEvents events) {
    for (JavaField field : transition.getFields()) {
      String prefix = "Transition <" + transition.getName() + "> ";
      if (!field.getModifiers().contains(JavaModifier.FINAL)) {
        violation(
            events, transition, prefix + "has non-final field <" + field.getFullName() + ">");
      }
      if (refersToState(field.getType(), new HashSet<>())) {
        violation(
            events,
            transition,
            prefix
                + "holds a state in field <"
                + field.getFullName()
                + "> of type <"
                + field.getType().getName()
                + ">");
      }
      for (String type : typesFrom(field.getType(), substrate)) {
        violation(
            events,
            transition,
            prefix
                + "holds substrate type <"
                + type
                + "> in field <"
                + field.getFullName()
                + ">");
      }
    }
  }

  private static void checkExposure(
      JavaClass type,
      DescribedPredicate<? super JavaClass> selected,
      String ownerNoun,
      List<PackageMatcher> forbidden,
      ConditionEvents events) {
    String owner = "of " + ownerNoun + " <" + type.getName() + ">";
    List<JavaCodeUnit> codeUnits = new ArrayList<>(type.getAllMethods());
    codeUnits.addAll(type.getConstructors());
    for (JavaCodeUnit unit : codeUnits) {
      Set<JavaModifier> modifiers = unit.getModifiers();
      if (!isPublicMemberOf(type, unit, selected)
          || modifiers.contains(JavaModifier.BRIDGE)
          || modifiers.contains(JavaModifier.SYNTHETIC)) {
        continue;
      }
      String subject =
          (unit.isConstructor() ? "Constructor <" : "Method <") + unit.getFullName() + "> " + owner;
      for (String leaked : typesFrom(unit.getReturnType(), forbidden)) {
        violation(events, type, subject + " returns substrate type <" + leaked + ">");
      }
      Set<String> taken = new TreeSet<>();
      for (JavaType parameter : unit.getParameterTypes()) {
        taken.addAll(typesFrom(parameter, forbidden));
      }
      for (String leaked : taken) {
        violation(events, type, subject + " takes substrate type <" + leaked + ">");
      }
      for (ThrowsDeclaration<? extends JavaCodeUnit> thrown : unit.getThrowsClause()) {
        for (String leaked : typesFrom(thrown.getRawType(), forbidden)) {
          violation(events, type, subject + " throws substrate type <" + leaked + ">");
        }
      }
    }
    for (JavaField field : type.getAllFields()) {
      if (!isPublicMemberOf(type, field, selected)) {
        continue;
      }
      for (String leaked : typesFrom(field.getType(), forbidden)) {
        violation(
            events,
            type,
            "Field <"
                + field.getFullName()
                + "> "
                + owner
                + " has substrate type <"
                + leaked
                + ">");
      }
    }
  }

  // ---- the model -----------------------------------------------------------------------------

  private static boolean isSandboxType(JavaClass type) {
    return type.isAssignableTo(Sandbox.class) && !type.isEquivalentTo(Sandbox.class);
  }

  private static boolean isAbstractClass(JavaClass type) {
    return !type.isInterface() && type.getModifiers().contains(JavaModifier.ABSTRACT);
  }

  private static boolean isState(JavaClass type) {
    return !type.isInterface() && !isAbstractClass(type) && isSandboxType(type);
  }

  private static boolean isFamily(JavaClass type) {
    return type.isInterface() && type.isSealed() && isSandboxType(type);
  }

  /** The outermost sealed Sandbox interfaces of a type: sub-families count as their family. */
  private static Set<String> familyRoots(JavaClass type) {
    return type.getAllRawInterfaces().stream()
        .filter(SandboxRules::isFamily)
        .filter(family -> family.getAllRawInterfaces().stream().noneMatch(SandboxRules::isFamily))
        .map(JavaClass::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Whether a field of this type keeps a state reachable: the type is a state type (the root
   * {@code Sandbox} included), an array of one, a type variable bounded by one, or a JDK container
   * ({@code java.util}, {@code java.lang.ref}, {@code ThreadLocal}) with such an element type.
   * Other generic types ({@code Transition<A, B>}, {@code Function<A, B>}, {@code Class<A>}) only
   * name states, they do not hold one.
   */
  private static boolean refersToState(JavaType type, Set<String> visitedVariables) {
    if (type instanceof JavaClass raw) {
      return raw.getBaseComponentType().isAssignableTo(Sandbox.class);
    }
    if (type instanceof JavaParameterizedType parameterized) {
      JavaClass raw = parameterized.toErasure();
      return refersToState(raw, visitedVariables)
          || (isJdkContainer(raw)
              && parameterized.getActualTypeArguments().stream()
                  .anyMatch(argument -> refersToState(argument, visitedVariables)));
    }
    if (type instanceof JavaWildcardType wildcard) {
      return wildcard.getUpperBounds().stream()
          .anyMatch(bound -> refersToState(bound, visitedVariables));
    }
    if (type instanceof JavaTypeVariable<?> variable) {
      return visitedVariables.add(variable.getName())
          && variable.getUpperBounds().stream()
              .anyMatch(bound -> refersToState(bound, visitedVariables));
    }
    if (type instanceof JavaGenericArrayType array) {
      return refersToState(array.getComponentType(), visitedVariables);
    }
    return false;
  }

  private static boolean isJdkContainer(JavaClass raw) {
    String packageName = raw.getPackageName();
    return (packageName.startsWith("java.util") && !packageName.startsWith("java.util.function"))
        || packageName.equals("java.lang.ref")
        || raw.isEquivalentTo(ThreadLocal.class);
  }

  /** Names of the types from the given packages that a (possibly generic) type mentions. */
  private static Set<String> typesFrom(JavaType type, List<PackageMatcher> substrate) {
    return type.getAllInvolvedRawTypes().stream()
        .map(JavaClass::getBaseComponentType)
        .filter(raw -> substrate.stream().anyMatch(m -> m.matches(raw.getPackageName())))
        .map(JavaClass::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Public, and declared by the type itself or by a supertype that is not checked itself. */
  private static boolean isPublicMemberOf(
      JavaClass type, JavaMember member, DescribedPredicate<? super JavaClass> checked) {
    JavaClass owner = member.getOwner();
    return member.getModifiers().contains(JavaModifier.PUBLIC)
        && (owner.equals(type) || !checked.test(owner));
  }

  private static boolean isInternal(String packageName) {
    return List.of(packageName.split("\\.", -1)).contains("internal");
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private static List<PackageMatcher> matchers(String[] packageIdentifiers) {
    if (packageIdentifiers == null) {
      throw new NullPointerException("packageIdentifiers is null");
    }
    if (packageIdentifiers.length == 0) {
      throw new IllegalArgumentException(
          "name at least one package identifier, e.g. \"jnr..\" or \"com.example.native..\"");
    }
    List<PackageMatcher> matchers = new ArrayList<>(packageIdentifiers.length);
    for (int i = 0; i < packageIdentifiers.length; i++) {
      String identifier = packageIdentifiers[i];
      if (identifier == null) {
        throw new NullPointerException("packageIdentifiers[" + i + "] is null");
      }
      if (identifier.isBlank()) {
        throw new IllegalArgumentException(
            "packageIdentifiers[" + i + "] is blank; use e.g. \"jnr..\"");
      }
      try {
        matchers.add(PackageMatcher.of(identifier));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "packageIdentifiers["
                + i
                + "] \""
                + identifier
                + "\" is not an ArchUnit package identifier: "
                + e.getMessage(),
            e);
      }
    }
    return List.copyOf(matchers);
  }

  private static ArchCondition<JavaClass> condition(
      String description, BiConsumer<JavaClass, ConditionEvents> check) {
    return new ArchCondition<>("%s", description) {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        check.accept(item, events);
      }
    };
  }

  private static void violation(ConditionEvents events, JavaClass where, String message) {
    String located = message + " in " + where.getSourceCodeLocation();
    events.add(SimpleConditionEvent.violated(where, located));
  }

  private static String bracketed(Collection<String> names) {
    return names.stream().map(name -> "<" + name + ">").collect(Collectors.joining(", "));
  }
}
