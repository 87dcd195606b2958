package dev.molt.vmm;

/**
 * A segment register's hidden part as KVM reports and loads it ({@code struct kvm_segment}).
 *
 * @param base the segment base
 * @param limit the segment limit (unsigned 32-bit)
 * @param selector the selector (0..0xFFFF); its low two bits are the RPL
 * @param type the 4-bit descriptor type
 * @param present the P bit
 * @param dpl the descriptor privilege level (0..3)
 * @param db the D/B bit
 * @param s the S bit (code/data rather than system)
 * @param l the L bit (64-bit code)
 * @param g the granularity bit
 * @param avl the AVL bit
 * @param unusable KVM's "unusable" marker
 */
public record Segment(
    long base,
    int limit,
    int selector,
    int type,
    boolean present,
    int dpl,
    boolean db,
    boolean s,
    boolean l,
    boolean g,
    boolean avl,
    boolean unusable) {

  /**
   * Checks the ranges of the bit fields.
   *
   * @throws IllegalArgumentException if selector, type or dpl is out of range
   */
  public Segment {
    if (selector < 0 || selector > 0xFFFF) {
      throw new IllegalArgumentException("selector must be 0..0xFFFF: " + selector);
    }
    if (type < 0 || type > 0xF) {
      throw new IllegalArgumentException("type must be 0..15: " + type);
    }
    if (dpl < 0 || dpl > 3) {
      throw new IllegalArgumentException("dpl must be 0..3: " + dpl);
    }
  }

  /**
   * The privilege level encoded in the selector (for CS: the current privilege level).
   *
   * @return {@code selector & 3}
   */
  public int rpl() {
    return selector & 3;
  }
}
