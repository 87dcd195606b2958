package dev.molt.vmm;

/**
 * Where a guest's ring-0 exception stubs report: the stub for vector {@code v} executes {@code out
 * %al, $(firstPort + v)}. {@link Vcpu#run()} decodes such an exit into {@link VcpuExit.Fault} only
 * when the exit happened at CPL 0 (ring 3 cannot fake it when the I/O bitmap denies those ports)
 * and reads the exception frame at the ring-0 stack pointer, which must be identity-mapped
 * (guest-virtual = guest-physical).
 *
 * @param firstPort the port of vector 0
 * @param vectorCount how many consecutive vectors report (1..32)
 */
public record FaultPorts(int firstPort, int vectorCount) {

  /**
   * Checks that the ports fit the 8-bit immediate of {@code out %al, $imm8}.
   *
   * @throws IllegalArgumentException if {@code firstPort + vectorCount - 1 > 0xFF}
   */
  public FaultPorts {
    if (vectorCount < 1 || vectorCount > ExceptionVector.COUNT) {
      throw new IllegalArgumentException("vectorCount must be 1..32: " + vectorCount);
    }
    if (firstPort < 0 || firstPort + vectorCount - 1 > 0xFF) {
      throw new IllegalArgumentException(
          "fault ports must lie in 0..0xFF (out with an 8-bit immediate): firstPort=0x"
              + Integer.toHexString(firstPort)
              + ", vectorCount="
              + vectorCount);
    }
  }

  /**
   * Whether {@code port} is one of the stub ports.
   *
   * @param port an I/O port
   * @return whether it reports a vector
   */
  public boolean contains(int port) {
    return port >= firstPort && port < firstPort + vectorCount;
  }
}
