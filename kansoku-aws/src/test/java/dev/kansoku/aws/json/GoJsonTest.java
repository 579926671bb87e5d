package dev.kansoku.aws.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Numbers and strings as Go's encoding/json writes them (expected values from Go 1.22 json.Marshal). */
class GoJsonTest {
  private static void check(double f, String go) {
    assertThat(GoJson.formatFloat(f)).as("%s", f).isEqualTo(go);
  }

  @Test
  void formatFloat_matchesGo() {
    check(0, "0");
    check(1, "1");
    check(-3, "-3");
    check(0.1, "0.1");
    check(3.14, "3.14");
    check(15, "15");
    check(0.0123, "0.0123");
    check(1e20, "100000000000000000000");
    check(1e21, "1e+21");
    check(1.5e300, "1.5e+300");
    check(0.000001, "0.000001");
    check(1e-7, "1e-7");
    check(-2.5e-10, "-2.5e-10");
    check(178905706672.94788, "178905706672.94788");
    check(9007199254740993.0, "9007199254740992");
  }

  @Test
  void strings_escapeAsGoDoes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a<b>&c", "line\nnext\t\"q\" \\ \u0001 \u2028");
    m.put("list", List.of(1L, 2.5, true));
    assertThat(GoJson.write(m)).isEqualTo(
        "{\"a\\u003cb\\u003e\\u0026c\":\"line\\nnext\\t\\\"q\\\" \\\\ \\u0001 \\u2028\",\"list\":[1,2.5,true]}");
  }

  @Test
  void controlCharacters_asGo122WritesThem() {
    assertThat(GoJson.write("\b\f\u000b\u001f")).isEqualTo("\"\\b\\f\\u000b\\u001f\"");
  }

  @Test
  void jacksonWithTheEscapes_writesTheSameStrings() throws Exception {
    String text = "a<b>&c \"q\" \\ \n\t\b\f\u0001\u001f \u2028\u2029 é 日本";
    java.io.StringWriter out = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
      g.setCharacterEscapes(GoJson.ESCAPES);
      g.writeStartObject();
      g.writeStringField(text, text);
      g.writeEndObject();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(text, text);
    assertThat(out.toString()).isEqualTo(GoJson.write(m));
  }
}
