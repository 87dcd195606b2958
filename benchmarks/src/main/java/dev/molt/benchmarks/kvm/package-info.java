/**
 * A minimal jnr-ffi binding of {@code /dev/kvm} for the Java-only benchmark rows. Not API: Molt's
 * real binding lives in the vmm module.
 */
package dev.molt.benchmarks.kvm;
