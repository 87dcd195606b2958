package dev.molt.states.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.molt.api.GuestLogLevel;
import dev.molt.api.SandboxConfiguration;
import dev.molt.guest.GuestAbi;
import dev.molt.guest.TestGuest;
import dev.molt.states.internal.elf.ElfImage;
import dev.molt.vmm.longmode.PageKind;
import dev.molt.vmm.longmode.PageRange;
import dev.molt.vmm.longmode.PortRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Molt's concrete layout of guest ABI v1, computed without KVM. */
class GuestLayoutTest {
  private static final SandboxConfiguration CONFIG =
      SandboxConfiguration.builder()
          .guestMemorySize(16L << 20)
          .stackSize(64L << 10)
          .inputBufferSize(5000)
          .outputBufferSize(64L << 10)
          .heapSize(1L << 20)
          .guestLogLevel(GuestLogLevel.WARN)
          .build();

  private static GuestLayout layout() throws Exception {
    return GuestLayout.of(CONFIG, ElfImage.parse(TestGuest.BEHAVIOURS.elf(), GuestLayout.imageLimits(CONFIG)));
  }

  @Test
  void areasFollowTheImageInAbiOrderWithAGuardPage() throws Exception {
    GuestLayout l = layout();
    assertThat(l.imageEnd() % GuestLayout.PAGE).isZero();
    assertThat(l.stackBase()).isEqualTo(l.imageEnd() + GuestLayout.PAGE);
    assertThat(l.stackTop()).isEqualTo(l.stackBase() + (64 << 10));
    assertThat(l.inputAddress()).isEqualTo(l.stackTop());
    assertThat(l.outputAddress()).isEqualTo(l.inputAddress() + 8192); // 5000 rounded up to pages
    assertThat(l.heapAddress()).isEqualTo(l.outputAddress() + (64 << 10));
    assertThat(l.heapEnd()).isEqualTo(l.heapAddress() + (1 << 20));
  }

  @Test
  void pagePermissionsFollowTheSegmentsAndAreas() throws Exception {
    GuestLayout l = layout();
    Map<String, PageKind> kinds =
        l.longMode().pages().stream().collect(Collectors.toMap(PageRange::name, PageRange::kind));
    assertThat(kinds)
        .containsEntry("boot block", PageKind.USER_READ_ONLY)
        .containsEntry("image segment 0", PageKind.USER_CODE)
        .containsEntry("image segment 1", PageKind.USER_READ_ONLY)
        .containsEntry("image segment 2", PageKind.USER_DATA)
        .containsEntry("stack", PageKind.USER_DATA)
        .containsEntry("buffers and heap", PageKind.USER_DATA);
    assertThat(l.longMode().defaultPageKind()).isEqualTo(PageKind.NOT_PRESENT); // null page, guard pages
    assertThat(l.longMode().allowedPorts()).containsExactly(new PortRange(GuestAbi.PORT_DONE, GuestAbi.PORT_ABORT));
    assertThat(l.longMode().faultPortBase()).isEqualTo(GuestAbi.PORT_EXCEPTION_BASE);
    assertThat(l.longMode().pageTables().value() + l.longMode().pageTablesSize())
        .isLessThanOrEqualTo(GuestAbi.BOOT_BLOCK_ADDRESS);
  }

  @Test
  void bootBlockCarriesEveryArea() throws Exception {
    GuestLayout l = layout();
    ByteBuffer b = ByteBuffer.wrap(l.bootBlock()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getLong(0x00)).isEqualTo(GuestAbi.BOOT_MAGIC);
    assertThat(b.getInt(0x08)).isEqualTo(GuestAbi.VERSION);
    assertThat(List.of(b.getLong(0x10), b.getLong(0x18), b.getLong(0x20), b.getLong(0x28), b.getLong(0x30)))
        .containsExactly(16L << 20, l.inputAddress(), 5000L, l.outputAddress(), 64L << 10);
    assertThat(List.of(b.getLong(0x38), b.getLong(0x40), b.getLong(0x48), b.getLong(0x50)))
        .containsExactly(l.heapAddress(), 1L << 20, l.stackTop(), 64L << 10);
    assertThat(b.getInt(0x58)).isEqualTo(3); // WARN
  }

  @Test
  void layoutIdNamesTheAbiAndEveryArea() throws Exception {
    GuestLayout l = layout();
    assertThat(l.id().value()).startsWith("molt-abi1:mem=0x1000000,image-end=0x").contains(",heap=0x");
    assertThat(layout().id()).isEqualTo(l.id());
  }
}
