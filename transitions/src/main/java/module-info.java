/** Typed transition algebra (to be filled by the api/transitions issue). */
module dev.molt.transitions {
  requires transitive dev.molt.api;
}
