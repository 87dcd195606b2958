package dev.molt.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A JSON value: the small tree the harness writes ({@code latest.json}) and reads (its own
 * files and the native floor's output lines). {@link #parse} and {@link #write} are exact
 * inverses for every tree built from these records.
 */
public sealed interface Json {

  /** The JSON {@code null}. */
  record Null() implements Json {}

  /**
   * A JSON boolean.
   *
   * @param value the value
   */
  record Bool(boolean value) implements Json {}

  /**
   * A JSON number (held as a double; integers up to 2^53 are exact).
   *
   * @param value the value, finite
   */
  record Num(double value) implements Json {
    /**
     * Rejects values JSON cannot represent.
     *
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    public Num {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("JSON numbers must be finite, got " + value);
      }
    }
  }

  /**
   * A JSON string.
   *
   * @param value the value
   */
  record Str(String value) implements Json {
    /**
     * Rejects a null string.
     *
     * @throws NullPointerException if {@code value} is null
     */
    public Str {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A JSON array.
   *
   * @param items the elements, in order; copied
   */
  record Arr(List<Json> items) implements Json {
    /**
     * Copies the elements.
     *
     * @throws NullPointerException if {@code items} or an element is null
     */
    public Arr {
      items = List.copyOf(items);
    }
  }

  /**
   * A JSON object whose members keep their insertion order.
   *
   * @param members the members; copied
   */
  record Obj(Map<String, Json> members) implements Json {
    /**
     * Copies the members, keeping their order.
     *
     * @throws NullPointerException if {@code members}, a key or a value is null
     */
    public Obj {
      Map<String, Json> copy = new LinkedHashMap<>();
      for (Map.Entry<String, Json> e : members.entrySet()) {
        copy.put(Objects.requireNonNull(e.getKey(), "key"), Objects.requireNonNull(e.getValue()));
      }
      members = Collections.unmodifiableMap(copy);
    }

    /**
     * The member named {@code name}.
     *
     * @param name the member name
     * @return its value
     * @throws IllegalArgumentException if there is no such member
     */
    public Json get(String name) {
      @Nullable Json value = members.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "JSON object has no member '" + name + "' (members: " + members.keySet() + ")");
      }
      return value;
    }

    /**
     * A string member.
     *
     * @param name the member name
     * @return its string value
     * @throws IllegalArgumentException if it is missing or not a string
     */
    public String string(String name) {
      if (get(name) instanceof Str(String s)) {
        return s;
      }
      throw new IllegalArgumentException("JSON member '" + name + "' is not a string");
    }

    /**
     * A number member.
     *
     * @param name the member name
     * @return its numeric value
     * @throws IllegalArgumentException if it is missing or not a number
     */
    public double number(String name) {
      if (get(name) instanceof Num(double d)) {
        return d;
      }
      throw new IllegalArgumentException("JSON member '" + name + "' is not a number");
    }

    /**
     * A number member that may be {@code null}.
     *
     * @param name the member name
     * @return its value, or {@code null} for a JSON null
     * @throws IllegalArgumentException if it is missing or neither a number nor null
     */
    public @Nullable Double numberOrNull(String name) {
      Json value = get(name);
      if (value instanceof Null) {
        return null;
      }
      return number(name);
    }

    /**
     * A boolean member.
     *
     * @param name the member name
     * @return its value
     * @throws IllegalArgumentException if it is missing or not a boolean
     */
    public boolean bool(String name) {
      if (get(name) instanceof Bool(boolean b)) {
        return b;
      }
      throw new IllegalArgumentException("JSON member '" + name + "' is not a boolean");
    }
  }

  /**
   * Starts an object whose members keep the order they are added in.
   *
   * @return an empty builder
   */
  static ObjBuilder object() {
    return new ObjBuilder();
  }

  /**
   * A string value, or JSON null for {@code null}.
   *
   * @param value the string or null
   * @return the JSON value
   */
  static Json ofNullable(@Nullable String value) {
    return value == null ? new Null() : new Str(value);
  }

  /**
   * A number value, or JSON null for {@code null}.
   *
   * @param value the number or null
   * @return the JSON value
   * @throws IllegalArgumentException if the number is not finite
   */
  static Json ofNullable(@Nullable Double value) {
    return value == null ? new Null() : new Num(value);
  }

  /**
   * Parses one JSON text.
   *
   * @param text the text, a single value with optional surrounding white space
   * @return the value
   * @throws IllegalArgumentException naming the offset, if the text is not valid JSON
   */
  static Json parse(String text) {
    return new JsonParser(text).parseDocument();
  }

  /**
   * Writes this value as JSON text, two-space indented (compact when {@code pretty} is false).
   *
   * @param pretty whether to indent
   * @return the JSON text
   */
  default String write(boolean pretty) {
    StringBuilder out = new StringBuilder();
    JsonWriter.write(this, out, pretty, 0);
    return out.toString();
  }

  /** Collects the members of an {@link Obj} in order. */
  final class ObjBuilder {
    private final Map<String, Json> members = new LinkedHashMap<>();

    private ObjBuilder() {}

    /**
     * Adds a member.
     *
     * @param name its name, not yet used
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException if {@code name} was already added
     */
    public ObjBuilder put(String name, Json value) {
      Objects.requireNonNull(value, "value");
      if (members.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("JSON member '" + name + "' added twice");
      }
      return this;
    }

    /**
     * Adds a string member.
     *
     * @param name its name
     * @param value its value
     * @return this builder
     */
    public ObjBuilder put(String name, String value) {
      return put(name, new Str(value));
    }

    /**
     * Adds a number member.
     *
     * @param name its name
     * @param value its value, finite
     * @return this builder
     */
    public ObjBuilder put(String name, double value) {
      return put(name, new Num(value));
    }

    /**
     * Adds a boolean member.
     *
     * @param name its name
     * @param value its value
     * @return this builder
     */
    public ObjBuilder put(String name, boolean value) {
      return put(name, new Bool(value));
    }

    /**
     * Adds an array of numbers.
     *
     * @param name its name
     * @param values the numbers, finite
     * @return this builder
     */
    public ObjBuilder putNumbers(String name, List<Double> values) {
      List<Json> items = new ArrayList<>(values.size());
      for (Double v : values) {
        items.add(new Num(v));
      }
      return put(name, new Arr(items));
    }

    /**
     * Finishes the object.
     *
     * @return the object with the members added so far
     */
    public Obj build() {
      return new Obj(members);
    }
  }
}
