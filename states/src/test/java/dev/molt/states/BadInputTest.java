package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostPrint;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxStatus;
import dev.molt.api.ValueType;
import dev.molt.guest.TestGuest;
import dev.molt.testkit.RequiresKvm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caller mistakes: each a typed exception with an actionable message, before any guest work. */
@RequiresKvm
class BadInputTest {

  @Test
  void elfOfAnotherMachineIsRejectedNamingTheField() {
    byte[] elf = TestGuest.BEHAVIOURS.elf();
    ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) 183); // EM_AARCH64
    GuestImageException e =
        catchThrowableOfType(
            GuestImageException.class,
            () -> UninitializedSandbox.create(GuestBinary.of(elf), Behaviours.SMALL).close());
    assertThat(e.field()).isEqualTo("e_machine");
    assertThat(e).hasMessage("guest image (%d bytes) rejected: e_machine: is 183, expected EM_X86_64 (62)".formatted(elf.length));
  }

  @Test
  void fileThatIsNotElfIsRejected(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("guest.elf");
    Files.writeString(file, "#!/bin/sh\necho not a guest\n".repeat(4));
    GuestImageException e =
        catchThrowableOfType(
            GuestImageException.class,
            () -> UninitializedSandbox.create(GuestBinary.read(file), Behaviours.SMALL).close());
    assertThat(e.field()).isEqualTo("e_ident[EI_MAG]");
    assertThat(e).hasMessageContaining(file.toString());
  }

  @Test
  void resourceIsReadThroughItsAnchorAndValidatedAtCreate() throws Exception {
    GuestBinary binary = GuestBinary.fromResource(BadInputTest.class, "/guests/not-an-elf.bin");
    assertThat(binary.source()).isEqualTo("resource /guests/not-an-elf.bin");
    assertThat(new String(binary.bytes(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("this is not an ELF");
    assertThatThrownBy(() -> UninitializedSandbox.create(binary, Behaviours.SMALL).close())
        .isInstanceOf(GuestImageException.class)
        .hasMessage("guest image resource /guests/not-an-elf.bin rejected: e_ident[EI_MAG]: is not \\x7fELF: this is not an ELF file");
  }

  @Test
  void missingResourceIsNamed() {
    assertThatThrownBy(() -> GuestBinary.fromResource(BadInputTest.class, "/no/such/guest.elf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no resource \"/no/such/guest.elf\" visible to dev.molt.states.BadInputTest");
  }

  @Test
  void memoryTooSmallForImageAndAreasNamesTheFields() {
    SandboxConfiguration tight =
        SandboxConfiguration.builder().guestMemorySize(4L << 20).heapSize(2L << 20).build();
    assertThatThrownBy(() -> UninitializedSandbox.create(Behaviours.GUEST, tight).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("guestMemorySize (4194304) is too small: the image ends at 0x")
        .hasMessageContaining("stackSize (65536), inputBufferSize (65536), outputBufferSize (65536) and heapSize (2097152)");
  }

  @Test
  void memoryTooLargeForTheSupervisorPageTablesIsRejected() {
    SandboxConfiguration huge = SandboxConfiguration.builder().guestMemorySize(1L << 30).build();
    assertThatThrownBy(() -> UninitializedSandbox.create(Behaviours.GUEST, huge).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("guestMemorySize (1073741824) needs 0x")
        .hasMessageContaining("page tables");
  }

  @Test
  void bufferLargerThanTheHostSupportsIsRejected() {
    SandboxConfiguration big =
        SandboxConfiguration.builder()
            .guestMemorySize(64L << 30)
            .outputBufferSize(2L << 30)
            .build();
    assertThatThrownBy(() -> UninitializedSandbox.create(Behaviours.GUEST, big).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outputBufferSize (2147483648) is larger than 1073741824, the largest buffer this host supports");
  }

  @Test
  void memoryAccessBelowTheImageIsRefused() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      GuestMemoryRangeException e =
          catchThrowableOfType(GuestMemoryRangeException.class, () -> fresh.memory().writeLong(0x100000, 1));
      assertThat(e.address()).isEqualTo(0x100000);
      assertThat(e.length()).isEqualTo(8);
      assertThat(e).hasMessage(
          "guest range [0x100000, +8) starts below the guest image (null page, supervisor area, boot block);"
              + " the host may access [0x200000, 0x1000000)");
    }
  }

  @Test
  void memoryAccessPastTheEndIsRefused() throws Exception {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL)) {
      assertThatThrownBy(() -> fresh.memory().read(0xFFFFFC, 8))
          .isInstanceOf(GuestMemoryRangeException.class)
          .hasMessageStartingWith("guest range [0xfffffc, +8) runs past the end of guest memory");
      assertThatThrownBy(() -> fresh.memory().readLong(-8L))
          .isInstanceOf(GuestMemoryRangeException.class);
      assertThatThrownBy(() -> fresh.memory().read(0x300000, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("length must not be negative: -1");
      assertThatThrownBy(() -> fresh.memory().cell(0x300004))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a guest cell must be 8-byte aligned: 0x300004");
    }
  }

  @Test
  void wrongArgumentCountIsRejectedBeforeAnyGuestWork() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(() -> sandbox.call("Counter", Long.class, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Counter u64() #12 takes 0 arguments, got 1");
      assertThat(sandbox.call("Counter", Long.class)).isEqualTo(1L); // the guest never ran Counter
    }
  }

  @Test
  void wrongArgumentTypeIsRejectedBeforeAnyGuestWork() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(() -> sandbox.call("Add", Integer.class, 1, 2L))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("argument 1 of Add must be i32 (Integer), got Long 2");
      assertThatThrownBy(() -> sandbox.call("EchoU32", Long.class, 1L << 32))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("argument 0 of EchoU32 must be u32 (Long in 0..2^32-1), got Long 4294967296");
      assertThatThrownBy(() -> sandbox.call("EchoString", String.class, (Object) null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("argument 0 of EchoString must be string (String), got null");
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void wrongResultTypeIsRejected() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(() -> sandbox.call("Add", Long.class, 1, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Add i32(i32,i32) #9 returns i32, carried as Integer, not Long");
    }
  }

  @Test
  void unknownFunctionNameIsRejectedListingTheFunctions() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(() -> sandbox.call("Subtract", Integer.class, 1, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the guest has no function \"Subtract\"; it has: [EchoI32, EchoU32,");
    }
  }

  @Test
  void rawCallsNeedABytesToBytesFunction() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(() -> sandbox.callRaw(9, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("raw calls need a function of signature bytes(bytes); Add is i32(i32,i32)");
      assertThatThrownBy(() -> sandbox.callRaw(37, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no guest function has id 37 (the guest has 37 functions)");
    }
  }

  @Test
  void argumentsLargerThanTheInputBufferAreRejected() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(() -> sandbox.call("EchoBytes", byte[].class, (Object) new byte[65536]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the arguments of EchoBytes need a 65568-byte CALL frame, more than inputBufferSize (65536)");
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void duplicateHostFunctionIsRejected() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(
              () -> sandbox.registerHostFunction(HostFunction.of("Add", HostFunctionSignature.of(ValueType.VOID), a -> null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("host function 'Add' is already registered");
      assertThat(sandbox.hostFunctions().lookup(HostPrint.NAME)).isPresent();
    }
  }

  @Test
  void hostFunctionCallingBackIntoItsSandboxIsRefused() throws Exception {
    var sandboxRef = new java.util.concurrent.atomic.AtomicReference<MultiUseSandbox>();
    var functions =
        Behaviours.hostFunctions()
            .with(HostFunction.of("Reenter", HostFunctionSignature.of(ValueType.I32), a ->
                sandboxRef.get().call("Add", Integer.class, 1, 2)));
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL, functions)) {
      sandboxRef.set(sandbox);
      var e = catchThrowableOfType(
          dev.molt.api.GuestErrorException.class, () -> sandbox.call("CallHostOrFail", Integer.class, "Reenter"));
      assertThat(e.getCause()).hasCauseInstanceOf(IllegalStateException.class);
      assertThat(e.getCause().getCause())
          .hasMessage("a host function cannot call into the sandbox that is calling it (re-entrant call of Add)");
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void nullArgumentsAreRejected() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThatThrownBy(() -> sandbox.call(null, Integer.class)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> sandbox.call("Add", null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> sandbox.callRaw(0, null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> GuestBinary.of(null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void callsFromVirtualThreadsAreRefusedAndLeaveTheSandboxReady() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
      Thread.ofVirtual().start(() -> {
        try {
          sandbox.call("Add", Integer.class, 1, 2);
        } catch (Throwable t) {
          failure.set(t);
        }
      }).join();
      assertThat(failure.get())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("call Add from a platform thread");
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
      assertThat(sandbox.call("Add", Integer.class, 1, 2)).isEqualTo(3);
    }
  }
}
