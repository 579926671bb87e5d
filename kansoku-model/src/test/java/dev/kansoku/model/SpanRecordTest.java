package dev.kansoku.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanRecordTest {
  private static SpanRecord.Builder span() {
    return SpanRecord.builder().traceId(TraceId.parse("4bf92f3577b34da6a3ce929d0e0e4736"))
        .spanId(SpanId.parse("00f067aa0ba902b7")).serviceName("dice-server").name("GET /rolldice")
        .kind(SpanKind.SERVER).startNanos(1_000).endNanos(2_000);
  }

  /** status code, http status → error, fault, throttle. */
  private static void flags(StatusCode status, int http, boolean error, boolean fault, boolean throttle) {
    SpanRecord s = span().status(status, "").httpStatus(http).build();
    assertThat(new boolean[] {s.isError(), s.isFault(), s.isThrottle()}).as(status + " " + http)
        .containsExactly(error, fault, throttle);
  }

  @Test
  void xray_flags() {
    flags(StatusCode.UNSET, 200, false, false, false);
    flags(StatusCode.UNSET, 0, false, false, false);
    flags(StatusCode.ERROR, 0, false, true, false);
    flags(StatusCode.ERROR, 500, false, true, false);
    flags(StatusCode.UNSET, 503, false, true, false);
    flags(StatusCode.UNSET, 404, true, false, false);
    flags(StatusCode.ERROR, 404, true, false, false);
    flags(StatusCode.UNSET, 429, true, false, true);
    flags(StatusCode.OK, 429, true, false, true);
  }

  @Test
  void http_fields_from_new_and_old_conventions() {
    SpanRecord s = span().attributes(Map.of("http.request.method", "GET", "http.response.status_code", 200L,
        "url.scheme", "http", "server.address", "nlb", "url.path", "/rolldice", "http.route", "/rolldice")).build();
    assertThat(s.httpMethod()).isEqualTo("GET");
    assertThat(s.httpStatus()).isEqualTo(200);
    assertThat(s.httpUrl()).isEqualTo("http://nlb/rolldice");
    assertThat(s.httpRoute()).isEqualTo("/rolldice");
    SpanRecord old = span().attributes(Map.of("http.method", "POST", "http.status_code", 502, "http.url", "http://x/y"))
        .build();
    assertThat(old.httpMethod()).isEqualTo("POST");
    assertThat(old.httpStatus()).isEqualTo(502);
    assertThat(old.httpUrl()).isEqualTo("http://x/y");
    assertThat(old.attributes().get("http.status_code")).isEqualTo(502L);
  }

  @Test
  void rejects_nonsense() {
    assertThatThrownBy(() -> span().startNanos(5).endNanos(4).build())
        .hasMessage("endNanos < startNanos: 4 < 5 (span 00f067aa0ba902b7)");
    assertThatThrownBy(() -> span().parentSpanId(SpanId.parse("00f067aa0ba902b7")).build())
        .hasMessage("parentSpanId: 00f067aa0ba902b7 is the span's own id");
    assertThatThrownBy(() -> span().attributes(Map.of("k", new int[0])).build())
        .hasMessage("attribute k: int[] value (expected: String, Long, Double or Boolean)");
    assertThatThrownBy(() -> span().serviceName("").build())
        .hasMessage("serviceName: empty (expected: the resource's service.name)");
  }

  @Test
  void log_trace_id_from_text_when_otlp_has_none() {
    LogRecord l = LogRecord.builder().serviceName("dice-server").timeNanos(1)
        .body("00:50:13.242 trace_id=1-655415c5-f8ce3ffe767daf7d6ef94d72@ed4719643c9748b6 span_id=ed4719643c9748b6").build();
    assertThat(l.traceId()).isEqualTo(TraceId.parse("1-655415c5-f8ce3ffe767daf7d6ef94d72"));
    assertThat(l.spanId()).isEqualTo(SpanId.parse("ed4719643c9748b6"));
    assertThat(l.logGroup()).isEqualTo("dice-server");
    TraceId otlp = TraceId.parse("4bf92f3577b34da6a3ce929d0e0e4736");
    LogRecord withOtlp = LogRecord.builder().serviceName("s").timeNanos(1).traceId(otlp)
        .body("trace_id=1-655415c5-f8ce3ffe767daf7d6ef94d72").build();
    assertThat(withOtlp.traceId()).isEqualTo(otlp);
  }
}
