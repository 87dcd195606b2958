package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.molt.api.ProtocolViolationException;
import dev.molt.api.SandboxStatus;
import dev.molt.api.TransitionFailedException;
import dev.molt.guest.GuestAbi;
import dev.molt.states.internal.GuestLayout;
import dev.molt.testkit.RequiresKvm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Hostile INIT and HOSTCALL frames: the host writes the frame a hostile guest would write into the
 * output buffer and patches the entry point to report it at once ({@code out %al, $port}).
 */
@RequiresKvm
class HostileInitTest {
  private static final long ENTRY = 0x200000;
  private static final long TEXT_END_GUESS = 0x200000 + 0x100;

  private static ByteBuffer body() {
    return ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void entry(ByteBuffer b, String name, int result, int... params) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    b.putInt(n.length).put(n);
    pad(b);
    b.put((byte) result).put((byte) params.length);
    for (int p : params) {
      b.put((byte) p);
    }
    pad(b);
  }

  private static void pad(ByteBuffer b) {
    while (b.position() % 8 != 0) {
      b.put((byte) 0);
    }
  }

  /** Writes a frame of {@code kind} with {@code body} into the output buffer, then evolves. */
  private static ProtocolViolationException violation(int port, int kind, ByteBuffer body) throws Exception {
    GuestLayout layout = GuestBehavioursTest.layoutOf(Behaviours.SMALL);
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      ByteBuffer frame = ByteBuffer.allocate(16 + body.position()).order(ByteOrder.LITTLE_ENDIAN);
      frame.putInt(GuestAbi.FRAME_MAGIC).putShort((short) 1).putShort((short) kind).putInt(body.position()).putInt(0);
      frame.put(body.array(), 0, body.position());
      fresh.memory().write(layout.outputAddress(), frame.array());
      fresh.memory().write(ENTRY, new byte[] {(byte) 0xE6, (byte) port});
      TransitionFailedException e = catchThrowableOfType(TransitionFailedException.class, fresh::evolve);
      // The violation poisoned the sandbox; the evolve restored its rollback point at once.
      assertThat(e.rolledBack()).isTrue();
      assertThat(fresh.status()).isEqualTo(SandboxStatus.ready());
      assertThat(e.getCause()).isInstanceOf(ProtocolViolationException.class);
      assertThat(((ProtocolViolationException) e.getCause()).leftIn()).isInstanceOf(SandboxStatus.Poisoned.class);
      return (ProtocolViolationException) e.getCause();
    }
  }

  private static ByteBuffer init(long dispatch, int count) {
    ByteBuffer b = body();
    b.putInt(1).putInt(count).putLong(dispatch);
    return b;
  }

  @Test
  void duplicateFunctionNamesAreAViolation() throws Exception {
    ByteBuffer b = init(ENTRY, 2);
    entry(b, "Add", 1, 1, 1);
    entry(b, "Add", 1, 1, 1);
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, b)).hasMessageContaining("INIT lists function \"Add\" twice");
  }

  @Test
  void dispatchAddressOutsideExecutableCodeIsAViolation() throws Exception {
    ByteBuffer b = init(0x100000, 1);
    entry(b, "Add", 1, 1, 1);
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, b))
        .hasMessageContaining("INIT dispatch_addr 0x100000 is not inside an executable segment of the image");
  }

  @Test
  void tooManyFunctionsAreAViolation() throws Exception {
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, init(TEXT_END_GUESS, 257)))
        .hasMessageContaining("INIT function_count is 257, more than 256");
  }

  @Test
  void voidParameterAndUnknownTagAreViolations() throws Exception {
    ByteBuffer voidParam = init(TEXT_END_GUESS, 1);
    entry(voidParam, "F", 1, 0);
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, voidParam))
        .hasMessageContaining("INIT entry 0 (F) parameter 0 is void");
    ByteBuffer badTag = init(TEXT_END_GUESS, 1);
    entry(badTag, "F", 42);
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, badTag))
        .hasMessageContaining("INIT entry 0 return tag is 42, not a known type tag");
  }

  @Test
  void emptyOrOverlongOrNonUtf8NamesAreViolations() throws Exception {
    ByteBuffer empty = init(TEXT_END_GUESS, 1);
    empty.putInt(0).putInt(0);
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, empty))
        .hasMessageContaining("INIT entry 0 name_length is 0, expected 1..128");
    ByteBuffer bad = init(TEXT_END_GUESS, 1);
    bad.putInt(2).put((byte) 0xC3).put((byte) 0x28);
    pad(bad);
    bad.put((byte) 0).put((byte) 0);
    pad(bad);
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, bad))
        .hasMessageContaining("INIT entry 0 name is not valid UTF-8");
  }

  @Test
  void entriesPastTheBodyAreAViolation() throws Exception {
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_INIT, init(TEXT_END_GUESS, 3)))
        .hasMessageContaining("INIT entry 0 name_length (4 bytes at body offset 16) runs past the INIT body of 16 bytes");
  }

  @Test
  void aReturnFrameInsteadOfInitIsAViolation() throws Exception {
    ByteBuffer b = body();
    b.put((byte) 1).put(new byte[3]).putInt(4).putInt(7).putInt(0);
    assertThat(violation(GuestAbi.PORT_DONE, GuestAbi.FRAME_RETURN, b))
        .hasMessageContaining("initialisation ended with a RETURN frame, expected INIT or ERROR");
  }

  @Test
  void malformedHostCallFramesAreViolations() throws Exception {
    ByteBuffer longName = body();
    longName.putInt(200);
    assertThat(violation(GuestAbi.PORT_HOSTCALL, GuestAbi.FRAME_HOSTCALL, longName))
        .hasMessageContaining("HOSTCALL: name_length is 200, expected 1..128");
    ByteBuffer voidArgument = body();
    voidArgument.putInt(3).put("Add".getBytes(StandardCharsets.US_ASCII));
    pad(voidArgument);
    voidArgument.putInt(1).put((byte) 1).put(new byte[3]);
    voidArgument.put((byte) 0).put(new byte[3]).putInt(0);
    assertThat(violation(GuestAbi.PORT_HOSTCALL, GuestAbi.FRAME_HOSTCALL, voidArgument))
        .hasMessageContaining("HOSTCALL: argument 0 is void");
    ByteBuffer wrongKind = body();
    wrongKind.putInt(0).putInt(0);
    assertThat(violation(GuestAbi.PORT_HOSTCALL, GuestAbi.FRAME_ERROR, wrongKind))
        .hasMessageContaining("HOSTCALL: expected a HOSTCALL frame, found ERROR");
  }
}
