/**
 * The KVM substrate: {@link dev.molt.vmm.Kvm} opens {@code /dev/kvm} and creates {@link
 * dev.molt.vmm.VirtualMachine}s, which own their guest memory ({@link dev.molt.vmm.GuestMemory})
 * and create {@link dev.molt.vmm.Vcpu}s; {@link dev.molt.vmm.Vcpu#run()} returns a typed {@link
 * dev.molt.vmm.VcpuExit}. Every owner is {@link java.lang.AutoCloseable}, owns its file
 * descriptor, closes idempotently and throws {@link java.lang.IllegalStateException} when used
 * after close. Kernel failures throw {@link dev.molt.vmm.KvmException}.
 */
package dev.molt.vmm;
