package dev.molt.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.molt.api.GuestAbortedException;
import dev.molt.api.GuestErrorException;
import dev.molt.api.GuestFaultException;
import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionFailedException;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.HostPrint;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxStatus;
import dev.molt.api.ValueType;
import dev.molt.guest.GuestAbi;
import dev.molt.guest.TestGuest;
import dev.molt.states.internal.GuestLayout;
import dev.molt.states.internal.elf.ElfImage;
import dev.molt.testkit.RequiresKvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One test per behaviour of the shipped {@code behaviours} guest that ends in a value or a reported error. */
@RequiresKvm
class GuestBehavioursTest {

  static GuestLayout layoutOf(SandboxConfiguration configuration) throws Exception {
    return GuestLayout.of(
        configuration,
        ElfImage.parse(TestGuest.BEHAVIOURS.elf(), GuestLayout.imageLimits(configuration)));
  }

  static Stream<Arguments> echoes() {
    return Stream.of(
        Arguments.of("EchoI32", Integer.class, -123456789),
        Arguments.of("EchoU32", Long.class, 4_000_000_000L),
        Arguments.of("EchoI64", Long.class, -1234567890123456789L),
        Arguments.of("EchoU64", Long.class, -2L),
        Arguments.of("EchoF32", Float.class, 3.25f),
        Arguments.of("EchoF64", Double.class, -2.5e300),
        Arguments.of("EchoBool", Boolean.class, true),
        Arguments.of("EchoString", String.class, "h\u00e9llo, w\u00f6rld \uD83D\uDE00"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("echoes")
  void echoReturnsItsArgumentOfEachType(String function, Class<?> type, Object value) throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call(function, type, value)).isEqualTo(value);
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void echoBytesReturnsOneMebibyte() throws Exception {
    byte[] big = new byte[1 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 7);
    }
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.LARGE)) {
      assertThat(sandbox.call("EchoBytes", byte[].class, (Object) big)).isEqualTo(big);
      assertThat(sandbox.call("EchoBytes", byte[].class, (Object) new byte[0])).isEmpty();
    }
  }

  @Test
  void addWrapsAround() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("Add", Integer.class, 40, 2)).isEqualTo(42);
      assertThat(sandbox.call("Add", Integer.class, Integer.MAX_VALUE, 1)).isEqualTo(Integer.MIN_VALUE);
    }
  }

  @Test
  void voidFunctionReturnsNull() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("Nothing", Void.class)).isNull();
    }
  }

  @Test
  void makeBytesReturnsHeapBytes() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      byte[] bytes = sandbox.call("MakeBytes", byte[].class, 1000L);
      assertThat(bytes).hasSize(1000);
      assertThat(bytes[250]).isEqualTo((byte) 250);
      assertThat(bytes[251]).isEqualTo((byte) 0);
    }
  }

  @Test
  void globalsPersistBetweenCalls() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestFunction<Long> counter = sandbox.function("Counter", Long.class);
      assertThat(counter.call()).isEqualTo(1L);
      assertThat(counter.call()).isEqualTo(2L);
      assertThat(counter.call()).isEqualTo(3L);
    }
  }

  @Test
  void guestCallsAHostFunctionOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HostFunctions functions =
        Behaviours.hostFunctions()
            .replacing(
                HostFunction.of(
                    "Add",
                    HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.I32),
                    args -> {
                      calls.incrementAndGet();
                      return (Integer) args.get(0) + (Integer) args.get(1);
                    }));
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL, functions)) {
      assertThat(sandbox.call("CallHostAdd", Integer.class, 40, 2)).isEqualTo(42);
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void guestCallsAHostFunctionAThousandTimes() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("CallHostRepeatedly", Long.class, 1000L)).isEqualTo(1000L);
    }
  }

  @Test
  void guestCallsHostFunctionsWithEachValueType() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("CallHostWithEachType", String.class)).isEqualTo("ok");
    }
  }

  @Test
  void unknownHostFunctionGivesTheGuestStatusTwo() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("CallUnknownHost", Integer.class)).isEqualTo(GuestAbi.HOST_UNKNOWN);
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void hostFunctionOfAnotherSignatureGivesTheGuestStatusThree() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestErrorException e =
          catchThrowableOfType(
              GuestErrorException.class, () -> sandbox.call("CallHostOrFail", Integer.class, "Increment"));
      assertThat(e.code()).isEqualTo(GuestAbi.ERR_USER + GuestAbi.HOST_BAD_ARGS);
      assertThat(e.guestMessage()).contains("host function Increment is (i64) -> i64");
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void hostFunctionThatThrowsGivesTheGuestAnErrorAndTheCallerTheException() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    HostFunctions functions =
        Behaviours.hostFunctions()
            .with(HostFunction.of("Throws", HostFunctionSignature.of(ValueType.I32), args -> {
              throw boom;
            }));
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL, functions)) {
      GuestErrorException e =
          catchThrowableOfType(
              GuestErrorException.class, () -> sandbox.call("CallHostOrFail", Integer.class, "Throws"));
      assertThat(e.function()).isEqualTo("CallHostOrFail");
      assertThat(e.code()).isEqualTo(GuestAbi.ERR_USER + GuestAbi.HOST_FAILED);
      assertThat(e.guestMessage())
          .isEqualTo("Throws: host call failed with status 1: java.lang.IllegalStateException: boom");
      assertThat(e.getCause()).isInstanceOf(HostFunctionFailedException.class).hasCause(boom);
      assertThat(((HostFunctionFailedException) e.getCause()).function()).isEqualTo("Throws");
      assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
      assertThat(sandbox.call("Add", Integer.class, 1, 2)).isEqualTo(3);
    }
  }

  @Test
  void hostFunctionsRegisteredAfterEvolveAreCallable() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      sandbox.registerHostFunction(HostFunction.of("Seven", HostFunctionSignature.of(ValueType.I32), args -> 7));
      assertThat(sandbox.call("CallHostOrFail", Integer.class, "Seven")).isEqualTo(7);
      assertThat(sandbox.hostFunctions().lookup("Seven")).isPresent();
    }
  }

  @Test
  void printReachesTheSlf4jGuestLogger() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        assertThat(sandbox.call("Print", Integer.class, "hello from ring 3")).isEqualTo(17);
        assertThat(sandbox.call("PrintFormatted", Integer.class, 255)).isEqualTo(24);
      } finally {
        System.setErr(original);
      }
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("dev.molt.guest - hello from ring 3")
        .contains("dev.molt.guest - value=255 hex=0x000000ff");
  }

  @Test
  void theDefaultRegistrysPlatformLoggerPrintIsReroutedToSlf4j() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL, HostFunctions.defaults())) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        assertThat(sandbox.call("Print", Integer.class, "via defaults()")).isEqualTo(14);
      } finally {
        System.setErr(original);
      }
      assertThat(sandbox.hostFunctions().lookup(HostPrint.NAME))
          .hasValueSatisfying(print -> assertThat(HostPrint.isPlatformDefault(print)).isFalse());
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("dev.molt.guest - via defaults()");
  }

  @Test
  void aHostPrintTheCallerMadeIsKept() throws Exception {
    java.util.List<String> printed = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (MultiUseSandbox sandbox =
        Behaviours.ready(Behaviours.SMALL, HostFunctions.empty().with(HostPrint.to(printed::add)))) {
      assertThat(sandbox.call("Print", Integer.class, "mine")).isEqualTo(4);
    }
    assertThat(printed).containsExactly("mine");
  }

  @Test
  void failIsAReportedErrorThatLeavesTheSandboxReady() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestErrorException e =
          catchThrowableOfType(GuestErrorException.class, () -> sandbox.call("Fail", Void.class, 1234, "nope"));
      assertThat(e.function()).isEqualTo("Fail");
      assertThat(e.code()).isEqualTo(1234);
      assertThat(e.guestMessage()).isEqualTo("nope");
      assertThat(e.leftIn()).isEqualTo(SandboxStatus.ready());
      assertThat(e.getCause()).isNull();
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
      assertThat(sandbox.call("Add", Integer.class, 1, 2)).isEqualTo(3);
    }
  }

  @Test
  void exhaustingTheHeapReturnsWhatItGot() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      long total = sandbox.call("ExhaustHeap", Long.class);
      assertThat(total).isPositive().isLessThan(Behaviours.SMALL.heapSize());
      assertThat(sandbox.call("ExhaustHeap", Long.class)).isEqualTo(total);
    }
  }

  @Test
  void recursionThatFitsTheStackReturns() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.call("RecurseIntoStackGuard", Long.class, 4L)).isEqualTo(4L);
    }
  }

  @Test
  void oversizedResultIsAReportedOverflow() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestErrorException e =
          catchThrowableOfType(GuestErrorException.class, () -> sandbox.call("OversizedResult", byte[].class));
      assertThat(e.code()).isEqualTo(GuestAbi.ERR_OVERFLOW);
      assertThat(e.guestMessage()).startsWith("OversizedResult returned");
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
    }
  }

  @Test
  void wrongResultTypeIsAnAbort() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestAbortedException e =
          catchThrowableOfType(GuestAbortedException.class, () -> sandbox.call("WrongResultType", Integer.class));
      assertThat(e.code()).isEqualTo(GuestAbi.ERR_BAD_RESULT);
      assertThat(e.guestMessage()).startsWith("WrongResultType returned a string");
      assertThat(sandbox.status()).isInstanceOf(SandboxStatus.Poisoned.class);
    }
  }

  @Test
  void abortPoisonsTheSandbox() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      GuestAbortedException e =
          catchThrowableOfType(GuestAbortedException.class, () -> sandbox.call("Abort", Void.class, 1234, "dead"));
      assertThat(e.code()).isEqualTo(1234);
      assertThat(e.guestMessage()).isEqualTo("dead");
      assertThat(e.leftIn()).isInstanceOf(SandboxStatus.Poisoned.class);
      assertThat(sandbox.status()).isEqualTo(e.leftIn());
      assertThatThrownBy(() -> sandbox.call("Add", Integer.class, 1, 2))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Poisoned (guest aborted with code 1234 in Abort)")
          .hasMessageContaining("CALL is not allowed");
    }
  }

  @Test
  void guestReadsBootDataTheHostWroteAndLaterUpdated() throws Exception {
    GuestLayout layout = layoutOf(Behaviours.SMALL);
    try (UninitializedSandbox fresh =
        UninitializedSandbox.create(Behaviours.GUEST, Behaviours.SMALL, Behaviours.hostFunctions())) {
      GuestCell credits = fresh.memory().cell(layout.stackBase());
      credits.setVolatile(100);
      fresh.memory().writeInt(layout.stackBase() + 8, 0x11223344);
      try (MultiUseSandbox sandbox = fresh.evolve()) {
        assertThat(sandbox.call("ReadAddress", Long.class, layout.stackBase())).isEqualTo(100L);
        assertThat(credits.getAndAdd(5)).isEqualTo(100L);
        assertThat(sandbox.call("ReadAddress", Long.class, layout.stackBase())).isEqualTo(105L);
        assertThat(sandbox.memory().readInt(layout.stackBase() + 8)).isEqualTo(0x11223344);
        sandbox.call("WriteAddress", Void.class, layout.heapEnd() - 8, 77L);
        assertThat(sandbox.memory().readLong(layout.heapEnd() - 8)).isEqualTo(77L);
      }
    }
  }

  @Test
  void rawCallByIdEchoesBytes() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      int id = sandbox.function("EchoBytes", byte[].class).descriptor().id();
      byte[] payload = "raw payload".getBytes(StandardCharsets.UTF_8);
      assertThat(sandbox.callRaw(id, payload)).isEqualTo(payload);
    }
  }

  @Test
  void rawCallIntoABufferCopiesTheResultAndReturnsItsLength() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      int id = sandbox.function("EchoBytes", byte[].class).descriptor().id();
      byte[] payload = "raw payload".getBytes(StandardCharsets.UTF_8);
      byte[] into = new byte[64];
      java.util.Arrays.fill(into, (byte) '#');

      assertThat(sandbox.callRaw(id, payload, into)).isEqualTo(payload.length);
      assertThat(java.util.Arrays.copyOf(into, payload.length)).isEqualTo(payload);
      assertThat(into[payload.length]).as("bytes after the result are untouched").isEqualTo((byte) '#');
      assertThat(sandbox.callRaw(id, new byte[0], into)).isZero();
    }
  }

  @Test
  void rawCallIntoATooSmallBufferIsRefusedAndLeavesTheSandboxReady() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      int id = sandbox.function("EchoBytes", byte[].class).descriptor().id();
      byte[] into = new byte[4];

      assertThatThrownBy(() -> sandbox.callRaw(id, new byte[5], into))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("returned 5 bytes, the buffer holds only 4");
      assertThat(into).containsOnly(0);
      assertThat(sandbox.status()).isEqualTo(SandboxStatus.ready());
      assertThat(sandbox.callRaw(id, new byte[] {1, 2, 3, 4}, into)).isEqualTo(4);
      assertThat(into).containsExactly(1, 2, 3, 4);
      assertThatThrownBy(() -> sandbox.callRaw(id, new byte[1], null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void functionTableListsEveryGuestFunctionWithItsSignature() throws Exception {
    try (MultiUseSandbox sandbox = Behaviours.ready(Behaviours.SMALL)) {
      assertThat(sandbox.functions()).hasSize(37);
      assertThat(sandbox.functions().get(0)).hasToString("EchoI32 i32(i32) #0");
      assertThat(sandbox.function("WriteAddress", Void.class).descriptor().signature())
          .isEqualTo("void(u64,u64)");
      assertThat(Arrays.asList(sandbox.functions().stream().map(GuestFunctionDescriptor::id).toArray()))
          .isEqualTo(Arrays.asList(Stream.iterate(0, i -> i + 1).limit(37).toArray()));
    }
  }
}
