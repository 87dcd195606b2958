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

  /** Zeros for padding (at most 7 bytes are ever needed). */
  private static final byte[] ZEROS = new byte[8];

  private final int kind;
  private final List<Piece> pieces = new ArrayList<>();
  // The header's 16 bytes are reserved at the start: writeTo fills them in, so header and small
  // fields reach guest memory in one write.
  private ByteBuffer scratch =
      ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).position(GuestAbi.FRAME_HEADER_SIZE);
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

  /**
   * Appends one value (8-aligned: every field before it keeps the alignment). Scalars are written
   * straight into the scratch buffer; string and bytes data go through {@link #raw}.
   */
  FrameWriter value(ValueType type, @Nullable Object value) {
    switch (type) {
      case STRING -> {
        return variable(type, ((String) nonNull(value)).getBytes(StandardCharsets.UTF_8));
      }
      case BYTES -> {
        return variable(type, (byte[]) nonNull(value));
      }
      default -> {
        // scalars: fixed length, checked against the type by the caller
      }
    }
    int length = Tags.fixedLength(type);
    ByteBuffer b = ensure(GuestAbi.VALUE_HEADER_SIZE + 8);
    valueHeader(b, type, length);
    switch (type) {
      case VOID -> {}
      case I32 -> b.putInt((Integer) nonNull(value));
      case U32 -> b.putInt((int) (long) (Long) nonNull(value));
      case I64, U64 -> b.putLong((Long) nonNull(value));
      case F32 -> b.putInt(Float.floatToRawIntBits((Float) nonNull(value)));
      case F64 -> b.putLong(Double.doubleToRawLongBits((Double) nonNull(value)));
      case BOOL -> b.put((byte) (((Boolean) nonNull(value)) ? 1 : 0));
      case STRING, BYTES -> throw new AssertionError(type); // handled above
    }
    int padded = (int) FrameReader.pad8(length);
    b.put(ZEROS, 0, padded - length);
    size += GuestAbi.VALUE_HEADER_SIZE + padded;
    return this;
  }

  private FrameWriter variable(ValueType type, byte[] data) {
    valueHeader(ensure(GuestAbi.VALUE_HEADER_SIZE), type, data.length);
    size += GuestAbi.VALUE_HEADER_SIZE;
    raw(data);
    return this;
  }

  private static void valueHeader(ByteBuffer b, ValueType type, int length) {
    b.put((byte) Tags.tagOf(type)).put((byte) 0).put((byte) 0).put((byte) 0).putInt(length);
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
    ensure(padding).put(ZEROS, 0, padding);
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
    // The first piece always starts with the reserved header (the scratch buffer began with it).
    ByteBuffer.wrap(pieces.get(0).bytes())
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(0, GuestAbi.FRAME_MAGIC)
        .putShort(4, (short) GuestAbi.VERSION)
        .putShort(6, (short) kind)
        .putInt(8, (int) size)
        .putInt(12, 0);
    GuestAddress at = GuestAddress.of(buffer);
    for (Piece piece : pieces) {
      memory.write(at, piece.bytes());
      at = at.plus(piece.bytes().length);
    }
  }

  private static Object nonNull(@Nullable Object value) {
    if (value == null) {
      throw new NullPointerException("a " + "non-void value is null");
    }
    return value;
  }
}
