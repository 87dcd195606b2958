/**
 * Typed transition algebra over Molt state families: atomic chains with rollback points and the
 * legal-move graph of a family. Substrate-agnostic: needs no KVM.
 */
module dev.molt.transitions {
  requires transitive dev.molt.api;

  exports dev.molt.transitions;
}
