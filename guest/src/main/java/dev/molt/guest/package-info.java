/**
 * Access to the guest runtime SDK and the test guests built by gcc into this module: {@link
 * dev.molt.guest.GuestArtifacts} for bytes and extraction, {@link dev.molt.guest.TestGuest} for
 * the test guests, {@link dev.molt.guest.GuestAbi} for the ABI's numbers, {@link
 * dev.molt.guest.ExtractSdk} as a command-line build step.
 */
package dev.molt.guest;
