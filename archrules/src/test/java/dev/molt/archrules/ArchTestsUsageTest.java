package dev.molt.archrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs ArchUnit's JUnit 5 engine on test classes written exactly as a library author would
 * write them ({@code @ArchTest static final ArchTests MOLT = ArchTests.in(SandboxRules.class)})
 * and checks which rule tests it ran and which failed. The user-style classes are nested so that
 * Surefire does not run them on its own (it skips nested classes).
 */
class ArchTestsUsageTest {

  /** Every ArchRule constant of SandboxRules, as the engine names its test. */
  private static final Set<String> ALL_RULES =
      SandboxRulesTest.constants().keySet().stream()
          .map(name -> "SandboxRules > " + name)
          .collect(Collectors.toSet());

  @AnalyzeClasses(packages = Fixtures.GOOD)
  static class WellFormedLibrary {
    @ArchTest static final ArchTests MOLT = ArchTests.in(SandboxRules.class);
  }

  @AnalyzeClasses(packages = Fixtures.BAD)
  static class BrokenLibrary {
    @ArchTest static final ArchTests MOLT = ArchTests.in(SandboxRules.class);
  }

  @Test
  void archTestsInSandboxRulesRunsEveryRuleAsATestThatPassesOnAWellFormedLibrary() {
    assertThat(ALL_RULES).hasSize(8);
    Outcome outcome = run(WellFormedLibrary.class);
    assertThat(outcome.passed).isEqualTo(ALL_RULES);
    assertThat(outcome.failed).isEmpty();
  }

  @Test
  void archTestsInSandboxRulesFailsEveryRuleOnTheBadFixtures() {
    Outcome outcome = run(BrokenLibrary.class);
    assertThat(outcome.failed).isEqualTo(ALL_RULES);
    assertThat(outcome.passed).isEmpty();
  }

  private static Outcome run(Class<?> testClass) {
    Outcome outcome = new Outcome();
    LauncherFactory.create()
        .execute(
            request().selectors(selectClass(testClass)).build(),
            new TestExecutionListener() {
              @Override
              public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                  (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL
                          ? outcome.passed
                          : outcome.failed)
                      .add(test.getDisplayName());
                }
              }
            });
    return outcome;
  }

  private static final class Outcome {
    final Set<String> passed = new TreeSet<>();
    final Set<String> failed = new TreeSet<>();
  }
}
