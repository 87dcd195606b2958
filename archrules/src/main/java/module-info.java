/**
 * ArchUnit rules that a library author applies to the sandbox states and transitions of their own
 * code: see {@link dev.molt.archrules.SandboxRules}.
 */
module dev.molt.archrules {
  requires transitive dev.molt.api;
  requires transitive com.tngtech.archunit;
  // @ArchTest marks only: absent at run time unless the user runs ArchUnit's JUnit 5 engine.
  requires static com.tngtech.archunit.junit5.api;

  exports dev.molt.archrules;
}
