package dev.kansoku.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceCorrelationTest {
  static final TraceId SEED = TraceId.parse("655415c5f8ce3ffe767daf7d6ef94d72");
  static final TraceId W3C = TraceId.parse("4bf92f3577b34da6a3ce929d0e0e4736");

  /** One line per case: text, expected trace id (or null), expected span id (or null). */
  private static void check(String text, TraceId trace, String span) {
    TraceCorrelation.Match m = TraceCorrelation.find(text);
    if (trace == null) {
      assertThat(m).as(text).isNull();
      return;
    }
    assertThat(m).as(text).isNotNull();
    assertThat(m.traceId()).as(text).isEqualTo(trace);
    assertThat(m.spanId() == null ? null : m.spanId().hex()).as(text).isEqualTo(span);
  }

  @Test
  void seed_line() {
    String line = "00:50:13.242 trace_id=1-655415c5-f8ce3ffe767daf7d6ef94d72@ed4719643c9748b6 span_id=ed4719643c9748b6 "
        + "trace_flags=01 GET \"/rolldice\", parameters={}";
    check(line, SEED, "ed4719643c9748b6");
    TraceCorrelation.Match m = TraceCorrelation.find(line);
    assertThat(line.substring(m.start(), m.end())).isEqualTo("1-655415c5-f8ce3ffe767daf7d6ef94d72");
  }

  @Test
  void forms() {
    check("1-655415c5-f8ce3ffe767daf7d6ef94d72", SEED, null);
    check("x 1-655415c5-f8ce3ffe767daf7d6ef94d72 y span_id=00f067aa0ba902b7", SEED, "00f067aa0ba902b7");
    check("trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7", W3C, "00f067aa0ba902b7");
    check("traceId=4bf92f3577b34da6a3ce929d0e0e4736", W3C, null);
    check("{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}", W3C, "00f067aa0ba902b7");
    check("{\"traceId\": \"4BF92F3577B34DA6A3CE929D0E0E4736\"}", W3C, null);
    check("TraceID: 4bf92f3577b34da6a3ce929d0e0e4736", W3C, null);
    check("trace-id=4bf92f3577b34da6a3ce929d0e0e4736", W3C, null);
  }

  @Test
  void counter_examples() {
    check("", null, null);
    check("GET /rolldice 200", null, null);
    check("41-655415c5-f8ce3ffe767daf7d6ef94d72", null, null); // not a word on its own
    check("1-655415c5-f8ce3ffe767daf7d6ef94d72a", null, null); // one digit too many
    check("1-655415c5-f8ce3ffe767daf7d6ef94d7", null, null); // one too few
    check("trace_id=4bf92f3577b34da6a3ce929d0e0e473", null, null);
    check("trace_id=4bf92f3577b34da6a3ce929d0e0e47366", null, null);
    check("mytrace_id=4bf92f3577b34da6a3ce929d0e0e4736", null, null);
    check("trace_id=00000000000000000000000000000000", null, null);
    check("4bf92f3577b34da6a3ce929d0e0e4736", null, null); // bare hex without a key: too ambiguous
    check("1-655415c5-f8ce3ffe767daf7d6ef94d72@ed47", SEED, null);
  }

  @Test
  void hostile_input_stays_linear() {
    // Many near-misses: a regex with nested quantifiers would backtrack here; the scanner does constant work per char.
    String s = "1-".repeat(100_000) + "trace_id=".repeat(50_000) + "1-655415c5-".repeat(20_000);
    long t0 = System.nanoTime();
    assertThat(TraceCorrelation.find(s)).isNull();
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for %s chars", s.length()).isLessThan(2_000);
  }
}
