package dev.kansoku.pipeline.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebugExporterTest {
  private final List<String> lines = new ArrayList<>();

  @Test
  void basic_oneLinePerBatch() throws Exception {
    new DebugExporter("debug", "basic", lines::add).consumer(Signal.TRACES).consume(TestData.traces(2, 1, 3, 0));
    assertThat(lines).containsExactly("debug traces: 6 spans");
  }

  @Test
  void normal_oneLinePerItem() throws Exception {
    var req = TestData.traces(1, 1, 1, 0);
    var span = req.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).addAttributes(TestData.attr("http.route", "/rolldice")).build();
    req = req.toBuilder().setResourceSpans(0, req.getResourceSpans(0).toBuilder()
        .setScopeSpans(0, req.getResourceSpans(0).getScopeSpans(0).toBuilder().setSpans(0, span))).build();
    new DebugExporter("debug", "normal", lines::add).consumer(Signal.TRACES).consume(req);
    assertThat(lines).containsExactly("debug traces: 1 spans",
        "svc-0 span-0 trace_id=655415c5f8ce3ffe0000000000000000 span_id=ed4719643c9748b6 kind=SERVER"
            + " duration=1000us status=UNSET http.route=/rolldice");

    lines.clear();
    new DebugExporter("debug", "normal", lines::add).consumer(Signal.LOGS).consume(TestData.logs(1, 1, 1, 7));
    assertThat(lines).containsExactly("debug logs: 1 log records", "svc-0 SEVERITY_NUMBER_UNSPECIFIED line 7");

    lines.clear();
    new DebugExporter("debug", "normal", lines::add).consumer(Signal.METRICS).consume(TestData.gauges(1, 3));
    assertThat(lines).containsExactly("debug metrics: 3 data points", "svc metric-0 gauge unit= points=3");
  }

  @Test
  void detailed_printsEveryField() throws Exception {
    new DebugExporter("debug", "detailed", lines::add).consumer(Signal.TRACES).consume(TestData.traces(1, 1, 1, 0));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("name: \"span-0\"").contains("start_time_unix_nano: 1700000000000000000")
        .contains("string_value: \"svc-0\"");
  }
}
