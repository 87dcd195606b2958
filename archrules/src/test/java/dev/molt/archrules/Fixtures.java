package dev.molt.archrules;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/** The fixture packages of this module's test sources, imported once. */
final class Fixtures {
  static final String ROOT = "dev.molt.archrules.fixtures";
  static final String BAD = ROOT + ".bad";
  static final String GOOD = ROOT + ".good";

  /** Every fixture class: good, bad and layering. */
  static final JavaClasses ALL = new ClassFileImporter().importPackages(ROOT);

  private Fixtures() {}

  static JavaClasses importPackage(String packageName) {
    return new ClassFileImporter().importPackages(packageName);
  }

  static List<String> violations(ArchRule rule, JavaClasses classes) {
    return rule.evaluate(classes).getFailureReport().getDetails();
  }

  /** The expected message for a violation found in a class of the bad fixtures. */
  static String at(String message, String sourceFile) {
    return message + " in (" + sourceFile + ".java:0)";
  }

  static String bad(String relativeName) {
    return BAD + "." + relativeName;
  }
}
