/**
 * Molt's vocabulary: sandbox states, transitions, snapshots, host functions, configuration and
 * the exception hierarchy. Knows nothing of KVM.
 */
module dev.molt.api {
  requires transitive com.google.common;
  requires static org.immutables.value.annotations;
  requires transitive org.checkerframework.checker.qual;

  exports dev.molt.api;
}
