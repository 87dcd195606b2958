package dev.molt.vmm.longmode;

/**
 * An inclusive range of I/O ports.
 *
 * @param first the first port (0..0xFFFF)
 * @param last the last port (first..0xFFFF)
 */
public record PortRange(int first, int last) {
  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException if a port is outside 0..0xFFFF or last is below first
   */
  public PortRange {
    if (first < 0 || last > 0xFFFF || last < first) {
      throw new IllegalArgumentException(
          "port range must satisfy 0 <= first <= last <= 0xFFFF: " + first + ".." + last);
    }
  }

  /**
   * Whether the range contains {@code port}.
   *
   * @param port a port
   * @return whether {@code first <= port <= last}
   */
  public boolean contains(int port) {
    return port >= first && port <= last;
  }
}
