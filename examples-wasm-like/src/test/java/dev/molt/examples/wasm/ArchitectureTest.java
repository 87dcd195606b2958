package dev.molt.examples.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.molt.archrules.SandboxRules;
import org.junit.jupiter.api.Test;

/** Molt's rules for library state families, applied to this library as a user would. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.molt.examples.wasm");

  @Test
  void theRulesSeeTheFamilyAndItsThreeStates() {
    assertThat(CLASSES.that(SandboxRules.states())).hasSize(3);
    assertThat(CLASSES.that(SandboxRules.families())).hasSize(1);
  }

  @Test
  void theFamilyFollowsEveryMoltRule() {
    SandboxRules.all().check(CLASSES);
  }
}
