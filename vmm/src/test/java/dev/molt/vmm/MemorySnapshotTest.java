package dev.molt.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Memory images read from and written to byte streams (no KVM needed). */
class MemorySnapshotTest {
  private static final List<MemoryRegionSpec> REGIONS =
      List.of(
          MemoryRegionSpec.anonymous(GuestAddress.of(0), 2 * 4096),
          MemoryRegionSpec.memfd(GuestAddress.of(0x10000), 4096).asReadOnly());

  private static byte[] bytes(int length) {
    byte[] data = new byte[length];
    new Random(42).nextBytes(data);
    return data;
  }

  private static MemorySnapshot of(byte[] data) throws Exception {
    return MemorySnapshot.copyOf(REGIONS, Channels.newChannel(new java.io.ByteArrayInputStream(data)));
  }

  @Test
  void anImageReadFromAStreamIsSealedAndWritesBackTheSameBytes() throws Exception {
    byte[] data = bytes(3 * 4096);
    MemorySnapshot image = of(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    image.writeTo(Channels.newChannel(out));

    assertThat(out.toByteArray()).isEqualTo(data);
    assertThat(image.isSealed()).isTrue();
    assertThat(image.sizeBytes()).isEqualTo(3 * 4096);
    assertThat(image.regions()).isEqualTo(REGIONS);
    assertThat(image.read(GuestAddress.of(0x10000), 4))
        .containsExactly(data[8192], data[8193], data[8194], data[8195]);
  }

  @Test
  void anImageReadFromAStreamCountsItsNonZeroPagesAsPopulated() throws Exception {
    byte[] data = new byte[3 * 4096];
    data[4096 + 4095] = 1; // the last byte of region 0's second page
    data[8192] = 2; // the first byte of region 1
    assertThat(of(data).populatedPages()).isEqualTo(2);
    assertThat(of(new byte[3 * 4096]).populatedPages()).isZero();
  }

  @Test
  void aVerifiedReadWithTheRightDigestKeepsTheImage() throws Exception {
    byte[] data = bytes(3 * 4096);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
    Optional<MemorySnapshot> image =
        MemorySnapshot.copyOfVerified(
            REGIONS,
            Channels.newChannel(new java.io.ByteArrayInputStream(data)),
            MessageDigest.getInstance("SHA-256"),
            digest);
    assertThat(image).isPresent();
    assertThat(image.get().read(GuestAddress.of(4096), 8))
        .isEqualTo(java.util.Arrays.copyOfRange(data, 4096, 4104));
  }

  @Test
  void aVerifiedReadWithAnotherDigestKeepsNothing() throws Exception {
    byte[] data = bytes(3 * 4096);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
    data[5000] ^= 1;
    assertThat(
            MemorySnapshot.copyOfVerified(
                REGIONS,
                Channels.newChannel(new java.io.ByteArrayInputStream(data)),
                MessageDigest.getInstance("SHA-256"),
                digest))
        .isEmpty();
  }

  @Test
  void aShortSourceIsAnEofException() {
    assertThatThrownBy(() -> of(bytes(3 * 4096 - 1)))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("ended after 12287 of 12288 bytes");
  }

  @Test
  void unorderedOrEmptyRegionsAreRefused() {
    assertThatThrownBy(
            () ->
                MemorySnapshot.copyOf(
                    List.of(REGIONS.get(1), REGIONS.get(0)),
                    Channels.newChannel(new java.io.ByteArrayInputStream(new byte[0]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ordered by base");
    assertThatThrownBy(
            () ->
                MemorySnapshot.copyOf(
                    List.of(), Channels.newChannel(new java.io.ByteArrayInputStream(new byte[0]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one region");
  }

  @Test
  void readingOutsideTheRegionsIsRefused() throws Exception {
    MemorySnapshot image = of(bytes(3 * 4096));
    assertThatThrownBy(() -> image.read(GuestAddress.of(0x2000 - 4), 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside one region");
  }
}
