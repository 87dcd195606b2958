/**
 * Molt's built-in sandbox states over KVM: {@link dev.molt.states.UninitializedSandbox} (a guest
 * ELF loaded into a fresh micro-VM) and {@link dev.molt.states.MultiUseSandbox} (the guest
 * initialised: typed calls, raw calls, host functions), and in {@link dev.molt.states.spi} the
 * substrate that library state families wrap in their own states.
 */
module dev.molt.states {
  requires transitive dev.molt.api;
  requires dev.molt.transitions;
  requires dev.molt.vmm;
  requires dev.molt.guest;
  requires org.slf4j;
  requires jdk.jfr;
  requires static org.checkerframework.checker.qual;

  exports dev.molt.states;
  exports dev.molt.states.spi;
  // Not API: the benchmarks' native floor consumes a guest plan written from GuestLayout and the
  // ELF loader's image (dev.molt.benchmarks.states.GuestPlan), so it does not re-derive the layout.
  exports dev.molt.states.internal to
      dev.molt.benchmarks;
  exports dev.molt.states.internal.elf to
      dev.molt.benchmarks;
}
