package dev.molt.examples.wasm;

import dev.molt.api.GuestErrorException;
import dev.molt.api.HostFunction;
import dev.molt.api.HostFunctionFailedException;
import dev.molt.api.HostFunctionSignature;
import dev.molt.api.HostFunctions;
import dev.molt.api.ProtocolViolationException;
import dev.molt.api.SandboxException;
import dev.molt.api.ValueType;
import dev.molt.states.GuestBinary;
import dev.molt.states.spi.GuestSubstrate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The engine guest's interface ({@code wasm-engine.elf}, README "Guest functions"): its image,
 * the calls the states make, and the translation of its error codes into typed exceptions.
 */
final class EngineGuest {

  static final String RESOURCE = "guest/wasm-engine.elf";

  /** The Molt host function every import call goes through: {@code bytes(u32 index, bytes args)}. */
  static final String IMPORT_DISPATCH = "WasmImport";

  static final int MALFORMED = 1001;
  static final int INVALID = 1002;
  static final int LINK = 1003;
  static final int TRAP = 1004;
  static final int EXHAUSTED = 1005;
  static final int NOMEM = 1006;
  static final int BAD_REQUEST = 1007;
  static final int HOST = 1008;

  private static volatile @Nullable GuestBinary image;

  private EngineGuest() {}

  /** The engine's ELF, read once from the jar. */
  static GuestBinary image() {
    GuestBinary i = image;
    if (i == null) {
      // Read here, not by GuestBinary.fromResource: in a named module only this module's own
      // code may read its (unopened) resource directory.
      try (InputStream in = EngineGuest.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the engine guest " + RESOURCE + " is missing from the jar (build with make)");
        }
        i = GuestBinary.of(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("the engine guest " + RESOURCE + " could not be read", e);
      }
      image = i;
    }
    return i;
  }

  /** The host functions of a sandbox: one dispatcher for all of {@code imports}. */
  static HostFunctions hostFunctions(WasmImports imports) {
    return HostFunctions.empty()
        .with(
            HostFunction.of(
                IMPORT_DISPATCH,
                HostFunctionSignature.of(ValueType.BYTES, ValueType.U32, ValueType.BYTES),
                args -> dispatch(imports, (Long) present(args.get(0), "index"), (byte[]) present(args.get(1), "arguments"))));
  }

  private static byte[] dispatch(WasmImports imports, long index, byte[] encodedArguments) throws Exception {
    List<WasmHostFunction> functions = imports.functions();
    if (index < 0 || index >= functions.size()) {
      throw new IllegalArgumentException(
          "the guest called import " + index + ", but the sandbox declared " + functions.size());
    }
    WasmHostFunction f = functions.get((int) index);
    List<WasmValue> arguments = ValueEncoding.decode(encodedArguments, f.type().parameters());
    List<WasmValue> results = f.body().call(arguments);
    if (results == null) {
      throw new IllegalStateException("host function " + f + " returned null instead of a list of results");
    }
    f.type().requireResults("host function " + f.module() + "." + f.name(), results);
    return ValueEncoding.encode(results);
  }

  /** Runs the guest's initialisation and declares the imports (the work of loadRuntime). */
  static void loadRuntime(GuestSubstrate guest, WasmImports imports) throws SandboxException {
    guest.initialise();
    List<WasmHostFunction> functions = imports.functions();
    for (int i = 0; i < functions.size(); i++) {
      WasmHostFunction f = functions.get(i);
      Object index =
          guest.call(guest.function("DeclareImport"), List.of(f.module(), f.name(), f.type().wireForm()));
      if (!Integer.valueOf(i).equals(index)) {
        throw new ProtocolViolationException(
            "the engine declared import " + f + " as " + index + ", expected " + i, guest.status());
      }
    }
  }

  /**
   * LoadModule (the work of loadModule). On a rejection the engine's store is emptied again (a
   * failed instantiation leaves its module in the store), so the runtime is as it was: no module.
   */
  static void loadModule(GuestSubstrate guest, byte[] module) throws SandboxException {
    try {
      guest.call(guest.function("LoadModule"), List.of(module));
    } catch (GuestErrorException e) {
      guest.call(guest.function("UnloadModule"), List.of());
      throw e;
    }
  }

  /**
   * LoadModule with the current module kept (the work of loadModuleOnTop). A rejection leaves the
   * store as the failed instantiation left it: emptying it would drop the modules below.
   */
  static void loadModuleOnTop(GuestSubstrate guest, byte[] module) throws SandboxException {
    guest.call(guest.function("LoadModule"), List.of(module));
  }

  /** The most registered modules the engine keeps ({@code MAX_REGISTERED} in the guest). */
  static final int MAX_REGISTERED = 16;

  /** The longest registered name in UTF-8 bytes (a Molt string argument, {@code MOLT_MAX_NAME}). */
  static final int MAX_REGISTERED_NAME = 128;

  /** RegisterModule: the current module's exports become importable as {@code name}. */
  static void register(GuestSubstrate guest, String name) throws SandboxException {
    try {
      guest.call(guest.function("RegisterModule"), List.of(name));
    } catch (GuestErrorException e) {
      if (e.code() == BAD_REQUEST) {
        throw new IllegalStateException("the engine refused to register \"" + name + "\": " + e.guestMessage(), e);
      }
      throw e;
    }
  }

  static WasmModuleException moduleRejected(GuestErrorException e) {
    WasmModuleException.Reason reason =
        switch (e.code()) {
          case MALFORMED -> WasmModuleException.Reason.MALFORMED;
          case INVALID -> WasmModuleException.Reason.INVALID;
          case LINK -> WasmModuleException.Reason.UNLINKABLE;
          case TRAP, EXHAUSTED, HOST -> WasmModuleException.Reason.UNINSTANTIABLE;
          case NOMEM -> WasmModuleException.Reason.RESOURCES_EXHAUSTED;
          default -> throw new IllegalArgumentException("the engine refused the request: " + e.guestMessage(), e);
        };
    Throwable cause = reason == WasmModuleException.Reason.UNINSTANTIABLE ? trap("(instantiation)", e) : e;
    return new WasmModuleException(reason, e.guestMessage(), e.leftIn(), cause);
  }

  /** Invoke: the results, or a trap. */
  static List<WasmValue> invoke(GuestSubstrate guest, String export, WasmFunctionType type, List<WasmValue> arguments)
      throws SandboxException, WasmTrapException {
    type.requireArguments("export \"" + export + "\"", arguments);
    byte[] encoded = ValueEncoding.encode(arguments);
    Object result;
    try {
      result = guest.call(guest.function("Invoke"), List.of(export, encoded));
    } catch (GuestErrorException e) {
      throw callFailed(export, e);
    }
    return decodeResults(guest, "results of \"" + export + "\"", (byte[]) present(result, "result"), type.results());
  }

  /** GetGlobal: the value. */
  static WasmValue global(GuestSubstrate guest, String export, WasmType type) throws SandboxException {
    Object result;
    try {
      result = guest.call(guest.function("GetGlobal"), List.of(export));
    } catch (GuestErrorException e) {
      throw new IllegalArgumentException("the engine refused to read global \"" + export + "\": " + e.guestMessage(), e);
    }
    return decodeResults(guest, "global \"" + export + "\"", (byte[]) present(result, "result"), List.of(type)).getFirst();
  }

  private static List<WasmValue> decodeResults(GuestSubstrate guest, String what, byte[] bytes, List<WasmType> types)
      throws ProtocolViolationException {
    try {
      return ValueEncoding.decode(bytes, types);
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("the engine guest sent malformed " + what + ": " + e.getMessage(), guest.status());
    }
  }

  private static WasmTrapException callFailed(String export, GuestErrorException e) {
    if (e.code() == BAD_REQUEST) {
      throw new IllegalArgumentException("the engine refused the call of \"" + export + "\": " + e.guestMessage(), e);
    }
    return trap(export, e);
  }

  private static WasmTrapException trap(String function, GuestErrorException e) {
    WasmTrapException.Kind kind =
        switch (e.code()) {
          case EXHAUSTED -> WasmTrapException.Kind.CALL_STACK_EXHAUSTED;
          case HOST -> WasmTrapException.Kind.HOST_FUNCTION_FAILED;
          case TRAP -> WasmTrapException.Kind.ofTrapMessage(e.guestMessage());
          default -> WasmTrapException.Kind.OTHER;
        };
    Throwable cause = e;
    if (kind == WasmTrapException.Kind.HOST_FUNCTION_FAILED && e.getCause() instanceof HostFunctionFailedException h
        && h.getCause() != null) {
      cause = h.getCause(); // the host function's own exception
    }
    return new WasmTrapException(kind, function, e.guestMessage(), e.leftIn(), cause);
  }

  /** Exports: the current instance's exports. */
  static List<WasmExport> exports(GuestSubstrate guest) throws SandboxException {
    String listing = (String) present(guest.call(guest.function("Exports"), List.of()), "export list");
    List<WasmExport> exports = new ArrayList<>();
    for (String line : listing.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      try {
        exports.add(parseExport(line));
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException("the engine guest listed a malformed export '" + line + "': " + e.getMessage(), guest.status());
      }
    }
    return List.copyOf(exports);
  }

  /** A value Molt checked against a non-void type, hence present. */
  private static Object present(@Nullable Object value, String what) {
    if (value == null) {
      throw new IllegalStateException("Molt delivered no " + what + " for a non-void type");
    }
    return value;
  }

  private static WasmExport parseExport(String line) {
    String[] f = line.split(" ", -1);
    String kind = f[0];
    int fields = switch (kind) {
      case "func" -> 4;
      case "global" -> 3;
      case "table", "memory" -> 2;
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    };
    if (f.length != fields) {
      throw new IllegalArgumentException(fields + " fields expected");
    }
    String name = URLDecoder.decode(f[1].replace("+", "%2B"), StandardCharsets.UTF_8);
    return switch (kind) {
      case "func" -> new WasmExport.Function(name, WasmFunctionType.of(types(f[2]), types(f[3])));
      case "global" -> new WasmExport.Global(name, WasmType.ofTextName(f[2]));
      case "table" -> new WasmExport.Table(name);
      default -> new WasmExport.Memory(name);
    };
  }

  private static List<WasmType> types(String field) {
    return field.equals("-") ? List.of() : Arrays.stream(field.split(",", -1)).map(WasmType::ofTextName).toList();
  }
}
