package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryRegionSpecTest {
  @Test
  void misalignedBaseIsRejected() {
    assertThatThrownBy(() -> MemoryRegionSpec.anonymous(GuestAddress.of(0x1001), 0x1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base must be 4 KiB aligned: 0x1001");
  }

  @Test
  void sizeThatIsNotAMultipleOfAPageIsRejected() {
    assertThatThrownBy(() -> MemoryRegionSpec.anonymous(GuestAddress.of(0), 0x1800))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive multiple of 4 KiB");
  }

  @Test
  void emptyRegionIsRejected() {
    assertThatThrownBy(() -> MemoryRegionSpec.memfd(GuestAddress.of(0), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive multiple of 4 KiB");
  }

  @Test
  void regionPastTheEndOfTheAddressSpaceIsRejected() {
    assertThatThrownBy(() -> MemoryRegionSpec.anonymous(GuestAddress.of(-0x1000), 0x2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflows the address space");
  }

  @Test
  void regionEndingExactlyAtTheTopOfTheAddressSpaceIsAccepted() {
    MemoryRegionSpec spec = MemoryRegionSpec.anonymous(GuestAddress.of(-0x1000), 0x1000);
    assertThat(spec.last()).isEqualTo(GuestAddress.of(-1));
  }

  @Test
  void nullBaseIsRejectedByName() {
    assertThatThrownBy(() -> MemoryRegionSpec.anonymous(null, 0x1000))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("base");
  }

  @Test
  void asReadOnlyKeepsEverythingElse() {
    MemoryRegionSpec spec = MemoryRegionSpec.memfd(GuestAddress.of(0x1000), 0x2000).asReadOnly();
    assertThat(spec)
        .isEqualTo(
            new MemoryRegionSpec(
                GuestAddress.of(0x1000), 0x2000, MemoryRegionSpec.Backing.MEMFD, true));
  }
}
