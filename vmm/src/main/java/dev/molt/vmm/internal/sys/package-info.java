/**
 * Not API. The raw Linux/KVM binding of the vmm module: the jnr-ffi {@code LibC} interface, the
 * ioctl-number table and the kernel struct mirrors. Exported unqualified only because jnr-ffi
 * generates its implementation in an unnamed module; nothing outside {@code dev.molt.vmm} may use
 * it (an architecture test guards this).
 */
package dev.molt.vmm.internal.sys;
