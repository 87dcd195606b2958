package dev.molt.examples.wasm.spec;

import java.util.Arrays;
import java.util.Optional;

/** The wast2json command types the harness runs, in the order the tables list them. */
enum CommandKind {
  MODULE("module"),
  REGISTER("register"),
  ACTION("action"),
  ASSERT_RETURN("assert_return"),
  ASSERT_TRAP("assert_trap"),
  ASSERT_EXHAUSTION("assert_exhaustion"),
  ASSERT_INVALID("assert_invalid"),
  ASSERT_MALFORMED("assert_malformed"),
  ASSERT_UNLINKABLE("assert_unlinkable"),
  ASSERT_UNINSTANTIABLE("assert_uninstantiable");

  private final String jsonName;

  CommandKind(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The command's {@code type} in wast2json's output. */
  String jsonName() {
    return jsonName;
  }

  static Optional<CommandKind> of(String jsonName) {
    return Arrays.stream(values()).filter(k -> k.jsonName.equals(jsonName)).findFirst();
  }
}
