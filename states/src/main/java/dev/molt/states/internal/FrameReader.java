package dev.molt.states.internal;

import dev.molt.api.ValueType;
import dev.molt.guest.GuestAbi;
import dev.molt.vmm.GuestAddress;
import dev.molt.vmm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one frame the guest wrote into the output buffer, treating every byte as hostile: each
 * offset and length is checked in 64-bit arithmetic against the body before it is read, and every
 * defect is a {@link WireException} naming the field. Reads go straight to guest memory (the vCPU
 * is stopped while the host reads).
 */
final class FrameReader {
  private static final int HEADER = GuestAbi.FRAME_HEADER_SIZE;

  private final GuestMemory memory;
  private final long body;
  private final long bodyLength;
  private final int kind;

  private FrameReader(GuestMemory memory, long body, long bodyLength, int kind) {
    this.memory = memory;
    this.body = body;
    this.bodyLength = bodyLength;
    this.kind = kind;
  }

  /** Validates the header of the frame at {@code buffer} (of {@code bufferSize} bytes). */
  static FrameReader open(GuestMemory memory, long buffer, long bufferSize) throws WireException {
    // One read of the whole header (the vCPU is stopped: the guest cannot change it meanwhile).
    ByteBuffer header =
        ByteBuffer.wrap(memory.read(GuestAddress.of(buffer), HEADER)).order(ByteOrder.LITTLE_ENDIAN);
    int magic = header.getInt(0);
    if (magic != GuestAbi.FRAME_MAGIC) {
      throw new WireException(
          "frame magic is 0x%08x, expected 0x%08x (\"MOLF\")".formatted(magic, GuestAbi.FRAME_MAGIC));
    }
    int version = Short.toUnsignedInt(header.getShort(4));
    if (version != GuestAbi.VERSION) {
      throw new WireException("frame abi_version is %d, expected %d".formatted(version, GuestAbi.VERSION));
    }
    int kind = Short.toUnsignedInt(header.getShort(6));
    long bodyLength = Integer.toUnsignedLong(header.getInt(8));
    int reserved = header.getInt(12);
    if (reserved != 0) {
      throw new WireException("frame header reserved field is 0x%x, expected 0".formatted(reserved));
    }
    if (bodyLength > bufferSize - HEADER) {
      throw new WireException(
          "frame body_length %d runs past the %d-byte output buffer".formatted(bodyLength, bufferSize));
    }
    return new FrameReader(memory, buffer + HEADER, bodyLength, kind);
  }

  int kind() {
    return kind;
  }

  long bodyLength() {
    return bodyLength;
  }

  static String kindName(int kind) {
    return switch (kind) {
      case GuestAbi.FRAME_CALL -> "CALL";
      case GuestAbi.FRAME_RETURN -> "RETURN";
      case GuestAbi.FRAME_ERROR -> "ERROR";
      case GuestAbi.FRAME_HOSTCALL -> "HOSTCALL";
      case GuestAbi.FRAME_HOSTRESULT -> "HOSTRESULT";
      case GuestAbi.FRAME_ABORT -> "ABORT";
      case GuestAbi.FRAME_INIT -> "INIT";
      default -> "unknown kind " + kind;
    };
  }

  /** Throws unless {@code [offset, offset + length)} lies inside the body. */
  void require(long offset, long length, String field) throws WireException {
    if (offset < 0 || length < 0 || offset > bodyLength || length > bodyLength - offset) {
      throw new WireException(
          "%s (%d bytes at body offset %d) runs past the %s body of %d bytes"
              .formatted(field, length, offset, kindName(kind), bodyLength));
    }
  }

  /** Throws unless the body ends exactly at {@code end}. */
  void requireEnd(long end) throws WireException {
    if (end != bodyLength) {
      throw new WireException(
          "%s body_length is %d but its contents end at %d (no trailing bytes allowed)"
              .formatted(kindName(kind), bodyLength, end));
    }
  }

  int u8(long offset, String field) throws WireException {
    require(offset, 1, field);
    return Byte.toUnsignedInt(memory.readByte(GuestAddress.of(body + offset)));
  }

  long u32(long offset, String field) throws WireException {
    require(offset, 4, field);
    return Integer.toUnsignedLong(memory.readInt(GuestAddress.of(body + offset)));
  }

  int i32(long offset, String field) throws WireException {
    require(offset, 4, field);
    return memory.readInt(GuestAddress.of(body + offset));
  }

  long u64(long offset, String field) throws WireException {
    require(offset, 8, field);
    return memory.readLong(GuestAddress.of(body + offset));
  }

  byte[] bytes(long offset, long length, String field) throws WireException {
    require(offset, length, field);
    // length <= bodyLength <= MAX_BUFFER (1 GiB): fits an int.
    return memory.read(GuestAddress.of(body + offset), (int) length);
  }

  /**
   * Copies {@code length} bytes at {@code offset} (in bounds: checked) into {@code into} when they
   * fit; returns the length either way (the caller reports a result that did not fit once the
   * whole frame is known to be valid).
   */
  private Integer bytesInto(long offset, long length, byte[] into) {
    if (length <= into.length) {
      memory.read(GuestAddress.of(body + offset), into, 0, (int) length);
    }
    return (int) length;
  }

  /** A strictly valid UTF-8 string (names, string values). */
  String utf8(long offset, long length, String field) throws WireException {
    byte[] raw = bytes(offset, length, field);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WireException(field + " is not valid UTF-8");
    }
  }

  /** A message: UTF-8 with replacement characters for malformed bytes. */
  String message(long offset, long length, String field) throws WireException {
    return new String(bytes(offset, length, field), StandardCharsets.UTF_8);
  }

  static long pad8(long value) {
    return (value + 7) & -8L;
  }

  /** A value read at a body offset, with the offset after its padded data. */
  record Value(ValueType type, @Nullable Object value, long end) {}

  /** Reads the value at {@code offset} (8-aligned); {@code field} names it in errors. */
  Value value(long offset, String field) throws WireException {
    return value(offset, field, null);
  }

  /**
   * Like {@link #value(long, String)}, but a {@code bytes} value is copied into {@code into}
   * (when not null) instead of a new array, if it fits; the value is then its length (an {@link
   * Integer}), which may exceed {@code into.length} (then nothing was copied).
   *
   * @throws WireException as {@link #value(long, String)}
   */
  Value value(long offset, String field, byte @Nullable [] into) throws WireException {
    require(offset, GuestAbi.VALUE_HEADER_SIZE, field + " header");
    ByteBuffer header =
        ByteBuffer.wrap(memory.read(GuestAddress.of(body + offset), GuestAbi.VALUE_HEADER_SIZE))
            .order(ByteOrder.LITTLE_ENDIAN);
    int tag = Byte.toUnsignedInt(header.get(0));
    ValueType type = Tags.typeOf(tag);
    if (type == null) {
      throw new WireException("%s has unknown type tag %d".formatted(field, tag));
    }
    if (header.get(1) != 0 || header.get(2) != 0 || header.get(3) != 0) {
      throw new WireException(field + " header has a non-zero reserved byte");
    }
    long length = Integer.toUnsignedLong(header.getInt(4));
    long data = offset + GuestAbi.VALUE_HEADER_SIZE;
    int fixed = Tags.fixedLength(type);
    if (fixed >= 0 && length != fixed) {
      throw new WireException(
          "%s is %s but its length is %d, expected %d".formatted(field, type, length, fixed));
    }
    require(data, pad8(length), field + " data");
    Object value =
        switch (type) {
          case VOID -> null;
          case I32 -> i32(data, field);
          case U32 -> u32(data, field);
          case I64, U64 -> u64(data, field);
          case F32 -> Float.intBitsToFloat(i32(data, field));
          case F64 -> Double.longBitsToDouble(u64(data, field));
          case BOOL -> {
            int b = u8(data, field);
            if (b > 1) {
              throw new WireException("%s is a bool with byte %d, expected 0 or 1".formatted(field, b));
            }
            yield b == 1;
          }
          case STRING -> utf8(data, length, field);
          case BYTES -> into == null ? bytes(data, length, field) : bytesInto(data, length, into);
        };
    return new Value(type, value, data + pad8(length));
  }
}
