package dev.molt.examples.wasm.spec;

import dev.molt.api.SandboxConfiguration;
import dev.molt.api.SandboxException;
import dev.molt.api.SandboxStatus;
import dev.molt.examples.wasm.LoadedWasmSandbox;
import dev.molt.examples.wasm.ProtoWasmSandbox;
import dev.molt.examples.wasm.WasmImports;
import dev.molt.examples.wasm.WasmModuleException;
import dev.molt.examples.wasm.WasmSandbox;
import dev.molt.examples.wasm.WasmTrapException;
import dev.molt.examples.wasm.WasmType;
import dev.molt.examples.wasm.WasmValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs one script converted by wast2json command by command through the {@code WasmState} family
 * in one sandbox (one KVM micro-VM per script):
 *
 * <ul>
 *   <li>{@code module}: while no module is registered, {@code unloadModule} (devolve) of the
 *       previous module then {@code loadModule} (evolve), so every module starts from the clean
 *       runtime; once one is registered, {@code loadModuleOnTop} (evolve), because the spec keeps
 *       every module of a script alive and a later module may have changed a registered one's
 *       tables or memory;
 *   <li>{@code register}: {@code LoadedWasmSandbox.register} of the current module;
 *   <li>{@code assert_invalid/malformed/unlinkable/uninstantiable}: a load that must be rejected
 *       with that reason, on top of the current module (or from the runtime when none is loaded);
 *       the sandbox must stay Ready, and a module that loads against the expectation is unloaded
 *       again (devolve);
 *   <li>{@code action}, {@code assert_return} (bit-exact values, {@code nan:canonical} / {@code
 *       nan:arithmetic}, null and host references), {@code assert_trap}, {@code
 *       assert_exhaustion}: typed calls and global reads on the current module.
 * </ul>
 *
 * <p>Skipped, each with its reason: text-format modules ({@code module quote}: the engine reads
 * the binary format only), and actions or registrations that name a module which is not the
 * current one (the sandbox calls only its current module).
 */
final class SpecScriptRunner implements AutoCloseable {

  /** Transitions the harness made, by kind. */
  record Transitions(int evolves, int rejectedEvolves, int devolves) {
    Transitions plus(Transitions o) {
      return new Transitions(evolves + o.evolves, rejectedEvolves + o.rejectedEvolves, devolves + o.devolves);
    }
  }

  /** One script's outcome. */
  record ScriptResult(String script, SpecTally tally, Transitions transitions, int messagesChecked,
      int messagesMatching, long nanos) {}

  static final String TEXT_MODULE_SKIP =
      "text-format module (module quote): wast2json emits it as .wat text and the engine reads the binary format"
          + " only; the text parser is wabt's, not Molt's";

  /**
   * The default configuration's stack and buffers with a 96 MiB heap in 128 MiB of guest memory: memory_grow.wast
   * grows a memory to 803 pages (52.6 MB), more than the default heap holds. Only written pages
   * cost anything.
   */
  static final SandboxConfiguration CONFIGURATION =
      SandboxConfiguration.builder()
          .guestMemorySize(128L << 20)
          .heapSize(96L << 20)
          .stackSize(ProtoWasmSandbox.DEFAULT_CONFIGURATION.stackSize())
          .inputBufferSize(ProtoWasmSandbox.DEFAULT_CONFIGURATION.inputBufferSize())
          .outputBufferSize(ProtoWasmSandbox.DEFAULT_CONFIGURATION.outputBufferSize())
          .build();

  private final String script;
  private final Path dir;
  private final SpecTally tally = new SpecTally();
  private @Nullable WasmSandbox runtime;
  private @Nullable LoadedWasmSandbox loaded;
  private @Nullable String currentName;
  private boolean anyRegistered;
  private int evolves;
  private int rejectedEvolves;
  private int devolves;
  private int messagesChecked;
  private int messagesMatching;

  private SpecScriptRunner(String script, Path dir, WasmSandbox runtime) {
    this.script = script;
    this.dir = dir;
    this.runtime = runtime;
  }

  /** Runs the script {@code json} (wast2json output, its .wasm files beside it) in a fresh sandbox. */
  static ScriptResult run(Path json) throws IOException, SandboxException {
    long start = System.nanoTime();
    String name = json.getFileName().toString().replaceFirst("\\.json$", "");
    Object doc = WastJson.parse(Files.readString(json, StandardCharsets.UTF_8));
    List<Object> commands = list(map(doc).get("commands"));
    WasmSandbox runtime;
    try (ProtoWasmSandbox proto = ProtoWasmSandbox.create(CONFIGURATION, WasmImports.none())) {
      runtime = proto.loadRuntime();
    }
    try (SpecScriptRunner r = new SpecScriptRunner(name, json.getParent(), runtime)) {
      for (Object c : commands) {
        r.command(map(c));
      }
      return new ScriptResult(name, r.tally,
          new Transitions(r.evolves, r.rejectedEvolves, r.devolves), r.messagesChecked, r.messagesMatching,
          System.nanoTime() - start);
    }
  }

  private void command(Map<String, Object> cmd) throws IOException, SandboxException {
    String type = str(cmd, "type");
    int line = Integer.parseInt(str(cmd, "line"));
    CommandKind kind = CommandKind.of(type).orElse(null);
    if (kind == null) {
      // e.g. assert_return with an "either" result of later proposals: none in the 2022-09 scripts
      tally.failed(script, line, CommandKind.ACTION, "unknown command type " + type + " (the harness does not run it)");
      return;
    }
    try {
      switch (kind) {
        case MODULE -> module(cmd, line);
        case REGISTER -> register(cmd, line);
        case ACTION, ASSERT_RETURN, ASSERT_TRAP, ASSERT_EXHAUSTION -> action(kind, cmd, line);
        case ASSERT_INVALID, ASSERT_MALFORMED, ASSERT_UNLINKABLE, ASSERT_UNINSTANTIABLE -> rejected(kind, cmd, line);
      }
    } catch (SandboxException e) {
      tally.failed(script, line, kind, "the sandbox failed: " + e);
      recover();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // modules

  private void module(Map<String, Object> cmd, int line) throws IOException, SandboxException {
    byte[] bytes = Files.readAllBytes(dir.resolve(str(cmd, "filename")));
    try {
      load(bytes);
      currentName = cmd.get("name") instanceof String n ? n : null;
      tally.passed(CommandKind.MODULE);
    } catch (WasmModuleException e) {
      rejectedEvolves++;
      currentName = null;
      tally.failed(script, line, CommandKind.MODULE, "rejected: " + e.getMessage());
    }
  }

  /** Loads a module as the new current one (see the class comment for the transitions). */
  private void load(byte[] bytes) throws WasmModuleException, SandboxException {
    LoadedWasmSandbox l = loaded;
    if (l != null && anyRegistered) {
      loaded = l.loadModuleOnTop(bytes);
      evolves++;
      return;
    }
    if (l != null) {
      runtime = l.unloadModule(); // a failed devolve leaves l the harness's (closed at the end)
      loaded = null;
      devolves++;
      currentName = null;
    }
    WasmSandbox w = requireRuntime();
    loaded = w.loadModule(bytes);
    runtime = null;
    evolves++;
  }

  private void register(Map<String, Object> cmd, int line) throws SandboxException {
    String as = str(cmd, "as");
    LoadedWasmSandbox l = loaded;
    if (cmd.get("name") instanceof String n && !n.equals(currentName)) {
      tally.skipped(script, line, CommandKind.REGISTER, "registers " + n + ", which is not the current module (the engine registers its current module)");
      return;
    }
    if (l == null) {
      tally.failed(script, line, CommandKind.REGISTER, "no module is loaded");
      return;
    }
    l.register(as);
    anyRegistered = true;
    tally.passed(CommandKind.REGISTER);
  }

  private void rejected(CommandKind kind, Map<String, Object> cmd, int line) throws IOException, SandboxException {
    if (!"binary".equals(cmd.get("module_type"))) {
      tally.skipped(script, line, kind, TEXT_MODULE_SKIP);
      return;
    }
    WasmModuleException.Reason want = switch (kind) {
      case ASSERT_INVALID -> WasmModuleException.Reason.INVALID;
      case ASSERT_MALFORMED -> WasmModuleException.Reason.MALFORMED;
      case ASSERT_UNLINKABLE -> WasmModuleException.Reason.UNLINKABLE;
      default -> WasmModuleException.Reason.UNINSTANTIABLE;
    };
    byte[] bytes = Files.readAllBytes(dir.resolve(str(cmd, "filename")));
    String text = str(cmd, "text");
    WasmModuleException rejection = null;
    LoadedWasmSandbox l = loaded;
    try {
      if (l != null) {
        loaded = l.loadModuleOnTop(bytes);
        loaded = loaded.unloadTopModule(); // loaded against the expectation: undo it
      } else {
        loaded = requireRuntime().loadModule(bytes);
        runtime = null;
        runtime = loaded.unloadModule();
        loaded = null;
      }
      evolves++;
      devolves++;
    } catch (WasmModuleException e) {
      rejectedEvolves++;
      rejection = e;
    }
    SandboxStatus status = loaded != null ? loaded.status() : requireRuntime().status();
    if (rejection == null) {
      tally.failed(script, line, kind, "the module loaded; expected " + want + " (\"" + text + "\")");
    } else if (rejection.reason() != want) {
      tally.failed(script, line, kind, "rejected as " + rejection.reason() + " (" + rejection.engineMessage()
          + "), expected " + want + " (\"" + text + "\")");
    } else if (!(status instanceof SandboxStatus.Ready)) {
      tally.failed(script, line, kind, "rejected as expected, but the sandbox is " + status);
    } else {
      message(rejection.engineMessage(), text);
      tally.passed(kind);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // actions

  private void action(CommandKind kind, Map<String, Object> cmd, int line) throws SandboxException {
    Map<String, Object> action = map(cmd.get("action"));
    String field = str(action, "field");
    if (action.get("module") instanceof String target && !target.equals(currentName)) {
      tally.skipped(script, line, kind, "acts on " + target + ", which is not the current module (the sandbox calls"
          + " exports of its current module only; " + (anyRegistered
              ? "the module stays loaded below the current one)"
              : "nothing is registered, so the next module's load unloaded it)"));
      return;
    }
    LoadedWasmSandbox l = loaded;
    if (l == null) {
      tally.failed(script, line, kind, "no module is loaded (the last module command failed)");
      return;
    }
    List<WasmValue> results;
    try {
      if ("get".equals(action.get("type"))) {
        results = List.of(l.global(field));
      } else {
        List<WasmValue> args = new ArrayList<>();
        for (Object a : list(action.get("args"))) {
          args.add(value(map(a)));
        }
        results = l.call(field, args.toArray(WasmValue[]::new));
      }
    } catch (WasmTrapException trap) {
      trapped(kind, cmd, line, field, trap);
      return;
    }
    switch (kind) {
      case ACTION -> tally.passed(kind);
      case ASSERT_RETURN -> {
        String mismatch = compare(list(cmd.get("expected")), results);
        if (mismatch == null) {
          tally.passed(kind);
        } else {
          tally.failed(script, line, kind, field + ": " + mismatch);
        }
      }
      default -> tally.failed(script, line, kind, field + " returned " + results + ", expected "
          + (kind == CommandKind.ASSERT_TRAP ? "a trap" : "call stack exhaustion") + " (\"" + str(cmd, "text") + "\")");
    }
  }

  private void trapped(CommandKind kind, Map<String, Object> cmd, int line, String field, WasmTrapException trap) {
    boolean exhausted = trap.kind() == WasmTrapException.Kind.CALL_STACK_EXHAUSTED;
    SandboxStatus status = loaded == null ? SandboxStatus.ready() : loaded.status();
    if (!(status instanceof SandboxStatus.Ready)) {
      tally.failed(script, line, kind, field + " trapped and left the sandbox " + status);
    } else if ((kind == CommandKind.ASSERT_TRAP && !exhausted) || (kind == CommandKind.ASSERT_EXHAUSTION && exhausted)) {
      message(trap.engineMessage(), str(cmd, "text"));
      tally.passed(kind);
    } else {
      tally.failed(script, line, kind, field + " trapped (" + trap.kind() + ": " + trap.engineMessage() + ")");
    }
  }

  private void message(String engine, String expected) {
    messagesChecked++;
    if (engine.contains(expected)) {
      messagesMatching++;
    }
  }

  /** Null when {@code results} match {@code expected}, else what differs. */
  private static @Nullable String compare(List<Object> expected, List<WasmValue> results) {
    if (expected.size() != results.size()) {
      return "returned " + results.size() + " values " + results + ", expected " + expected.size();
    }
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> e = map(expected.get(i));
      WasmValue got = results.get(i);
      String type = str(e, "type");
      String want = str(e, "value");
      if (!got.type().textName().equals(type)) {
        return "result " + i + " is " + got + ", expected " + type + " " + want;
      }
      boolean ok = switch (got) {
        case WasmValue.F32 f when want.startsWith("nan:") -> nan32(f.bits(), want);
        case WasmValue.F64 f when want.startsWith("nan:") -> nan64(f.bits(), want);
        case WasmValue.FuncRef r -> want.equals("null") ? r.isNull() : !r.isNull();
        default -> got.equals(value(e));
      };
      if (!ok) {
        return "result " + i + " is " + got + ", expected " + type + " " + want;
      }
    }
    return null;
  }

  private static boolean nan32(int bits, String pattern) {
    boolean nan = (bits & 0x7F800000) == 0x7F800000 && (bits & 0x007FFFFF) != 0;
    return nan && (pattern.equals("nan:canonical") ? (bits & 0x7FFFFFFF) == 0x7FC00000 : (bits & 0x00400000) != 0);
  }

  private static boolean nan64(long bits, String pattern) {
    boolean nan = (bits & 0x7FF0000000000000L) == 0x7FF0000000000000L && (bits & 0x000FFFFFFFFFFFFFL) != 0;
    return nan && (pattern.equals("nan:canonical")
        ? (bits & 0x7FFFFFFFFFFFFFFFL) == 0x7FF8000000000000L
        : (bits & 0x0008000000000000L) != 0);
  }

  /** A wast2json value ({@code {"type": "i32", "value": "4294967295"}}) as a typed value. */
  static WasmValue value(Map<String, Object> v) {
    String type = str(v, "type");
    String text = str(v, "value");
    return switch (type) {
      case "i32" -> WasmValue.i32((int) Long.parseUnsignedLong(text));
      case "i64" -> WasmValue.i64(Long.parseUnsignedLong(text));
      case "f32" -> new WasmValue.F32((int) Long.parseUnsignedLong(text));
      case "f64" -> new WasmValue.F64(Long.parseUnsignedLong(text));
      case "externref" -> text.equals("null") ? WasmValue.ExternRef.NULL : WasmValue.ExternRef.of(Long.parseUnsignedLong(text));
      case "funcref" -> {
        if (!text.equals("null")) {
          throw new IllegalArgumentException("a non-null funcref cannot be made by the host: " + v);
        }
        yield WasmValue.FuncRef.NULL;
      }
      default -> throw new IllegalArgumentException("unknown value type " + type + " in " + v);
    };
  }

  // ---------------------------------------------------------------------------------------------

  private WasmSandbox requireRuntime() {
    WasmSandbox w = runtime;
    if (w == null) {
      throw new IllegalStateException("the harness holds neither a module nor the runtime");
    }
    return w;
  }

  /** After a sandbox failure: back to the clean runtime (a devolve also recovers a Poisoned sandbox). */
  private void recover() throws SandboxException {
    LoadedWasmSandbox l = loaded;
    if (l != null && !(l.status() instanceof SandboxStatus.Ready)) {
      runtime = l.unloadModule();
      loaded = null;
      devolves++;
      currentName = null;
      anyRegistered = false;
    }
  }

  @Override
  public void close() {
    if (loaded != null) {
      loaded.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @SuppressWarnings("unchecked") // wast2json objects are JSON objects: string keys
  private static Map<String, Object> map(@Nullable Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException("JSON object expected, got " + o);
  }

  @SuppressWarnings("unchecked") // JSON arrays are lists of JSON values
  private static List<Object> list(@Nullable Object o) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException("JSON array expected, got " + o);
  }

  private static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("\"" + key + "\" expected in " + m);
  }
}
