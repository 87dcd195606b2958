/**
 * Test support shared by Molt's suites. Not part of Molt's API: it is a test-scoped dependency.
 */
module dev.molt.testkit {
  requires transitive org.junit.jupiter.api;
  requires static org.checkerframework.checker.qual;

  exports dev.molt.testkit;
}
