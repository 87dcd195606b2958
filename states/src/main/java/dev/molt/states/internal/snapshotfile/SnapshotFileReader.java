package dev.molt.states.internal.snapshotfile;

import static dev.molt.states.internal.snapshotfile.SnapshotFileFormat.*;

import dev.molt.states.internal.snapshotfile.SnapshotFormatException.Problem;
import dev.molt.vmm.MemoryRegionSpec;
import dev.molt.vmm.MemorySnapshot;
import dev.molt.vmm.VcpuState;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and validates a snapshot file of format 1.0. Everything is checked before a {@link
 * SnapshotFile} exists (and so before anything reaches a VM): header, version, limits, section
 * table, every SHA-256 digest, every field, the CPU, the memory layout.
 *
 * <p>Trust model: the file may be changed by someone else while it is read. Each byte is read
 * exactly once: the small sections into the heap, where they are hashed and then parsed; the
 * memory image straight into a new memfd, hashed from the memfd as it arrives, which is then
 * sealed ({@link MemorySnapshot#copyOfVerified}). A change after a byte was read cannot reach a
 * guest; a change before makes a digest differ. Cost: one copy of the image and one SHA-256 pass
 * over it per load (the page-aligned image could be mapped straight from a file trusted not to
 * change, which this reader does not assume).
 */
public final class SnapshotFileReader {
  private SnapshotFileReader() {}

  /**
   * Reads and validates {@code path}.
   *
   * @param path the file
   * @param limits the maxima and the guest-physical range
   * @param host the CPU the snapshot is to run on (e.g. {@link CpuIdentity#host()})
   * @return the validated snapshot
   * @throws SnapshotFormatException naming the first defect found
   */
  public static SnapshotFile read(Path path, SnapshotLimits limits, CpuIdentity host)
      throws SnapshotFormatException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(host, "host");
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return read(channel, limits, host);
    } catch (IOException e) {
      throw new SnapshotFormatException(Problem.IO, "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private record Entry(int type, long offset, long length, byte[] digest) {}

  private static SnapshotFile read(FileChannel channel, SnapshotLimits limits, CpuIdentity host)
      throws IOException, SnapshotFormatException {
    long size = channel.size();
    if (size > limits.maxFileBytes()) {
      throw new SnapshotFormatException(
          Problem.LIMIT, "file is " + size + " bytes, the limit is " + limits.maxFileBytes());
    }
    ByteBuffer fixed = readAt(channel, 0, FIXED_HEADER, size, "the fixed header");
    byte[] magic = new byte[MAGIC.length];
    fixed.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new SnapshotFormatException(
          Problem.MAGIC, "file starts with " + HexFormat.of().formatHex(magic) + ", not MOLTSNAP");
    }
    int major = Short.toUnsignedInt(fixed.getShort());
    int minor = Short.toUnsignedInt(fixed.getShort());
    if (major != MAJOR || minor != MINOR) {
      throw new SnapshotFormatException(
          Problem.VERSION, "format version " + major + "." + minor + ", this reader reads " + MAJOR + "." + MINOR);
    }
    long headerSize = Integer.toUnsignedLong(fixed.getInt());
    long declaredSize = fixed.getLong();
    long sections = Integer.toUnsignedLong(fixed.getInt());
    int reserved = fixed.getInt();
    if (sections != SECTIONS) {
      throw new SnapshotFormatException(
          Problem.COUNT, "section count is " + sections + ", format 1.0 has exactly " + SECTIONS);
    }
    if (headerSize != headerSize(SECTIONS) || reserved != 0) {
      throw new SnapshotFormatException(
          Problem.STRUCTURE,
          "header size " + headerSize + " (expected " + headerSize(SECTIONS) + "), reserved " + reserved);
    }
    if (declaredSize != size) {
      throw new SnapshotFormatException(
          declaredSize > size ? Problem.TRUNCATED : Problem.STRUCTURE,
          "header says the file has " + Long.toUnsignedString(declaredSize) + " bytes, it has " + size);
    }
    ByteBuffer header = readAt(channel, 0, (int) headerSize, size, "the section table");
    MessageDigest headerDigest = SnapshotFileWriter.sha256();
    headerDigest.update(header.duplicate().limit((int) headerSize - DIGEST));
    byte[] recorded = new byte[DIGEST];
    header.duplicate().position((int) headerSize - DIGEST).get(recorded);
    if (!MessageDigest.isEqual(headerDigest.digest(), recorded)) {
      throw new SnapshotFormatException(Problem.CHECKSUM, "header digest does not match the header");
    }
    Entry[] entries = entries(header.position(FIXED_HEADER), size);
    ByteBuffer gap =
        readAt(channel, headerSize, (int) (align(headerSize) - headerSize), size, "the header padding");
    while (gap.hasRemaining()) {
      if (gap.get() != 0) {
        throw new SnapshotFormatException(Problem.STRUCTURE, "padding after the header is not zero");
      }
    }

    byte[] metadataBytes = section(channel, entries[METADATA - 1], size);
    byte[] vcpuBytes = section(channel, entries[VCPUS - 1], size);
    byte[] layoutBytes = section(channel, entries[MEMORY_LAYOUT - 1], size);
    Sections.Metadata metadata = Sections.metadata(metadataBytes, limits);
    Optional<String> cpuProblem = host.cannotRun(metadata.cpu());
    if (cpuProblem.isPresent()) {
      throw new SnapshotFormatException(Problem.CPU_MISMATCH, cpuProblem.get());
    }
    List<MemoryRegionSpec> regions = Sections.memoryLayout(layoutBytes, limits);
    List<VcpuState> vcpus = Sections.vcpus(vcpuBytes, limits);
    Entry memory = entries[MEMORY - 1];
    long total = regions.stream().mapToLong(MemoryRegionSpec::size).sum();
    if (memory.length() != total) {
      throw new SnapshotFormatException(
          Problem.STRUCTURE,
          "memory section has " + memory.length() + " bytes, the regions need " + total);
    }
    MemorySnapshot image = memory(channel, memory, regions);
    return new SnapshotFile(
        metadata.stateClassName(),
        metadata.lineage(),
        metadata.layout(),
        metadata.generation(),
        metadata.hostFunctions(),
        metadata.cpu(),
        vcpus,
        image,
        metadata.guest());
  }

  /** The section table: each type once, aligned, inside the file, in order, gaps zero-length. */
  private static Entry[] entries(ByteBuffer table, long size) throws SnapshotFormatException {
    Entry[] entries = new Entry[SECTIONS];
    long expectedOffset = align(headerSize(SECTIONS));
    for (int i = 0; i < SECTIONS; i++) {
      int type = table.getInt();
      int flags = table.getInt();
      long offset = table.getLong();
      long length = table.getLong();
      byte[] digest = new byte[DIGEST];
      table.get(digest);
      String name = sectionName(type);
      if (type != i + 1) {
        throw new SnapshotFormatException(
            Problem.STRUCTURE, "section " + i + " is " + name + ", expected " + sectionName(i + 1));
      }
      if (flags != 0) {
        throw new SnapshotFormatException(Problem.STRUCTURE, name + " has unknown flags " + flags);
      }
      if (offset != expectedOffset) {
        throw new SnapshotFormatException(
            Problem.STRUCTURE,
            name + " starts at " + Long.toUnsignedString(offset) + ", expected " + expectedOffset
                + " (sections follow each other, each 4 KiB aligned)");
      }
      if (length < 0 || length > size - offset) {
        throw new SnapshotFormatException(
            Problem.TRUNCATED,
            name + " of " + Long.toUnsignedString(length) + " bytes at " + offset
                + " does not fit in the file of " + size + " bytes");
      }
      if (type != MEMORY && length > MAX_SMALL_SECTION) {
        throw new SnapshotFormatException(
            Problem.LIMIT, name + " is " + length + " bytes, the limit is " + MAX_SMALL_SECTION);
      }
      entries[i] = new Entry(type, offset, length, digest);
      expectedOffset = type == MEMORY ? offset + length : align(offset + length);
    }
    if (expectedOffset != size) {
      throw new SnapshotFormatException(
          Problem.STRUCTURE, (size - expectedOffset) + " bytes follow the memory section");
    }
    return entries;
  }

  /** Reads a small section once, checks its digest and that the padding after it is zero. */
  private static byte[] section(FileChannel channel, Entry entry, long size)
      throws IOException, SnapshotFormatException {
    long padded = align(entry.offset() + entry.length()) - entry.offset();
    ByteBuffer bytes = readAt(channel, entry.offset(), (int) padded, size, sectionName(entry.type()));
    byte[] content = new byte[(int) entry.length()];
    bytes.get(content);
    while (bytes.hasRemaining()) {
      if (bytes.get() != 0) {
        throw new SnapshotFormatException(
            Problem.STRUCTURE, "padding after " + sectionName(entry.type()) + " is not zero");
      }
    }
    if (!MessageDigest.isEqual(SnapshotFileWriter.sha256().digest(content), entry.digest())) {
      throw new SnapshotFormatException(
          Problem.CHECKSUM, sectionName(entry.type()) + " digest does not match its bytes");
    }
    return content;
  }

  private static MemorySnapshot memory(FileChannel channel, Entry entry, List<MemoryRegionSpec> regions)
      throws SnapshotFormatException {
    try (ReadableByteChannel source = window(channel, entry.offset(), entry.length())) {
      return MemorySnapshot.copyOfVerified(regions, source, SnapshotFileWriter.sha256(), entry.digest())
          .orElseThrow(
              () -> new SnapshotFormatException(Problem.CHECKSUM, "memory digest does not match its bytes"));
    } catch (EOFException e) {
      throw new SnapshotFormatException(Problem.TRUNCATED, "memory section: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new SnapshotFormatException(Problem.IO, "memory section: " + e.getMessage(), e);
    }
  }

  /** {@code [offset, offset + length)} of the file as a channel that ends there. */
  private static ReadableByteChannel window(FileChannel channel, long offset, long length) {
    return new ReadableByteChannel() {
      private long position = offset;
      private final long end = offset + length;

      @Override
      public int read(ByteBuffer target) throws IOException {
        if (position >= end) {
          return -1;
        }
        ByteBuffer limited = target.slice().limit((int) Math.min(target.remaining(), end - position));
        int n = channel.read(limited, position);
        if (n > 0) {
          position += n;
          target.position(target.position() + n);
        }
        return n;
      }

      // The Called Methods checker wants "isOpen() == false implies close() was called"; this
      // view reports its file channel's state, which the reader owns and closes.
      @SuppressWarnings("contracts.conditional.postcondition")
      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() {
        // The reader closes the file channel.
      }
    };
  }

  private static ByteBuffer readAt(FileChannel channel, long offset, int length, long size, String what)
      throws IOException, SnapshotFormatException {
    if (offset + length > size) {
      throw new SnapshotFormatException(
          Problem.TRUNCATED,
          "file of " + size + " bytes ends before " + what + " (" + length + " bytes at " + offset + ")");
    }
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new SnapshotFormatException(Problem.TRUNCATED, "file ended while reading " + what);
      }
    }
    return buffer.flip();
  }
}
