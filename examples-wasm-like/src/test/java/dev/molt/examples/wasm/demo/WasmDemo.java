package dev.molt.examples.wasm.demo;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.molt.examples.wasm.LoadedWasmSandbox;
import dev.molt.examples.wasm.ProtoWasmSandbox;
import dev.molt.examples.wasm.WasmFunctionType;
import dev.molt.examples.wasm.WasmImports;
import dev.molt.examples.wasm.WasmModuleException;
import dev.molt.examples.wasm.WasmSandbox;
import dev.molt.examples.wasm.WasmState;
import dev.molt.examples.wasm.WasmTrapException;
import dev.molt.examples.wasm.WasmType;
import dev.molt.examples.wasm.WasmValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The README's demo ({@code mvn -B -q -Pdemo -DskipTests verify}): the WebAssembly sandbox's
 * whole life on KVM — load the runtime, load a module converted from {@code .wat} in Java, call
 * it, let it call Java, trap, unload (a devolve: guest memory rolled back), load a second module
 * that finds nothing of the first — with the time of every step and the state graph.
 */
public final class WasmDemo {

  private final List<String> timings = new ArrayList<>();

  private WasmDemo() {}

  /** A step that may throw. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws Exception;
  }

  private <T> T timed(String what, Step<T> step) throws Exception {
    long start = System.nanoTime();
    T result = step.run();
    long nanos = System.nanoTime() - start;
    timings.add(String.format(Locale.ROOT, "  %-48s %10.3f ms", what, nanos / 1e6));
    return result;
  }

  private static byte[] wat(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(WasmDemo.class.getResourceAsStream("/demo/" + name), name)) {
      return Wat2Wasm.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Runs the demo.
   *
   * @param args ignored
   * @throws Exception if anything fails (the demo then exits non-zero)
   */
  public static void main(String[] args) throws Exception {
    new WasmDemo().run();
  }

  private void run() throws Exception {
    System.out.println("== The state family (transitions module StateGraph, Mermaid) ==");
    System.out.println(WasmState.graph().toMermaid());

    byte[] tenantA = timed("convert tenant-a.wat (chicory wabt, in Java)", () -> wat("tenant-a.wat"));
    byte[] tenantB = timed("convert tenant-b.wat", () -> wat("tenant-b.wat"));

    WasmImports imports =
        WasmImports.builder()
            .procedure("env", "log", WasmFunctionType.params(WasmType.I32, WasmType.I64), a -> {
              String tag = a.get(0).asI32() == 1 ? "remembered" : "fib term";
              System.out.println("    [Java host function env.log] " + tag + " " + a.get(1).asI64());
            })
            .build();

    System.out.println("== Tenant A ==");
    try (ProtoWasmSandbox proto = timed("create ProtoWasmSandbox (KVM VM, engine ELF)", () -> ProtoWasmSandbox.create(imports));
        WasmSandbox runtime = timed("loadRuntime (evolve: initialise the engine)", proto::loadRuntime)) {

      try {
        runtime.loadModule("this is not wasm".getBytes(StandardCharsets.US_ASCII));
      } catch (WasmModuleException e) {
        System.out.println("  a malformed module is refused: " + e.reason() + " (" + e.engineMessage()
            + "); the runtime is still " + runtime.status());
      }

      LoadedWasmSandbox a = timed("loadModule(tenant A) (evolve)", () -> runtime.loadModule(tenantA));
      try {
        System.out.println("  exports: " + a.exports());
        long fib = timed("call fib(27) (recursive, in the guest)", () -> a.call("fib", WasmValue.i32(27))).getFirst().asI64();
        System.out.println("  fib(27) = " + fib);
        timed("call fib(1) (a tiny call)", () -> a.call("fib", WasmValue.i32(1)));
        long sum = timed("call reportFibs(6) (6 host calls to Java)", () -> a.call("reportFibs", WasmValue.i32(6))).getFirst().asI64();
        System.out.println("  sum of the first 6 terms = " + sum);
        timed("call remember(secret)", () -> a.call("remember", WasmValue.i64(0x5EC12E7L)));
        System.out.println("  tenant A's global 'secret' = 0x" + Long.toHexString(a.global("secret").asI64()));
        try {
          a.call("divide", WasmValue.i32(1), WasmValue.i32(0));
        } catch (WasmTrapException trap) {
          System.out.println("  divide(1, 0) trapped: " + trap.kind() + " (\"" + trap.engineMessage()
              + "\"); the sandbox is " + a.status() + " and divide(84, 2) = "
              + a.call("divide", WasmValue.i32(84), WasmValue.i32(2)).getFirst().asI32());
        }
      } catch (Exception e) {
        a.close();
        throw e;
      }

      WasmSandbox clean = timed("unloadModule (devolve: roll back guest memory)", a::unloadModule);
      System.out.println("== Tenant B, in the same VM ==");
      try (LoadedWasmSandbox b = timed("loadModule(tenant B) (evolve)", () -> clean.loadModule(tenantB))) {
        System.out.println("  tenant B reads address 256: " + b.call("peek", WasmValue.i32(256)).getFirst().asI64()
            + ", its global 'secret': " + b.global("secret").asI64()
            + ", non-zero bytes in its memory: " + b.call("scan").getFirst().asI32());
        System.out.println("  journal: " + WasmState.FAMILY.journal(b).stream()
            .map(e -> e.transition() + " " + e.outcome()).toList());
      }
    }
    System.out.println("== Timings (one run, first calls include JIT warm-up) ==");
    timings.forEach(System.out::println);
  }
}
