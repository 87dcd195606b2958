/**
 * Molt's vocabulary: sandbox states, transitions, snapshots, host functions, configuration and
 * the exception hierarchy; and in {@code dev.molt.api.spi} the contract that substrates and state
 * families implement (capture, restore, rollback points, status, the consumed-state guard). Knows
 * nothing of KVM.
 */
module dev.molt.api {
  requires transitive com.google.common;
  requires static org.immutables.value.annotations;
  requires transitive org.checkerframework.checker.qual;
  // Annotations Immutables puts on generated code (@Generated, @CheckReturnValue …): compile only.
  requires static com.google.errorprone.annotations;
  requires static java.compiler;

  exports dev.molt.api;
  exports dev.molt.api.spi;
}
