/**
 * The service-provider interface that substrates and state families implement: {@link
 * dev.molt.api.spi.Substrate} (what all states of one sandbox share: capture, restore, status),
 * {@link dev.molt.api.spi.StateHandle} (a state's guarded, movable claim on its substrate: the
 * consumed-state guard and the transition journal), {@link dev.molt.api.spi.StateType} and {@link
 * dev.molt.api.spi.StateFamily} (how Molt snapshots, restores, evolves and devolves a family's
 * states without public constructors). Application code does not need this package.
 */
package dev.molt.api.spi;
