package dev.molt.api;

/** The direction of a transition, for tools, journals and diagrams. */
public enum TransitionKind {
  /** A forward move that records a rollback point (the state it left) before it runs. */
  EVOLVE,
  /** A backward move whose effect is restoring the rollback point of its matching evolve. */
  DEVOLVE,
  /** Any other move (no rollback point recorded or restored), including composed transitions. */
  MOVE
}
