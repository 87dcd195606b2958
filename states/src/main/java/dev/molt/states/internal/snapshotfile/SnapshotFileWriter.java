package dev.molt.states.internal.snapshotfile;

import static dev.molt.states.internal.snapshotfile.SnapshotFileFormat.*;

import dev.molt.states.internal.snapshotfile.SnapshotFormatException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Writes a {@link SnapshotFile} in format 1.0: into a temporary file next to the target, then
 * renamed over it atomically, so a reader never sees a half-written snapshot.
 */
public final class SnapshotFileWriter {
  private SnapshotFileWriter() {}

  /**
   * Writes {@code file} to {@code target}.
   *
   * @param file the snapshot
   * @param target the path (replaced atomically if it exists)
   * @throws SnapshotFormatException ({@link Problem#IO}) if writing fails; nothing is left behind
   */
  public static void write(SnapshotFile file, Path target) throws SnapshotFormatException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(target, "target");
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    if (directory == null) {
      throw new IllegalArgumentException("target has no parent directory: " + target);
    }
    Path temporary = null;
    try {
      temporary = Files.createTempFile(directory, ".molt-snapshot-", ".tmp");
      try (FileChannel channel =
          FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeTo(file, channel);
        channel.force(true);
      }
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temporary = null;
    } catch (IOException e) {
      throw new SnapshotFormatException(Problem.IO, "cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // Best effort: the write already failed and is reported.
        }
      }
    }
  }

  private static void writeTo(SnapshotFile file, FileChannel channel) throws IOException {
    byte[][] small = {
      Sections.metadata(file), Sections.vcpus(file.vcpus()), Sections.memoryLayout(file.memory().regions())
    };
    int[] types = {METADATA, VCPUS, MEMORY_LAYOUT, MEMORY};
    long[] offsets = new long[SECTIONS];
    long[] lengths = new long[SECTIONS];
    byte[][] digests = new byte[SECTIONS][];
    long at = align(headerSize(SECTIONS));
    for (int i = 0; i < small.length; i++) {
      offsets[i] = at;
      lengths[i] = small[i].length;
      digests[i] = sha256().digest(small[i]);
      writeFully(channel, ByteBuffer.wrap(small[i]), at);
      at = align(at + small[i].length);
    }
    offsets[3] = at;
    lengths[3] = file.memory().sizeBytes();
    channel.position(at);
    MessageDigest memoryDigest = sha256();
    try (WritableByteChannel sink = hashing(channel, memoryDigest)) {
      file.memory().writeTo(sink);
    }
    digests[3] = memoryDigest.digest();
    long fileSize = at + lengths[3];

    ByteBuffer header = ByteBuffer.allocate(headerSize(SECTIONS)).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).putShort((short) MAJOR).putShort((short) MINOR);
    header.putInt(headerSize(SECTIONS)).putLong(fileSize).putInt(SECTIONS).putInt(0);
    for (int i = 0; i < SECTIONS; i++) {
      header.putInt(types[i]).putInt(0).putLong(offsets[i]).putLong(lengths[i]).put(digests[i]);
    }
    MessageDigest headerDigest = sha256();
    headerDigest.update(header.array(), 0, header.position());
    header.put(headerDigest.digest());
    writeFully(channel, header.flip(), 0);
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  /** A channel that feeds every byte written to {@code digest}. */
  private static WritableByteChannel hashing(FileChannel channel, MessageDigest digest) {
    return new WritableByteChannel() {
      @Override
      public int write(ByteBuffer source) throws IOException {
        ByteBuffer view = source.duplicate();
        int written = channel.write(source);
        digest.update(view.limit(view.position() + written));
        return written;
      }

      // The Called Methods checker wants "isOpen() == false implies close() was called"; this
      // view reports its file channel's state, which the writer owns and closes.
      @SuppressWarnings("contracts.conditional.postcondition")
      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() {
        // The caller closes the file channel.
      }
    };
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
