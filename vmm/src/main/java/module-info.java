/** The KVM substrate (to be filled by the vmm issue). */
module dev.molt.vmm {
  requires org.jnrproject.ffi;
  requires org.slf4j;
  requires static org.checkerframework.checker.qual;
}
