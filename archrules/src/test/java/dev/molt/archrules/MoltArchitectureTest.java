package dev.molt.archrules;

import static dev.molt.archrules.Fixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.molt.api.Sandbox;
import dev.molt.api.Transition;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Molt applies its rules to itself: SandboxRules and the layering rules over the main classes of
 * every Molt module that the reactor builds before archrules (archrules' pom declares them as
 * test dependencies, so they are on this class path, as target/classes or as jars).
 */
class MoltArchitectureTest {

  private static final Logger LOG = LoggerFactory.getLogger(MoltArchitectureTest.class);

  /** Modules whose layering archrules checks: keep in step with archrules/pom.xml. */
  static final Set<String> CHECKED_MODULES =
      Set.of(
          "dev.molt.api",
          "dev.molt.transitions",
          "dev.molt.vmm",
          "dev.molt.states",
          "dev.molt.archrules");

  private static MoltModules molt;
  private static JavaClasses classes;

  @BeforeAll
  static void importMolt() {
    molt = MoltModules.onClassPathOf(MoltArchitectureTest.class.getClassLoader());
    classes = molt.importClasses();
    for (MoltModules.Module module : molt.modules()) {
      LOG.info(
          "{}: {} classes from {}",
          module.name(),
          classes.stream().filter(module::holds).count(),
          module.root());
    }
  }

  @Test
  void everyCheckedModuleIsOnTheTestClassPath() {
    assertThat(molt.missing(CHECKED_MODULES))
        .as(
            "Molt modules missing from archrules' test class path, so their layering would go"
                + " unchecked; declare each as a test dependency in archrules/pom.xml (see"
                + " archrules/README.md). Found: %s",
            molt.rootsByName())
        .isEmpty();
  }

  @Test
  void eachModuleIsOnTheClassPathOnce() {
    assertThat(molt.rootsByName())
        .allSatisfy((name, roots) -> assertThat(roots).as(name).hasSize(1));
  }

  @Test
  void importReadsEveryClassFileOfEveryModule() {
    for (MoltModules.Module module : molt.modules()) {
      assertThat(classes.stream().filter(module::holds).count())
          .as("classes imported from %s at %s", module.name(), module.root())
          .isEqualTo(module.classFileCount());
    }
    assertThat(classes.contain(Sandbox.class)).isTrue();
    assertThat(classes.contain(Transition.class)).isTrue();
    assertThat(classes.contain(SandboxRules.class)).isTrue();
  }

  @Test
  void importHoldsNoTestClasses() {
    assertThat(classes.stream().map(c -> c.getPackageName()))
        .noneMatch(name -> name.startsWith(Fixtures.ROOT))
        .noneMatch(name -> name.startsWith("dev.molt.vmm.fixtures"));
  }

  @Test
  void moltFollowsTheSandboxRules() {
    for (Map.Entry<String, ArchRule> rule : SandboxRulesTest.constants().entrySet()) {
      assertThat(violations(rule.getValue(), classes)).as(rule.getKey()).isEmpty();
    }
  }

  @Test
  void moltFollowsItsLayering() {
    List<ArchRule> rules = MoltLayering.of("dev.molt").all(molt.qualifiedInternalExports());
    for (ArchRule rule : rules) {
      assertThat(violations(rule, classes)).as(rule.getDescription()).isEmpty();
    }
  }

  @Test
  void rootsAreDirectoriesOrJars() {
    assertThat(molt.modules())
        .extracting(MoltModules.Module::root)
        .extracting(URI::getScheme)
        .isSubsetOf("file", "jar");
  }
}
