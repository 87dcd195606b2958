package dev.molt.states;

import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.ValueType;
import dev.molt.guest.TestGuest;
import java.util.List;

/** The shipped {@code behaviours} test guest with the host functions it expects. */
final class Behaviours {
  static final GuestBinary GUEST = GuestBinary.of(TestGuest.BEHAVIOURS.elf());

  /** Room for a 1 MiB echo: buffers of 1 MiB + 4 KiB, a 4 MiB heap. */
  static final SandboxConfiguration LARGE =
      SandboxConfiguration.builder()
          .guestMemorySize(16L << 20)
          .heapSize(4L << 20)
          .inputBufferSize((1L << 20) + 4096)
          .outputBufferSize((1L << 20) + 4096)
          .build();

  static final SandboxConfiguration SMALL = SandboxConfiguration.defaults();

  private Behaviours() {}

  /** Add i32(i32,i32), Increment i64(i64), Echo&lt;T&gt; for the nine value types. */
  static HostFunctions hostFunctions() {
    HostFunctions f =
        HostFunctions.empty()
            .with(
                HostFunction.of(
                    "Add",
                    HostFunctionSignature.of(ValueType.I32, ValueType.I32, ValueType.I32),
                    args -> (Integer) args.get(0) + (Integer) args.get(1)))
            .with(
                HostFunction.of(
                    "Increment",
                    HostFunctionSignature.of(ValueType.I64, ValueType.I64),
                    args -> (Long) args.get(0) + 1));
    for (ValueType t : List.of(ValueType.I32, ValueType.U32, ValueType.I64, ValueType.U64, ValueType.F32,
        ValueType.F64, ValueType.BOOL, ValueType.STRING, ValueType.BYTES)) {
      String name = "Echo" + switch (t) {
        case I32 -> "I32";
        case U32 -> "U32";
        case I64 -> "I64";
        case U64 -> "U64";
        case F32 -> "F32";
        case F64 -> "F64";
        case BOOL -> "Bool";
        case STRING -> "String";
        case BYTES -> "Bytes";
        case VOID -> throw new AssertionError();
      };
      f = f.with(HostFunction.of(name, HostFunctionSignature.of(t, t), args -> args.get(0)));
    }
    return f;
  }

  static MultiUseSandbox ready(SandboxConfiguration configuration) throws SandboxException {
    return ready(configuration, hostFunctions());
  }

  static MultiUseSandbox ready(SandboxConfiguration configuration, HostFunctions functions)
      throws SandboxException {
    try (UninitializedSandbox fresh = UninitializedSandbox.create(GUEST, configuration, functions)) {
      return fresh.evolve();
    }
  }
}
