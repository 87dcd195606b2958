package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuestAddressTest {
  @Test
  void plusAddsUnsignedOffsets() {
    assertThat(GuestAddress.of(0x1000).plus(0x20)).isEqualTo(GuestAddress.of(0x1020));
    assertThat(GuestAddress.of(0x7FFF_FFFF_FFFF_FFFFL).plus(1).value()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void plusThrowsWhenTheSumPassesTwoToTheSixtyFour() {
    assertThatThrownBy(() -> GuestAddress.of(-8).plus(16))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("overflow")
        .hasMessageContaining("0xfffffffffffffff8");
  }

  @Test
  void minusThrowsBelowZero() {
    assertThatThrownBy(() -> GuestAddress.of(0x10).minus(0x11))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("underflow");
  }

  @Test
  void offsetFromRejectsABaseAboveTheAddress() {
    assertThat(GuestAddress.of(0x3000).offsetFrom(GuestAddress.of(0x1000))).isEqualTo(0x2000);
    assertThatThrownBy(() -> GuestAddress.of(0x1000).offsetFrom(GuestAddress.of(0x3000)))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void comparisonIsUnsigned() {
    assertThat(GuestAddress.of(-1)).isGreaterThan(GuestAddress.of(1));
  }

  @Test
  void alignmentMustBeAPowerOfTwo() {
    assertThat(GuestAddress.of(0x2000).isAligned(4096)).isTrue();
    assertThat(GuestAddress.of(0x2008).isAligned(4096)).isFalse();
    assertThatThrownBy(() -> GuestAddress.of(0).isAligned(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
  }
}
