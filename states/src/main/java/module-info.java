/** Built-in sandbox states and the guest call protocol (to be filled by the states issue). */
module dev.molt.states {
  requires dev.molt.api;
  requires dev.molt.transitions;
  requires dev.molt.vmm;
  requires static org.checkerframework.checker.qual;
}
