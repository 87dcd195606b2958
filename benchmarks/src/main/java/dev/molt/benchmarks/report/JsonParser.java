package dev.molt.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict recursive-descent JSON parser (RFC 8259) producing {@link Json} trees. */
final class JsonParser {
  private static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;
  private int depth;

  JsonParser(String text) {
    this.text = text;
  }

  Json parseDocument() {
    skipSpace();
    Json value = value();
    skipSpace();
    if (pos != text.length()) {
      throw error("unexpected text after the JSON value");
    }
    return value;
  }

  private Json value() {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> new Json.Str(string());
      case 't' -> literal("true", new Json.Bool(true));
      case 'f' -> literal("false", new Json.Bool(false));
      case 'n' -> literal("null", new Json.Null());
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Json object() {
    enter();
    pos++;
    Map<String, Json> members = new LinkedHashMap<>();
    skipSpace();
    if (peek('}')) {
      pos++;
      depth--;
      return new Json.Obj(members);
    }
    while (true) {
      skipSpace();
      if (!peek('"')) {
        throw error("expected a member name in double quotes");
      }
      int at = pos;
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      Json value = value();
      if (members.putIfAbsent(name, value) != null) {
        pos = at;
        throw error("duplicate member '" + name + "'");
      }
      skipSpace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect('}');
      depth--;
      return new Json.Obj(members);
    }
  }

  private Json array() {
    enter();
    pos++;
    List<Json> items = new ArrayList<>();
    skipSpace();
    if (peek(']')) {
      pos++;
      depth--;
      return new Json.Arr(items);
    }
    while (true) {
      skipSpace();
      items.add(value());
      skipSpace();
      if (peek(',')) {
        pos++;
        continue;
      }
      expect(']');
      depth--;
      return new Json.Arr(items);
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> throw error("unknown escape '\\" + e + "'");
      }
    }
  }

  private Json number() {
    int start = pos;
    if (peek('-')) {
      pos++;
    }
    if (peek('0')) {
      pos++;
    } else if (!digits()) {
      throw error("expected digits");
    }
    if (peek('.')) {
      pos++;
      if (!digits()) {
        throw error("expected digits after the decimal point");
      }
    }
    if (peek('e') || peek('E')) {
      pos++;
      if (peek('+') || peek('-')) {
        pos++;
      }
      if (!digits()) {
        throw error("expected exponent digits");
      }
    }
    double value = Double.parseDouble(text.substring(start, pos));
    if (!Double.isFinite(value)) {
      pos = start;
      throw error("number out of range");
    }
    return new Json.Num(value);
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private Json literal(String word, Json value) {
    if (!text.startsWith(word, pos)) {
      throw error("expected '" + word + "'");
    }
    pos += word.length();
    return value;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
  }
}
