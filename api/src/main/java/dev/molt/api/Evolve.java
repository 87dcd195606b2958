package dev.molt.api;

/**
 * A forward transition that does one thing its author names (initialise, load a runtime, load a
 * module, map a region …). Before it runs, Molt captures the state it leaves as a rollback point;
 * the matching {@link Devolve} restores that point. If the evolve fails and leaves the sandbox
 * {@link SandboxStatus.Poisoned}, Molt restores the rollback point before throwing, so the caller
 * gets its input back {@link SandboxStatus.Ready}.
 *
 * <p>Created by a family through {@code dev.molt.api.spi.StateFamily#evolve}.
 *
 * @param <F> the state consumed
 * @param <T> the state produced
 */
public interface Evolve<F extends Sandbox, T extends Sandbox> extends DeclaredTransition<F, T> {}
