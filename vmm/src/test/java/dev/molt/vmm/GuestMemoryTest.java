package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.testkit.RequiresKvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RequiresKvm
class GuestMemoryTest {
  private static final GuestAddress BASE = GuestAddress.of(0x10000);
  private Kvm kvm;
  private VirtualMachine vm;
  private GuestMemory memory;

  @BeforeEach
  void createVm() {
    kvm = Kvm.open();
    vm = kvm.createVirtualMachine(4);
    vm.addMemoryRegion(MemoryRegionSpec.anonymous(BASE, 0x4000));
    memory = vm.memory();
  }

  @AfterEach
  void closeVm() {
    vm.close();
    kvm.close();
  }

  @Test
  void integersAreLittleEndian() {
    memory.writeLong(BASE.plus(3), 0x0102030405060708L);
    assertThat(memory.read(BASE.plus(3), 8))
        .containsExactly(0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01);
    assertThat(memory.readInt(BASE.plus(3))).isEqualTo(0x05060708);
    assertThat(memory.readShort(BASE.plus(3))).isEqualTo((short) 0x0708);
    assertThat(memory.readByte(BASE.plus(10))).isEqualTo((byte) 0x01);
  }

  @Test
  void bytesRoundTrip() {
    memory.write(BASE.plus(0x3FFC), new byte[] {1, 2, 3, 4});
    assertThat(memory.read(BASE.plus(0x3FFC), 4)).containsExactly(1, 2, 3, 4);
  }

  @Test
  void bytesReadIntoACallersArrayAtAnOffset() {
    memory.write(BASE.plus(0x100), new byte[] {5, 6, 7});
    byte[] target = {9, 9, 9, 9, 9};
    memory.read(BASE.plus(0x100), target, 1, 3);
    assertThat(target).containsExactly(9, 5, 6, 7, 9);
  }

  @Test
  void readingIntoAnArrayOutsideItsBoundsOrOutsideTheRegionIsRejected() {
    byte[] target = new byte[4];
    assertThatThrownBy(() -> memory.read(BASE, target, 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> memory.read(BASE, target, -1, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> memory.read(BASE.plus(0x3FFE), target, 0, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(target).containsOnly(0);
  }

  @Test
  void accessPastTheEndOfTheRegionIsRejected() {
    assertThatThrownBy(() -> memory.readLong(BASE.plus(0x3FFC)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("guest range [0x13ffc, 0x14004) is not inside one memory region");
  }

  @Test
  void accessBelowTheRegionIsRejected() {
    assertThatThrownBy(() -> memory.writeByte(GuestAddress.of(0xFFFF), (byte) 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside one memory region");
  }

  @Test
  void accessWhoseEndOverflowsTheAddressSpaceIsRejected() {
    assertThatThrownBy(() -> memory.read(GuestAddress.of(-4), 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("guest range [0xfffffffffffffffc, beyond 2^64)");
  }

  @Test
  void negativeLengthIsRejected() {
    assertThatThrownBy(() -> memory.read(BASE, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length must not be negative: -1");
  }

  @Test
  void accessSpanningTwoRegionsIsRejected() {
    vm.addMemoryRegion(MemoryRegionSpec.memfd(BASE.plus(0x4000), 0x1000));
    assertThatThrownBy(() -> memory.readLong(BASE.plus(0x3FFC)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside one memory region");
  }

  @Test
  void overlappingRegionIsRejected() {
    assertThatThrownBy(() -> vm.addMemoryRegion(MemoryRegionSpec.anonymous(BASE.plus(0x3000), 0x2000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlaps MemoryRegion[slot 0, 0x10000..0x13fff, ANONYMOUS]");
  }

  @Test
  void tooManySlotsIsRejected() {
    for (int i = 1; i < 4; i++) {
      vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0x100000L * i), 0x1000));
    }
    assertThatThrownBy(
            () -> vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0x900000), 0x1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("all 4 memory slots of this VM are in use");
  }

  @Test
  void removedSlotIsReused() {
    MemoryRegion second = vm.addMemoryRegion(MemoryRegionSpec.memfd(GuestAddress.of(0x100000), 0x1000));
    assertThat(second.slot()).isEqualTo(1);
    vm.removeMemoryRegion(second);
    MemoryRegion third = vm.addMemoryRegion(MemoryRegionSpec.memfd(GuestAddress.of(0x200000), 0x1000));
    assertThat(third.slot()).isEqualTo(1);
    assertThat(memory.regions()).extracting(MemoryRegion::base)
        .containsExactly(BASE, GuestAddress.of(0x200000));
  }

  @Test
  void cellOfARemovedRegionRefusesAccess() {
    MemoryRegion region = vm.addMemoryRegion(MemoryRegionSpec.memfd(GuestAddress.of(0x100000), 0x1000));
    MemoryCell cell = memory.cell(GuestAddress.of(0x100008));
    cell.setVolatile(7);
    vm.removeMemoryRegion(region);
    assertThatThrownBy(cell::getVolatile).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void removingARegionTwiceIsRejected() {
    MemoryRegion region = vm.addMemoryRegion(MemoryRegionSpec.memfd(GuestAddress.of(0x100000), 0x1000));
    vm.removeMemoryRegion(region);
    assertThatThrownBy(() -> vm.removeMemoryRegion(region))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a memory region of this VM");
  }

  @Test
  void cellsSupportOrderedAndAtomicAccess() {
    MemoryCell cell = memory.cell(BASE.plus(0x10));
    cell.setRelease(41);
    assertThat(cell.getAcquire()).isEqualTo(41);
    assertThat(cell.compareAndSet(41, 42)).isTrue();
    assertThat(cell.compareAndSet(41, 43)).isFalse();
    assertThat(cell.getAndAdd(8)).isEqualTo(42);
    assertThat(memory.readLong(BASE.plus(0x10))).isEqualTo(50);
  }

  @Test
  void misalignedCellIsRejected() {
    assertThatThrownBy(() -> memory.cell(BASE.plus(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a memory cell must be 8-byte aligned: 0x10004");
  }

  @Test
  void hostMappingHasAGuardPageOnEachSide() throws IOException {
    MemoryRegion region = memory.regions().get(0);
    long start = region.hostAddress();
    long end = start + region.size();
    List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
    assertThat(permissionsOfMappingContaining(maps, start - 1)).isEqualTo("---p");
    assertThat(permissionsOfMappingContaining(maps, start)).isEqualTo("rw-p");
    assertThat(permissionsOfMappingContaining(maps, end)).isEqualTo("---p");
  }

  private static String permissionsOfMappingContaining(List<String> maps, long address) {
    for (String line : maps) {
      String[] fields = line.split("\\s+");
      String[] range = fields[0].split("-");
      long from = Long.parseUnsignedLong(range[0], 16);
      long to = Long.parseUnsignedLong(range[1], 16);
      if (Long.compareUnsigned(address, from) >= 0 && Long.compareUnsigned(address, to) < 0) {
        return fields[1];
      }
    }
    return "unmapped";
  }

  @Test
  void accessAfterCloseThrows() {
    vm.close();
    assertThatThrownBy(() -> memory.readLong(BASE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("VirtualMachine is closed");
  }

  @Test
  void addingMemoryAfterCloseThrows() {
    vm.close();
    assertThatThrownBy(() -> vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), 4096)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("VirtualMachine is closed");
  }

  @Test
  void vmCloseIsIdempotent() {
    vm.close();
    vm.close();
    assertThat(vm.isClosed()).isTrue();
  }
}
