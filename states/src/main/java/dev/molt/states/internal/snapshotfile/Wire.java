package dev.molt.states.internal.snapshotfile;

import dev.molt.states.internal.snapshotfile.SnapshotFormatException.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Little-endian encoding of the file's fields: a growable writer and a bounds-checked reader. */
final class Wire {
  private Wire() {}

  /** Appends fields to a growable buffer. */
  static final class Out {
    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    private ByteBuffer room(int bytes) {
      if (buffer.remaining() < bytes) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
      return buffer;
    }

    Out u8(int value) {
      room(1).put((byte) value);
      return this;
    }

    Out bool(boolean value) {
      return u8(value ? 1 : 0);
    }

    Out u16(int value) {
      room(2).putShort((short) value);
      return this;
    }

    Out u32(int value) {
      room(4).putInt(value);
      return this;
    }

    Out u64(long value) {
      room(8).putLong(value);
      return this;
    }

    Out bytes(byte[] value) {
      room(value.length).put(value);
      return this;
    }

    Out string(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      return u32(utf8.length).bytes(utf8);
    }

    byte[] toArray() {
      byte[] result = new byte[buffer.position()];
      buffer.duplicate().flip().get(result);
      return result;
    }
  }

  /** Reads fields from a section's bytes; every read is bounds-checked. */
  static final class In {
    private final ByteBuffer buffer;
    private final String section;
    private final int maxStringBytes;

    In(byte[] bytes, String section, int maxStringBytes) {
      this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      this.section = section;
      this.maxStringBytes = maxStringBytes;
    }

    private ByteBuffer need(int bytes, String field) throws SnapshotFormatException {
      if (buffer.remaining() < bytes) {
        throw new SnapshotFormatException(
            Problem.TRUNCATED,
            section + " ends at byte " + buffer.position() + " before " + field + " (" + bytes
                + " bytes)");
      }
      return buffer;
    }

    int u8(String field) throws SnapshotFormatException {
      return Byte.toUnsignedInt(need(1, field).get());
    }

    boolean bool(String field) throws SnapshotFormatException {
      int value = u8(field);
      if (value > 1) {
        throw new SnapshotFormatException(
            Problem.VALUE, section + " " + field + " must be 0 or 1, is " + value);
      }
      return value == 1;
    }

    int u16(String field) throws SnapshotFormatException {
      return Short.toUnsignedInt(need(2, field).getShort());
    }

    int u32(String field) throws SnapshotFormatException {
      return need(4, field).getInt();
    }

    long u64(String field) throws SnapshotFormatException {
      return need(8, field).getLong();
    }

    /** An unsigned 32-bit count in {@code [min, max]}. */
    int count(String field, int min, int max) throws SnapshotFormatException {
      long value = Integer.toUnsignedLong(u32(field));
      if (value < min || value > max) {
        throw new SnapshotFormatException(
            Problem.COUNT, section + " " + field + " is " + value + ", must be " + min + ".." + max);
      }
      return (int) value;
    }

    String string(String field) throws SnapshotFormatException {
      long length = Integer.toUnsignedLong(u32(field + " length"));
      if (length > maxStringBytes) {
        throw new SnapshotFormatException(
            Problem.LIMIT,
            section + " " + field + " is " + length + " bytes long, the limit is " + maxStringBytes);
      }
      ByteBuffer bytes = need((int) length, field).slice().limit((int) length);
      buffer.position(buffer.position() + (int) length);
      try {
        CharBuffer chars =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes);
        return chars.toString();
      } catch (CharacterCodingException e) {
        throw new SnapshotFormatException(
            Problem.ENCODING, section + " " + field + " is not well-formed UTF-8", e);
      }
    }

    byte[] bytes(int length, String field) throws SnapshotFormatException {
      byte[] result = new byte[length];
      need(length, field).get(result);
      return result;
    }

    /** Throws unless every byte was consumed. */
    void end() throws SnapshotFormatException {
      if (buffer.hasRemaining()) {
        throw new SnapshotFormatException(
            Problem.STRUCTURE,
            section + " has " + buffer.remaining() + " bytes left over after its last field");
      }
    }
  }
}
