package dev.molt.states.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.molt.api.ValueType;
import dev.molt.guest.GuestAbi;
import dev.molt.testkit.RequiresKvm;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestMemory;
import dev.molt.vmm.Kvm;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.VirtualMachine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile frames in guest memory: every defect is a WireException naming the field. */
@RequiresKvm
class FrameReaderTest {
  private static final long BUFFER = 0x1000;
  private static final long SIZE = 256;
  private static Kvm kvm;
  private static VirtualMachine vm;
  private static GuestMemory memory;

  @BeforeAll
  static void map() {
    kvm = Kvm.open();
    vm = kvm.createVirtualMachine(1);
    vm.addMemoryRegion(MemoryRegionSpec.anonymous(GuestAddress.of(0), 0x10000));
    memory = vm.memory();
  }

  @AfterAll
  static void unmap() {
    vm.close();
    kvm.close();
  }

  /** A frame of {@code kind} whose body is {@code body}; header fields overridable. */
  private static FrameReader frame(int kind, byte[] body) throws WireException {
    ByteBuffer b = ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(GuestAbi.FRAME_MAGIC).putShort((short) 1).putShort((short) kind).putInt(body.length).putInt(0).put(body);
    memory.fill(GuestAddress.of(BUFFER), SIZE, (byte) 0);
    memory.write(GuestAddress.of(BUFFER), b.array());
    return FrameReader.open(memory, BUFFER, SIZE);
  }

  private static byte[] value(int tag, int length, byte... data) {
    ByteBuffer b = ByteBuffer.allocate(8 + (int) FrameReader.pad8(data.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) tag).put((byte) 0).put((byte) 0).put((byte) 0).putInt(length).put(data);
    return b.array();
  }

  @Test
  void readsEachScalarAndString() throws Exception {
    assertThat(frame(2, value(1, 4, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF)).value(0, "v").value()).isEqualTo(-2);
    assertThat(frame(2, value(2, 4, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF)).value(0, "v").value()).isEqualTo(0xFFFFFFFEL);
    assertThat(frame(2, value(7, 1, (byte) 1)).value(0, "v").value()).isEqualTo(true);
    assertThat(frame(2, value(8, 2, (byte) 'o', (byte) 'k')).value(0, "v").value()).isEqualTo("ok");
    FrameReader.Value v = frame(2, value(0, 0)).value(0, "v");
    assertThat(v.type()).isEqualTo(ValueType.VOID);
    assertThat(v.end()).isEqualTo(8);
  }

  @Test
  void badMagicVersionAndReservedAreRejected() {
    memory.write(GuestAddress.of(BUFFER), new byte[16]);
    assertThatThrownBy(() -> FrameReader.open(memory, BUFFER, SIZE))
        .isInstanceOf(WireException.class).hasMessage("frame magic is 0x00000000, expected 0x464c4f4d (\"MOLF\")");
    memory.writeInt(GuestAddress.of(BUFFER), GuestAbi.FRAME_MAGIC);
    memory.writeShort(GuestAddress.of(BUFFER + 4), (short) 2);
    assertThatThrownBy(() -> FrameReader.open(memory, BUFFER, SIZE)).hasMessage("frame abi_version is 2, expected 1");
    memory.writeShort(GuestAddress.of(BUFFER + 4), (short) 1);
    memory.writeInt(GuestAddress.of(BUFFER + 12), 5);
    assertThatThrownBy(() -> FrameReader.open(memory, BUFFER, SIZE)).hasMessage("frame header reserved field is 0x5, expected 0");
  }

  @Test
  void bodyLengthPastTheBufferIsRejectedEvenNearTwoToThe32() {
    memory.write(GuestAddress.of(BUFFER), new byte[16]);
    memory.writeInt(GuestAddress.of(BUFFER), GuestAbi.FRAME_MAGIC);
    memory.writeShort(GuestAddress.of(BUFFER + 4), (short) 1);
    memory.writeInt(GuestAddress.of(BUFFER + 8), -1);
    assertThatThrownBy(() -> FrameReader.open(memory, BUFFER, SIZE))
        .hasMessage("frame body_length 4294967295 runs past the 256-byte output buffer");
  }

  @Test
  void unknownTagNonZeroReservedWrongScalarLengthAndBadBoolAreRejected() {
    assertThatThrownBy(() -> frame(2, value(10, 0)).value(0, "RETURN value"))
        .hasMessage("RETURN value has unknown type tag 10");
    byte[] reserved = value(1, 4, new byte[4]);
    reserved[2] = 1;
    assertThatThrownBy(() -> frame(2, reserved).value(0, "v")).hasMessage("v header has a non-zero reserved byte");
    assertThatThrownBy(() -> frame(2, value(3, 4, new byte[4])).value(0, "v"))
        .hasMessage("v is i64 but its length is 4, expected 8");
    assertThatThrownBy(() -> frame(2, value(7, 1, (byte) 2)).value(0, "v"))
        .hasMessage("v is a bool with byte 2, expected 0 or 1");
  }

  @Test
  void invalidUtf8StringIsRejected() {
    assertThatThrownBy(() -> frame(2, value(8, 2, (byte) 0xC3, (byte) 0x28)).value(0, "v"))
        .hasMessage("v is not valid UTF-8");
  }

  @Test
  void lengthsPastTheBodyAreRejectedWithoutOverflow() {
    assertThatThrownBy(() -> frame(2, value(9, -8, new byte[8])).value(0, "v"))
        .hasMessage("v data (4294967288 bytes at body offset 8) runs past the RETURN body of 16 bytes");
    assertThatThrownBy(() -> frame(2, new byte[4]).value(0, "v"))
        .hasMessage("v header (8 bytes at body offset 0) runs past the RETURN body of 4 bytes");
  }

  @Test
  void trailingBytesAreRejected() throws Exception {
    byte[] body = new byte[24];
    System.arraycopy(value(1, 4, new byte[4]), 0, body, 0, 16);
    FrameReader f = frame(2, body);
    FrameReader.Value v = f.value(0, "v");
    assertThatThrownBy(() -> f.requireEnd(v.end()))
        .hasMessage("RETURN body_length is 24 but its contents end at 16 (no trailing bytes allowed)");
  }

  @Test
  void messagesDecodeMalformedUtf8WithReplacementCharacters() throws Exception {
    FrameReader f = frame(3, new byte[] {(byte) 'a', (byte) 0xFF, (byte) 'b', 0, 0, 0, 0, 0});
    assertThat(f.message(0, 3, "m")).isEqualTo("a\uFFFDb");
  }
}
