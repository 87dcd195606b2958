package dev.molt.states.internal;

import dev.molt.api.ValueType;
import dev.molt.guest.GuestAbi;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Builds a host-to-guest frame (CALL or HOSTRESULT) and writes it to the start of the input
 * buffer. Small fields collect in a scratch buffer; large string and bytes data go to guest memory
 * directly, so a 1 MiB argument is copied once. The caller checks {@link #size()} against the
 * buffer first.
 */
final class FrameWriter {
  private static final int DIRECT = 4096;

  /** A field: either scratch bytes or a large array written directly. */
  private record Piece(byte[] bytes) {}

  private final int kind;
  private final List<Piece> pieces = new ArrayList<>();
  private ByteBuffer scratch = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
  private long size;

  FrameWriter(int kind) {
    this.kind = kind;
  }

  /** Bytes the frame occupies, header included. */
  long size() {
    return GuestAbi.FRAME_HEADER_SIZE + size;
  }

  FrameWriter u32(long value) {
    ensure(4).putInt((int) value);
    size += 4;
    return this;
  }

  /** Appends one value (8-aligned: every field before it keeps the alignment). */
  FrameWriter value(ValueType type, @Nullable Object value) {
    byte[] data = encode(type, value);
    ByteBuffer b = ensure(GuestAbi.VALUE_HEADER_SIZE);
    b.put((byte) Tags.tagOf(type)).put((byte) 0).put((byte) 0).put((byte) 0).putInt(data.length);
    size += GuestAbi.VALUE_HEADER_SIZE;
    raw(data);
    return this;
  }

  /** Appends raw bytes, then zeros up to the next multiple of 8 from the frame start. */
  FrameWriter padded(byte[] data) {
    raw(data);
    return this;
  }

  private void raw(byte[] data) {
    long end = size + data.length;
    int padding = (int) (FrameReader.pad8(end) - end);
    if (data.length >= DIRECT) {
      flush();
      pieces.add(new Piece(data));
    } else {
      ensure(data.length).put(data);
    }
    ensure(padding).put(new byte[padding]);
    size += data.length + padding;
  }

  private ByteBuffer ensure(int more) {
    if (scratch.remaining() < more) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(scratch.capacity() * 2, scratch.position() + more))
              .order(ByteOrder.LITTLE_ENDIAN);
      scratch.flip();
      bigger.put(scratch);
      scratch = bigger;
    }
    return scratch;
  }

  private void flush() {
    if (scratch.position() > 0) {
      byte[] bytes = new byte[scratch.position()];
      scratch.flip();
      scratch.get(bytes);
      scratch.clear();
      pieces.add(new Piece(bytes));
    }
  }

  /** Writes header and body at {@code buffer}; the caller checked the size. */
  void writeTo(GuestMemory memory, long buffer) {
    flush();
    ByteBuffer header = ByteBuffer.allocate(GuestAbi.FRAME_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    header
        .putInt(GuestAbi.FRAME_MAGIC)
        .putShort((short) GuestAbi.VERSION)
        .putShort((short) kind)
        .putInt((int) size)
        .putInt(0);
    GuestAddress at = GuestAddress.of(buffer);
    memory.write(at, header.array());
    at = at.plus(GuestAbi.FRAME_HEADER_SIZE);
    for (Piece piece : pieces) {
      memory.write(at, piece.bytes());
      at = at.plus(piece.bytes().length);
    }
  }

  /** The bytes of a value's data; the value was checked against the type by the caller. */
  static byte[] encode(ValueType type, @Nullable Object value) {
    ByteBuffer b;
    switch (type) {
      case VOID -> {
        return new byte[0];
      }
      case I32 -> b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((Integer) nonNull(value));
      case U32 ->
          b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (long) (Long) nonNull(value));
      case I64, U64 -> b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((Long) nonNull(value));
      case F32 ->
          b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Float.floatToRawIntBits((Float) nonNull(value)));
      case F64 ->
          b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Double.doubleToRawLongBits((Double) nonNull(value)));
      case BOOL -> {
        return new byte[] {(byte) (((Boolean) nonNull(value)) ? 1 : 0)};
      }
      case STRING -> {
        return ((String) nonNull(value)).getBytes(StandardCharsets.UTF_8);
      }
      case BYTES -> {
        return (byte[]) nonNull(value);
      }
      default -> throw new AssertionError(type);
    }
    return b.array();
  }

  private static Object nonNull(@Nullable Object value) {
    if (value == null) {
      throw new NullPointerException("a " + "non-void value is null");
    }
    return value;
  }
}
