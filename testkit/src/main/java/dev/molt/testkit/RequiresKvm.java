package dev.molt.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs a usable {@code /dev/kvm}.
 *
 * <p>Without KVM such tests are skipped with a reason that says what is missing. When the
 * system property {@value KvmAvailability#REQUIRE_PROPERTY} is {@code true} (as in CI), a
 * missing or unusable {@code /dev/kvm} fails the test instead of skipping it.
 *
 * <p>Such tests carry the JUnit tag {@value #TAG}, so {@code mvn verify -Dgroups=kvm} runs only
 * them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KvmAvailability.class)
@Tag(RequiresKvm.TAG)
public @interface RequiresKvm {
  /** The JUnit tag of every KVM test. */
  String TAG = "kvm";
}
