/**
 * The KVM substrate of Molt: {@code /dev/kvm}, virtual machines, vCPUs, guest memory and the
 * mechanisms of x86-64 long mode.
 *
 * <p>Exported API: {@link dev.molt.vmm} and {@link dev.molt.vmm.longmode}. The package {@code
 * dev.molt.vmm.internal.sys} is exported unqualified only because jnr-ffi generates the binding's
 * implementation class in an unnamed module, which a qualified export cannot name; it is not API
 * and may change without notice.
 */
module dev.molt.vmm {
  requires org.jnrproject.ffi;
  // jnr-ffi (an automatic module) generates its bindings with ASM; nothing else requires ASM by
  // name, so resolve it here (NoClassDefFoundError: org/objectweb/asm/ClassVisitor otherwise).
  requires org.objectweb.asm;
  requires org.objectweb.asm.commons;
  requires org.objectweb.asm.tree;
  requires org.objectweb.asm.tree.analysis;
  requires org.objectweb.asm.util;
  requires org.slf4j;
  requires static org.checkerframework.checker.qual;

  exports dev.molt.vmm;
  exports dev.molt.vmm.longmode;
  // Not API: see the module Javadoc.
  exports dev.molt.vmm.internal.sys;
}
