/**
 * The mechanisms of x86-64 long mode for ring-3 guests over a tiny ring-0 supervisor, driven by a
 * {@link dev.molt.vmm.longmode.LongModeLayout} the caller supplies: identity-mapped 4 KiB page
 * tables (supervisor-only structure pages, not-present guard pages, NX), a GDT with ring-0 and
 * ring-3 segments and a TSS (RSP0, IST1 for #DF, I/O permission bitmap), and an IDT whose
 * one-instruction ring-0 stubs report each exception on its own port. {@link
 * dev.molt.vmm.longmode.LongModeImage} produces the bytes to write and the register values.
 */
package dev.molt.vmm.longmode;
