/**
 * The typed transition algebra over any state family: atomic {@link dev.molt.transitions.Chain
 * chains} with rollback, and the {@link dev.molt.transitions.StateGraph legal-move graph} of a
 * family (reachability, dead ends, Mermaid export). Substrate-agnostic; testable without KVM.
 */
package dev.molt.transitions;
