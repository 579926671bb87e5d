package dev.kansoku.store.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Document ids (idempotent writes) and the record encoding (exact round trips). */
class DocumentsTest {
  private static final long T = 1_700_000_000_000_000_000L;

  private static SpanRecord span(long spanId, String name) {
    return SpanRecord.builder().traceId(TraceId.parse("5759e988bd862e3fe1be46a994272793")).spanId(new SpanId(spanId))
        .serviceName("dice").name(name).kind(SpanKind.SERVER).startNanos(T).endNanos(T + 5)
        .attributes(Map.of("n", 1L, "d", 1.0, "b", true, "s", "x")).build();
  }

  private static LogRecord log(String body) {
    return LogRecord.builder().timeNanos(T).logGroup("g").logStream("s").serviceName("dice").body(body)
        .attributes(Map.of("n", 200L)).build();
  }

  @Test
  void span_id_is_trace_id_and_span_id_so_a_rewrite_replaces() {
    assertThat(Documents.spanId(span(1, "a"))).isEqualTo("5759e988bd862e3fe1be46a994272793" + "0000000000000001");
    assertThat(Documents.spanId(span(1, "a"))).isEqualTo(Documents.spanId(span(1, "renamed")));
    assertThat(Documents.spanId(span(1, "a"))).isNotEqualTo(Documents.spanId(span(2, "a")));
  }

  @Test
  void log_id_is_a_hash_of_the_whole_record_and_its_resource() {
    String a = Documents.logId(RecordCodec.encode(log("rolled 4")), "r1");
    assertThat(a).hasSize(32).isEqualTo(Documents.logId(RecordCodec.encode(log("rolled 4")), "r1"));
    assertThat(a).isNotEqualTo(Documents.logId(RecordCodec.encode(log("rolled 5")), "r1"));
    assertThat(a).isNotEqualTo(Documents.logId(RecordCodec.encode(log("rolled 4")), "r2"));
    assertThat(Documents.sequence(a)).isEqualTo(Long.parseUnsignedLong(a.substring(0, 16), 16));
  }

  @Test
  void point_id_is_series_and_timestamp_not_value() {
    MetricPoint p = MetricPoint.value("ns", "m", "", Map.of("a", "1", "b", "2"), T, MetricKind.GAUGE, 5);
    assertThat(Documents.pointId(p)).isEqualTo(Documents.pointId(
        MetricPoint.value("ns", "m", "", Map.of("b", "2", "a", "1"), T, MetricKind.GAUGE, 7)));
    assertThat(Documents.pointId(p)).isNotEqualTo(Documents.pointId(
        MetricPoint.value("ns", "m", "", Map.of("a", "1", "b", "2"), T + 1, MetricKind.GAUGE, 5)));
    assertThat(Documents.pointId(p)).isNotEqualTo(Documents.pointId(
        MetricPoint.value("ns", "m", "", Map.of("a", "12"), T, MetricKind.GAUGE, 5)));
  }

  @Test
  void records_come_back_equal_with_attribute_types_and_nan() {
    SpanRecord s = span(1, "a");
    assertThat(RecordCodec.decodeSpan(RecordCodec.encode(s), s.resourceAttributes())).isEqualTo(s);
    assertThat(RecordCodec.decodeSpan(RecordCodec.encode(s), Map.of()).attributes().get("n")).isInstanceOf(Long.class);
    LogRecord r = log("trace_id=1-5759e988-bd862e3fe1be46a994272793@0000000000000001 rolled");
    assertThat(RecordCodec.decodeLog(RecordCodec.encode(r), r.resourceAttributes())).isEqualTo(r);
    MetricPoint h = MetricPoint.histogram("ns", "lat", "ms", Map.of("op", "roll"), T, 3, 6, Double.NaN, 4,
        java.util.List.of(1.0, 5.0), java.util.List.of(1L, 1L, 1L));
    MetricPoint back = RecordCodec.decodePoint(RecordCodec.encode(h));
    assertThat(back).isEqualTo(h);
    assertThat(back.min()).isNaN();
  }

  @Test
  void records_leave_their_resource_out_and_get_it_back_on_decoding() {
    Map<String, Object> resource = Map.of("service.name", "dice", "host.id", 7L, "cloud.region", "us-west-2");
    SpanRecord s = span(1, "a").toBuilder().resourceAttributes(resource).build();
    assertThat(RecordCodec.encode(s)).isEqualTo(RecordCodec.encode(span(1, "a")));
    assertThat(RecordCodec.decodeSpan(RecordCodec.encode(s), resource)).isEqualTo(s);
    assertThat(RecordCodec.decodeResource(RecordCodec.encodeResource(resource))).isEqualTo(resource);
    assertThat(RecordCodec.decodeResource(RecordCodec.encodeResource(resource)).get("host.id"))
        .isInstanceOf(Long.class);
  }

  @Test
  void resource_id_is_stable_and_follows_the_attributes() {
    ResourceIndex resources = new ResourceIndex(new IndexNames("k", IndexNames.RESOURCES), null);
    Map<String, Object> a = new java.util.LinkedHashMap<>();
    a.put("service.name", "dice");
    a.put("host.id", 7L);
    // Pinned: the id names stored documents, so changing the encoding or the hash must be deliberate.
    assertThat(resources.id(dev.kansoku.model.Attributes.copyOf(a))).isEqualTo(PINNED_RESOURCE_ID);
    assertThat(resources.id(dev.kansoku.model.Attributes.copyOf(a)))
        .isEqualTo(Documents.hashId(RecordCodec.encodeResource(dev.kansoku.model.Attributes.copyOf(a))));
    assertThat(resources.id(dev.kansoku.model.Attributes.copyOf(Map.of("service.name", "dice", "host.id", 8L))))
        .isNotEqualTo(PINNED_RESOURCE_ID);
    assertThat(resources.id(dev.kansoku.model.Attributes.copyOf(Map.of("service.name", "dice", "host.id", "7"))))
        .as("a Long and a String attribute are different resources").isNotEqualTo(PINNED_RESOURCE_ID);
  }

  /** Also computed outside Java from the encoding (version byte, count, then key, type, value). */
  private static final String PINNED_RESOURCE_ID = "dc525cf8fe1370cd4a5e4de0665d56d5";
}
