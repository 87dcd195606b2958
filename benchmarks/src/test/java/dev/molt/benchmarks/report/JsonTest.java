package dev.molt.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static final Json TREE =
      Json.object()
          .put("name", "a \"quoted\" \\ path\nwith\ttabs and \u0001")
          .put("integer", 26504)
          .put("fraction", 26504.5)
          .put("negative", -0.25)
          .put("flag", false)
          .put("nothing", new Json.Null())
          .put("list", new Json.Arr(List.of(new Json.Num(1), new Json.Str("x"))))
          .put("nested", Json.object().put("empty", new Json.Arr(List.of())).build())
          .build();

  @Test
  void prettyTextParsesBackToTheSameTree() {
    assertThat(Json.parse(TREE.write(true))).isEqualTo(TREE);
  }

  @Test
  void compactTextParsesBackToTheSameTree() {
    assertThat(Json.parse(TREE.write(false))).isEqualTo(TREE);
  }

  @Test
  void integersAreWrittenWithoutAFraction() {
    assertThat(new Json.Num(900).write(false)).isEqualTo("900");
  }

  @Test
  void fractionsKeepTheirDigits() {
    assertThat(new Json.Num(26504.5).write(false)).isEqualTo("26504.5");
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(new Json.Str("a\u0001b\n").write(false)).isEqualTo("\"a\\u0001b\\n\"");
  }

  @Test
  void membersKeepTheirOrder() {
    Json.Obj obj = (Json.Obj) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
    assertThat(obj.members().keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void unicodeEscapesAreDecoded() {
    assertThat(Json.parse("\"\\u00b5s\"")).isEqualTo(new Json.Str("µs"));
  }

  @Test
  void textAfterTheValueIsRejected() {
    assertThatThrownBy(() -> Json.parse("{} x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 3");
  }

  @Test
  void duplicateMembersAreRejected() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate member 'a'");
  }

  @Test
  void unterminatedStringsAreRejected() {
    assertThatThrownBy(() -> Json.parse("\"abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unterminated string");
  }

  @Test
  void unknownEscapesAreRejected() {
    assertThatThrownBy(() -> Json.parse("\"\\x\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown escape");
  }

  @Test
  void leadingPlusIsNotANumber() {
    assertThatThrownBy(() -> Json.parse("+1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected character '+'");
  }

  @Test
  void trailingCommasAreRejected() {
    assertThatThrownBy(() -> Json.parse("[1,]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected character ']'");
  }

  @Test
  void deepNestingIsRejectedInsteadOfOverflowingTheStack() {
    assertThatThrownBy(() -> Json.parse("[".repeat(100_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nesting deeper than 64");
  }

  @Test
  void emptyInputIsRejected() {
    assertThatThrownBy(() -> Json.parse("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected end of input");
  }

  @Test
  void nonFiniteNumbersCannotBeBuilt() {
    assertThatThrownBy(() -> new Json.Num(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }

  @Test
  void aMissingMemberIsNamedInTheError() {
    Json.Obj obj = Json.object().put("a", 1).build();
    assertThatThrownBy(() -> obj.number("b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no member 'b'");
  }

  @Test
  void aMistypedMemberIsNamedInTheError() {
    Json.Obj obj = Json.object().put("a", "text").build();
    assertThatThrownBy(() -> obj.number("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' is not a number");
  }

  @Test
  void addingAMemberTwiceIsRejected() {
    Json.ObjBuilder b = Json.object().put("a", 1);
    assertThatThrownBy(() -> b.put("a", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("added twice");
  }
}
