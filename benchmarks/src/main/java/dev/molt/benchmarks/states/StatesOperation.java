package dev.molt.benchmarks.states;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.ValueType;
import dev.molt.guest.TestGuest;

/**
 * The four operations over the {@code states} public API, each with the guest, configuration and
 * host functions both sides use (the floor gets them through the {@link GuestPlan} and the ELF).
 */
public enum StatesOperation {
  /** {@code UninitializedSandbox.create} of the noop guest, {@code evolve()}, {@code close()}. */
  CREATE_AND_EVOLVE(
      "create-and-evolve",
      "UninitializedSandbox.create(noop ELF) + evolve() (ELF loaded, layout + boot block, guest"
          + " initialisation to its INIT frame) + close()",
      TestGuest.NOOP),
  /** {@code Noop(i)} on a MultiUseSandbox of the noop guest. */
  CALL_NOOP_I32(
      "call-noop-i32",
      "MultiUseSandbox call Noop void(i32): CALL frame written, dispatch, DONE, RETURN frame read",
      TestGuest.NOOP),
  /** {@code CallHostAdd(a, b)} of the behaviours guest, which calls host {@code Add} once. */
  CALL_ONE_HOST_CALL(
      "call-one-host-call",
      "MultiUseSandbox call CallHostAdd i32(i32,i32), which makes one host call Add (HOSTCALL read,"
          + " host function run, HOSTRESULT written, resume)",
      TestGuest.BEHAVIOURS),
  /** {@code EchoBytes} of 1 MiB through the raw call API. */
  ECHO_1MIB(
      "echo-1mib",
      "MultiUseSandbox callRaw EchoBytes bytes(bytes) with 1 MiB: written into the input buffer,"
          + " copied by the guest, read back from the output buffer into a reused array",
      TestGuest.BEHAVIOURS);

  /** Bytes echoed by {@link #ECHO_1MIB}. */
  public static final int ECHO_BYTES = 1 << 20;

  /** Input and output buffer size of {@link #ECHO_1MIB}: 1 MiB plus a page for the frames. */
  public static final long ECHO_BUFFER_SIZE = ECHO_BYTES + 4096L;

  private final String operation;
  private final String description;
  private final TestGuest guest;

  StatesOperation(String operation, String description, TestGuest guest) {
    this.operation = operation;
    this.description = description;
    this.guest = guest;
  }

  /**
   * The report row's name, also the floor's scenario name.
   *
   * @return e.g. {@code "create-and-evolve"}
   */
  public String operation() {
    return operation;
  }

  /**
   * What one operation does.
   *
   * @return a sentence for the report
   */
  public String description() {
    return description;
  }

  /**
   * The test guest both sides load.
   *
   * @return the guest
   */
  public TestGuest guest() {
    return guest;
  }

  /**
   * The sandbox configuration: the defaults (16 MiB), with 1 MiB + 4 KiB buffers for the echo.
   *
   * @return the configuration
   */
  public SandboxConfiguration configuration() {
    if (this == ECHO_1MIB) {
      return SandboxConfiguration.builder()
          .inputBufferSize(ECHO_BUFFER_SIZE)
          .outputBufferSize(ECHO_BUFFER_SIZE)
          .build();
    }
    return SandboxConfiguration.defaults();
  }

  /**
   * The host functions the sandbox is created with: {@code Add i32(i32,i32)} for the host call,
   * none otherwise (states adds its SLF4J {@code HostPrint} either way).
   *
   * @return the registry
   */
  public HostFunctions hostFunctions() {
    if (this == CALL_ONE_HOST_CALL) {
      return HostFunctions.empty().with(add());
    }
    return HostFunctions.empty();
  }

  private static HostFunction add() {
    return HostFunction.of(
        "Add",
        HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.I32),
        arguments -> {
          if (arguments.get(0) instanceof Integer a && arguments.get(1) instanceof Integer b) {
            return a + b;
          }
          throw new IllegalArgumentException("Add takes two i32, got " + arguments);
        });
  }

  /**
   * The operation of a report row.
   *
   * @param operation a {@link #operation()} name
   * @return the operation
   * @throws IllegalArgumentException if none has that name
   */
  public static StatesOperation named(String operation) {
    for (StatesOperation op : values()) {
      if (op.operation.equals(operation)) {
        return op;
      }
    }
    throw new IllegalArgumentException("no states operation named '" + operation + "'");
  }
}
