package dev.molt.vmm;

/**
 * A descriptor-table register (GDTR or IDTR): base and limit ({@code struct kvm_dtable}).
 *
 * @param base the linear base address
 * @param limit the limit (size - 1), 0..0xFFFF
 */
public record DescriptorTable(long base, int limit) {
  /**
   * Checks the limit.
   *
   * @throws IllegalArgumentException if the limit is not 0..0xFFFF
   */
  public DescriptorTable {
    if (limit < 0 || limit > 0xFFFF) {
      throw new IllegalArgumentException("descriptor table limit must be 0..0xFFFF: " + limit);
    }
  }
}
