package dev.kansoku.contrib.attributesprocessor;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static dev.kansoku.contrib.attraction.TestAttrs.map;
import static dev.kansoku.contrib.attraction.TestAttrs.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's attributes processor cases for spans, logs and metrics, then include/exclude per signal. */
class AttributesProcessorTest {
  /** The processor in a pipeline of each of {@code signals}; include/exclude are valid for some signals only. */
  private static String config(String processor, String... signals) {
    StringBuilder yaml = new StringBuilder("processors:\n  attributes:\n").append(processor.indent(4))
        .append("receivers: {push: }\nexporters: {capture: }\nservice:\n  pipelines:\n");
    for (String signal : signals.length == 0 ? new String[] {"traces", "metrics", "logs"} : signals) {
      yaml.append("    ").append(signal).append(": {receivers: [push], processors: [attributes], exporters: [capture]}\n");
    }
    return yaml.toString();
  }

  /** One span named {@code spanName} of a resource with that service.name (none when empty). */
  private static ExportTraceServiceRequest span(String service, String spanName, List<KeyValue> attributes) {
    Resource.Builder resource = Resource.newBuilder();
    if (!service.isEmpty()) {
      resource.addAllAttributes(attrs("service.name", service));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName(spanName)
            .addAllAttributes(attributes)))).build();
  }

  private static void checkSpan(TestService s, String service, String spanName, List<KeyValue> in,
      Map<String, Object> expected) throws Exception {
    ExportTraceServiceRequest out = s.roundTrip(Signal.TRACES, span(service, spanName, in));
    assertThat(raw(out.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList())).as(spanName)
        .isEqualTo(expected);
  }

  /** One log record of a resource whose attribute "name" is {@code resourceName}. */
  private static ExportLogsServiceRequest log(String resourceName, LogRecord.Builder record) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(attrs("name", resourceName)))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
  }

  private static void checkLog(TestService s, String resourceName, List<KeyValue> in, Map<String, Object> expected)
      throws Exception {
    checkLog(s, resourceName, LogRecord.newBuilder().addAllAttributes(in), expected);
  }

  private static void checkLog(TestService s, String resourceName, LogRecord.Builder in, Map<String, Object> expected)
      throws Exception {
    ExportLogsServiceRequest out = s.roundTrip(Signal.LOGS, log(resourceName, in));
    assertThat(raw(out.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getAttributesList())).as(resourceName)
        .isEqualTo(expected);
  }

  /** Metric "metric1" with one int gauge point, of a resource whose attribute "name" is {@code resourceName}. */
  private static ExportMetricsServiceRequest gauge(String resourceName, String metricName, List<KeyValue> attributes) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(attrs("name", resourceName)))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(metricName)
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)
                .addAllAttributes(attributes)))))).build();
  }

  private static void checkGauge(TestService s, String resourceName, String metricName, List<KeyValue> in,
      Map<String, Object> expected) throws Exception {
    ExportMetricsServiceRequest out = s.roundTrip(Signal.METRICS, gauge(resourceName, metricName, in));
    assertThat(raw(out.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0)
        .getAttributesList())).as(resourceName + "/" + metricName).isEqualTo(expected);
  }

  @Test
  void emptyData_passesUnchanged() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}, {key: attribute1, action: delete}]"""))) {
      for (ExportTraceServiceRequest in : List.of(ExportTraceServiceRequest.getDefaultInstance(),
          ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.getDefaultInstance()).build(),
          ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
              .addScopeSpans(ScopeSpans.getDefaultInstance())).build())) {
        assertThat(s.roundTrip(Signal.TRACES, in)).isSameAs(in);
      }
      ExportTraceServiceRequest one = span("svc", "op", attrs("a", 1));
      assertThat(s.roundTrip(Signal.TRACES, one)).isEqualTo(one);
    }
  }

  @Test
  void filterSpans_regexpServicesIncluded_strictAttributeExcluded() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}]
        include: {match_type: regexp, services: [svcA, "svcB.*"]}
        exclude: {match_type: strict, attributes: [{key: NoModification, value: true}]}""", "traces"))) {
      checkSpan(s, "svcB", "apply processor", attrs(), map("attribute1", 123));
      checkSpan(s, "svcB", "apply processor with different value for exclude property", attrs("NoModification", false),
          map("attribute1", 123, "NoModification", false));
      checkSpan(s, "noname", "incorrect name for include property", attrs(), map());
      checkSpan(s, "svcB", "attribute match for exclude property", attrs("NoModification", true),
          map("NoModification", true));
      checkSpan(s, "", "no service.name", attrs(), map());
    }
  }

  @Test
  void filterSpans_byNameStrict() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}]
        include: {match_type: strict, span_names: [apply, dont_apply]}
        exclude: {match_type: strict, span_names: [dont_apply]}""", "traces"))) {
      checkSpan(s, "svcB", "apply", attrs(), map("attribute1", 123));
      checkSpan(s, "svcB", "apply", attrs("NoModification", false), map("attribute1", 123, "NoModification", false));
      checkSpan(s, "svcB", "incorrect_span_name", attrs(), map());
      checkSpan(s, "svcB", "dont_apply", attrs(), map());
      checkSpan(s, "svcB", "incorrect_span_name_with_attr", attrs("NoModification", true), map("NoModification", true));
    }
  }

  @Test
  void filterSpans_byNameRegexp() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}]
        include: {match_type: regexp, span_names: ["^apply.*"]}
        exclude: {match_type: regexp, span_names: [".*dont_apply$"]}""", "traces"))) {
      checkSpan(s, "svcB", "apply_to_span_with_no_attrs", attrs(), map("attribute1", 123));
      checkSpan(s, "svcB", "apply_to_span_with_attr", attrs("NoModification", false),
          map("attribute1", 123, "NoModification", false));
      checkSpan(s, "svcB", "incorrect_span_name", attrs(), map());
      checkSpan(s, "svcB", "apply_dont_apply", attrs(), map());
      checkSpan(s, "svcB", "incorrect_span_name_with_attr", attrs("NoModification", true), map("NoModification", true));
    }
  }

  @Test
  void filterSpans_kindsLibrariesResourcesAndRegexpAttributes() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: db.statement, action: update, value: "SELECT * FROM USERS [obfuscated]"}]
        include:
          match_type: regexp
          span_kinds: [SPAN_KIND_CLIENT]
          libraries: [{name: "io.opentelemetry.jdbc"}, {name: mongo, version: "^3\\\\."}]
          resources: [{key: host.type, value: "n1-.*"}]
          attributes: [{key: db.statement, value: 'SELECT \\* FROM USERS.*'}]""", "traces"))) {
      Span.Builder client = Span.newBuilder().setName("query").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
          .addAllAttributes(attrs("db.statement", "SELECT * FROM USERS WHERE id=1"));
      Resource host = Resource.newBuilder().addAllAttributes(attrs("host.type", "n1-standard-1")).build();
      String obfuscated = "SELECT * FROM USERS [obfuscated]";
      assertThat(statement(s, host, InstrumentationScope.newBuilder().setName("io.opentelemetry.jdbc-1.0"), client))
          .isEqualTo(obfuscated);
      assertThat(statement(s, host, InstrumentationScope.newBuilder().setName("mongo").setVersion("3.8.0"), client))
          .isEqualTo(obfuscated);
      assertThat(statement(s, host, InstrumentationScope.newBuilder().setName("mongo").setVersion("4.0"), client))
          .startsWith("SELECT * FROM USERS WHERE");
      assertThat(statement(s, host, InstrumentationScope.newBuilder().setName("io.opentelemetry.jdbc"),
          client.clone().setKind(Span.SpanKind.SPAN_KIND_SERVER))).startsWith("SELECT * FROM USERS WHERE");
      assertThat(statement(s, Resource.getDefaultInstance(), InstrumentationScope.newBuilder()
          .setName("io.opentelemetry.jdbc"), client)).startsWith("SELECT * FROM USERS WHERE");
    }
  }

  private static String statement(TestService s, Resource resource, InstrumentationScope.Builder scope,
      Span.Builder span) throws Exception {
    ExportTraceServiceRequest out = s.roundTrip(Signal.TRACES, ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(ScopeSpans.newBuilder()
            .setScope(scope).addSpans(span))).build());
    return out.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributes(0).getValue().getStringValue();
  }

  @Test
  void hashAndConvert_onSpansLogsAndMetrics() throws Exception {
    try (TestService s = TestService.start(config("""
        actions:
        - {key: user.email, action: hash}
        - {key: user.id, action: hash}
        - {key: to.int, action: convert, converted_type: int}
        - {key: to.double, action: convert, converted_type: double}
        - {key: to.string, action: convert, converted_type: string}"""))) {
      List<KeyValue> in = attrs("user.email", "john.doe@example.com", "user.id", 10, "to.int", "123",
          "to.double", "3.141e2", "to.string", 99.1);
      Map<String, Object> expected = map("user.email", "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f",
          "user.id", "a111f275cc2e7588000001d300a31e76336d15b9d314cd1a1d8f3d3556975eed", "to.int", 123,
          "to.double", 314.1, "to.string", "99.1");
      checkSpan(s, "svc", "op", in, expected);
      checkLog(s, "res", in, expected);
      checkGauge(s, "res", "metric1", in, expected);
    }
  }

  @Test
  void filterLogs_byResources() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}]
        include: {match_type: regexp, resources: [{key: name, value: "^[^i].*"}]}
        exclude: {match_type: strict, attributes: [{key: NoModification, value: true}]}""", "logs"))) {
      checkLog(s, "apply processor", attrs(), map("attribute1", 123));
      checkLog(s, "apply processor with different value for exclude property", attrs("NoModification", false),
          map("attribute1", 123, "NoModification", false));
      checkLog(s, "incorrect name for include property", attrs(), map());
      checkLog(s, "attribute match for exclude property", attrs("NoModification", true), map("NoModification", true));
    }
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}]
        include: {match_type: strict, resources: [{key: name, value: apply}]}
        exclude: {match_type: strict, resources: [{key: name, value: dont_apply}]}""", "logs"))) {
      checkLog(s, "apply", attrs(), map("attribute1", 123));
      checkLog(s, "apply", attrs("NoModification", false), map("attribute1", 123, "NoModification", false));
      checkLog(s, "incorrect_log_name", attrs(), map());
      checkLog(s, "dont_apply", attrs(), map());
    }
  }

  @Test
  void filterLogs_bodiesSeverityTextsAndNumbers() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: password, action: update, value: obfuscated}, {key: token, action: delete}]
        include: {match_type: regexp, log_bodies: ["AUTH.*"], log_severity_texts: ["debug.*"]}""", "logs"))) {
      List<KeyValue> secrets = attrs("password", "p", "token", "t");
      LogRecord.Builder auth = LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("AUTH ok"))
          .setSeverityText("debug2").addAllAttributes(secrets);
      checkLog(s, "r", auth, map("password", "obfuscated"));
      checkLog(s, "r", auth.clone().setSeverityText("info"), map("password", "p", "token", "t"));
      checkLog(s, "r", auth.clone().setBody(AnyValue.newBuilder().setIntValue(7)), map("password", "p", "token", "t"));
    }
    try (TestService s = TestService.start(config("""
        actions: [{key: my.upsert.attr, action: upsert, value: true}]
        include: {log_severity_number: {min: 13, match_undefined: true}}""", "logs"))) {
      checkLog(s, "r", LogRecord.newBuilder().setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN),
          map("my.upsert.attr", true));
      checkLog(s, "r", LogRecord.newBuilder().setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO4), map());
      checkLog(s, "r", LogRecord.newBuilder(), map("my.upsert.attr", true));
    }
  }

  @Test
  void metrics_byNameStrictAndRegexp_andResources() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}]
        include: {match_type: strict, metric_names: [apply, dont_apply]}
        exclude: {match_type: strict, metric_names: [dont_apply]}""", "metrics"))) {
      checkGauge(s, "r", "apply", attrs(), map("attribute1", 123));
      checkGauge(s, "r", "apply", attrs("NoModification", false), map("attribute1", 123, "NoModification", false));
      checkGauge(s, "r", "incorrect_metric_name", attrs(), map());
      checkGauge(s, "r", "dont_apply", attrs(), map());
    }
    try (TestService s = TestService.start(config("""
        actions: [{key: attribute1, action: insert, value: 123}]
        include: {match_type: regexp, resources: [{key: name, value: "^apply.*"}]}
        exclude: {match_type: regexp, resources: [{key: name, value: ".*dont_apply$"}]}""", "metrics"))) {
      checkGauge(s, "apply_to_metric_with_no_attrs", "metric1", attrs(), map("attribute1", 123));
      checkGauge(s, "incorrect_metric_name", "metric1", attrs(), map());
      checkGauge(s, "apply_dont_apply", "metric1", attrs(), map());
    }
  }

  @Test
  void metrics_everyPointType() throws Exception {
    try (TestService s = TestService.start(config("""
        actions: [{key: host, action: delete}, {key: env, value: prod, action: upsert}]"""))) {
      List<KeyValue> in = attrs("host", "h1", "route", "/dice");
      ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
          ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
              .addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
                  .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(in).setAsDouble(1))))
              .addMetrics(Metric.newBuilder().setName("s").setSum(Sum.newBuilder().setIsMonotonic(true)
                  .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(in).setAsInt(2))))
              .addMetrics(Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                  .addDataPoints(HistogramDataPoint.newBuilder().addAllAttributes(in).setCount(3))))
              .addMetrics(Metric.newBuilder().setName("e").setExponentialHistogram(ExponentialHistogram.newBuilder()
                  .addDataPoints(ExponentialHistogramDataPoint.newBuilder().addAllAttributes(in).setCount(4))))
              .addMetrics(Metric.newBuilder().setName("q").setSummary(Summary.newBuilder()
                  .addDataPoints(SummaryDataPoint.newBuilder().addAllAttributes(in).setCount(5))))
              .addMetrics(Metric.newBuilder().setName("empty")))).build();
      List<Metric> out = s.roundTrip(Signal.METRICS, req).getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
      Map<String, Object> expected = map("route", "/dice", "env", "prod");
      assertThat(raw(out.get(0).getGauge().getDataPoints(0).getAttributesList())).isEqualTo(expected);
      assertThat(raw(out.get(1).getSum().getDataPoints(0).getAttributesList())).isEqualTo(expected);
      assertThat(raw(out.get(2).getHistogram().getDataPoints(0).getAttributesList())).isEqualTo(expected);
      assertThat(raw(out.get(3).getExponentialHistogram().getDataPoints(0).getAttributesList())).isEqualTo(expected);
      assertThat(raw(out.get(4).getSummary().getDataPoints(0).getAttributesList())).isEqualTo(expected);
      assertThat(out.get(1).getSum().getIsMonotonic()).isTrue();
      assertThat(out.get(4).getSummary().getDataPoints(0).getCount()).isEqualTo(5);
      assertThat(out.get(5)).isSameAs(req.getResourceMetrics(0).getScopeMetrics(0).getMetrics(5));
    }
  }
}
