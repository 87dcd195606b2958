package dev.molt.archrules;

import static dev.molt.archrules.Fixtures.at;
import static dev.molt.archrules.Fixtures.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adopters with existing code freeze a rule: known violations are recorded once and only new
 * ones fail. That works only if a rule's messages are stable, which this checks for SandboxRules.
 */
class FreezingTest {

  @TempDir Path store;

  @BeforeEach
  void useATemporaryViolationStore() {
    ArchConfiguration.get().setProperty("freeze.store.default.path", store.toString());
    ArchConfiguration.get().setProperty("freeze.store.default.allowStoreCreation", "true");
  }

  @AfterEach
  void restoreConfiguration() {
    ArchConfiguration.get().reset();
  }

  @Test
  void aFrozenRuleReportsOnlyViolationsAddedAfterTheFreeze() {
    JavaClasses legacy = Fixtures.importPackage(bad("family"));
    JavaClasses grown =
        new ClassFileImporter().importPackages(bad("family"), bad("unsealed"));

    assertThat(
            FreezingArchRule.freeze(SandboxRules.STATES_BELONG_TO_EXACTLY_ONE_FAMILY)
                .evaluate(legacy)
                .hasViolation())
        .isFalse();
    assertThat(
            Fixtures.violations(
                FreezingArchRule.freeze(SandboxRules.STATES_BELONG_TO_EXACTLY_ONE_FAMILY), grown))
        .containsExactly(
            at("State <" + bad("unsealed.Drifter") + "> implements no sealed family", "Drifter"));
  }
}
