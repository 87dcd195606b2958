package dev.molt.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit extension behind {@link RequiresKvm}: skips (or, when KVM is required, fails) tests
 * on a machine without a usable {@code /dev/kvm}.
 */
public final class KvmAvailability
    implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {

  /** System property that turns a missing {@code /dev/kvm} from a skip into a failure. */
  public static final String REQUIRE_PROPERTY = "molt.test.requireKvm";

  private static final Path DEV_KVM = Path.of("/dev/kvm");

  /** Creates the extension; JUnit instantiates it through {@link RequiresKvm}. */
  public KvmAvailability() {}

  /**
   * Why KVM cannot be used here, or empty when {@code /dev/kvm} exists and this process may
   * open it for reading and writing.
   *
   * @return the reason KVM is unusable, if any
   */
  public static Optional<String> unavailableReason() {
    if (!Files.exists(DEV_KVM)) {
      return Optional.of(
          "/dev/kvm does not exist: this machine has no KVM (enable virtualization or load kvm)");
    }
    if (!Files.isReadable(DEV_KVM) || !Files.isWritable(DEV_KVM)) {
      return Optional.of(
          "/dev/kvm exists but this user cannot open it read-write (add the user to group 'kvm')");
    }
    return Optional.empty();
  }

  /**
   * Whether the build asked for KVM tests to fail rather than skip.
   *
   * @return {@code true} when {@value #REQUIRE_PROPERTY} is set to {@code true}
   */
  public static boolean kvmRequired() {
    @Nullable String value = System.getProperty(REQUIRE_PROPERTY);
    return value != null && Boolean.parseBoolean(value.trim());
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> reason = unavailableReason();
    if (reason.isEmpty()) {
      return ConditionEvaluationResult.enabled("/dev/kvm is usable");
    }
    if (kvmRequired()) {
      // Let the test start so that the callbacks below fail it with the reason.
      return ConditionEvaluationResult.enabled("KVM required; the test will fail");
    }
    return ConditionEvaluationResult.disabled("KVM test skipped: " + reason.get());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    failIfRequiredAndMissing();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    failIfRequiredAndMissing();
  }

  private static void failIfRequiredAndMissing() {
    Optional<String> reason = unavailableReason();
    if (reason.isPresent() && kvmRequired()) {
      throw new IllegalStateException(
          "KVM tests are required (-D" + REQUIRE_PROPERTY + "=true) but " + reason.get());
    }
  }
}
