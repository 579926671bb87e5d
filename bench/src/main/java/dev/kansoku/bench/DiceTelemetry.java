package dev.kansoku.bench;

import static dev.kansoku.bench.DiceResources.bool;
import static dev.kansoku.bench.DiceResources.integer;
import static dev.kansoku.bench.DiceResources.randomId;
import static dev.kansoku.bench.DiceResources.resource;
import static dev.kansoku.bench.DiceResources.scope;
import static dev.kansoku.bench.DiceResources.stackTrace;
import static dev.kansoku.bench.DiceResources.str;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Telemetry as the seed's dice app sends it: a Spring Boot {@code GET /rolldice} service instrumented
 * by the ADOT Java agent with {@code service.name=dice-server}, several instances of it (half of
 * them on ECS Fargate, with the ECS resource detector's {@code aws.*} attributes).
 *
 * <p>Each call builds one export request the way one instance's SDK would send it: one resource,
 * its instrumentation scopes, exactly {@code items} spans, log records or metric data points, with
 * fresh random trace and span ids. Not thread-safe (it owns a random generator).
 */
final class DiceTelemetry {
  static final String SERVICE_NAME = "dice-server";
  /** One trace in this many fails: a 500 SERVER span and an exception on its {@code roll} span. */
  static final int ERROR_ONE_IN = 25;

  static final String AGENT_VERSION = "1.31.0";
  private static final InstrumentationScope TOMCAT =
      scope("io.opentelemetry.tomcat-10.0", AGENT_VERSION + "-alpha");
  private static final InstrumentationScope ANNOTATIONS =
      scope("io.opentelemetry.opentelemetry-instrumentation-annotations-1.16", AGENT_VERSION + "-alpha");
  private static final String DISPATCHER = "org.springframework.web.servlet.DispatcherServlet";
  private static final String CONTROLLER = "otel.RollController";
  private static final String TOMCAT_LOGGER = "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/]"
      + ".[dispatcherServlet]";
  private static final String[] USER_AGENTS = {
      "curl/8.4.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
      "ELB-HealthChecker/2.0",
  };
  private static final String STACK_TRACE = stackTrace();
  private static final double[] HTTP_BOUNDS =
      {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
  private static final double[] GC_BOUNDS = {0.01, 0.1, 1, 10};

  private final SplittableRandom random;
  private final List<Instance> instances;
  private long baseNanos;
  private int next;
  private long sequence;

  /** A running copy of the dice app: its resource and when its process started. */
  private record Instance(Resource resource, long startNanos) {}

  DiceTelemetry(long seed, int instanceCount) {
    if (instanceCount <= 0) {
      throw new IllegalArgumentException("instanceCount: " + instanceCount + " (expected: > 0)");
    }
    this.random = new SplittableRandom(seed);
    this.baseNanos = System.currentTimeMillis() * 1_000_000L;
    List<Instance> list = new ArrayList<>();
    for (int i = 0; i < instanceCount; i++) {
      list.add(new Instance(resource(random, i, i % 2 == 0),
          baseNanos - (3_600 + random.nextInt(86_400)) * 1_000_000_000L));
    }
    this.instances = List.copyOf(list);
  }

  /**
   * Makes the next requests' telemetry happen in the 5 seconds before {@code nanos} (by default the
   * construction time), so a long run can spread its data over a time range.
   */
  void at(long nanos) {
    baseNanos = nanos;
  }

  private Instance nextInstance() {
    Instance in = instances.get(next);
    next = (next + 1) % instances.size();
    sequence++;
    return in;
  }

  // ---------------------------------------------------------------- traces

  /** {@code spans} spans: SERVER {@code GET /rolldice} spans, each followed by its INTERNAL {@code roll} child. */
  ExportTraceServiceRequest traces(int spans) {
    Instance in = nextInstance();
    ScopeSpans.Builder server = ScopeSpans.newBuilder().setScope(TOMCAT).setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
    ScopeSpans.Builder roll = ScopeSpans.newBuilder().setScope(ANNOTATIONS);
    int made = 0;
    while (made < spans) {
      byte[] traceId = randomId(random, 16);
      byte[] serverId = randomId(random, 8);
      boolean error = random.nextInt(ERROR_ONE_IN) == 0;
      long start = baseNanos - random.nextLong(5_000_000_000L);
      long duration = 300_000 + random.nextLong(20_000_000);
      int value = 1 + random.nextInt(6);
      server.addSpans(serverSpan(traceId, serverId, start, duration, error));
      made++;
      if (made < spans) {
        long rollStart = start + 100_000 + random.nextLong(200_000);
        roll.addSpans(rollSpan(traceId, randomId(random, 8), serverId, rollStart, 5_000 + random.nextLong(200_000), value, error));
        made++;
      }
    }
    ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(in.resource())
        .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0").addScopeSpans(server);
    if (roll.getSpansCount() > 0) {
      rs.addScopeSpans(roll);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build();
  }

  private Span serverSpan(byte[] traceId, byte[] spanId, long start, long duration, boolean error) {
    Span.Builder s = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId))
        .setFlags(0x101)
        .setName("GET /rolldice")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + duration)
        .addAttributes(str("http.request.method", "GET"))
        .addAttributes(str("url.scheme", "http"))
        .addAttributes(str("url.path", "/rolldice"))
        .addAttributes(str("http.route", "/rolldice"))
        .addAttributes(integer("http.response.status_code", error ? 500 : 200))
        .addAttributes(str("network.protocol.version", "1.1"))
        .addAttributes(str("server.address", "dice-nlb-4f1c2a9e7b3d5c60.elb.us-west-2.amazonaws.com"))
        .addAttributes(integer("server.port", 8080))
        .addAttributes(str("user_agent.original", USER_AGENTS[random.nextInt(USER_AGENTS.length)]))
        .addAttributes(str("network.peer.address", "10.0." + random.nextInt(4) + "." + (2 + random.nextInt(250))))
        .addAttributes(integer("network.peer.port", 1024 + random.nextInt(64_000)))
        .addAttributes(str("client.address", "203.0.113." + (1 + random.nextInt(254))))
        .addAttributes(str("thread.name", "http-nio-8080-exec-" + (1 + random.nextInt(10))));
    if (error) {
      s.addAttributes(str("error.type", "500"));
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    return s.build();
  }

  private Span rollSpan(byte[] traceId, byte[] spanId, byte[] parentId, long start, long duration, int value,
      boolean error) {
    Span.Builder s = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId))
        .setParentSpanId(ByteString.copyFrom(parentId))
        .setFlags(0x101)
        .setName("roll")
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + duration)
        .addAttributes(str("code.namespace", CONTROLLER))
        .addAttributes(str("code.function", "rollDice"))
        .addAttributes(integer("roll.value", value));
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
          .setMessage("java.lang.IllegalStateException: the dice fell off the table"));
      s.addEvents(Span.Event.newBuilder()
          .setName("exception")
          .setTimeUnixNano(start + duration)
          .addAttributes(str("exception.type", "java.lang.IllegalStateException"))
          .addAttributes(str("exception.message", "the dice fell off the table"))
          .addAttributes(str("exception.stacktrace", STACK_TRACE)));
    }
    return s.build();
  }

  // ---------------------------------------------------------------- logs

  /**
   * {@code records} log records as the logback appender sends them: per request the
   * DispatcherServlet's {@code GET "/rolldice", parameters={}} (DEBUG) and {@code Completed 200 OK},
   * the controller's {@code Player is rolling the dice: N} (INFO), and for failed requests Tomcat's
   * ERROR record with the exception. Each carries its trace and span id.
   */
  ExportLogsServiceRequest logs(int records) {
    Instance in = nextInstance();
    Map<String, ScopeLogs.Builder> byLogger = new LinkedHashMap<>();
    int made = 0;
    while (made < records) {
      byte[] traceId = randomId(random, 16);
      byte[] serverId = randomId(random, 8);
      byte[] rollId = randomId(random, 8);
      boolean error = random.nextInt(ERROR_ONE_IN) == 0;
      long t = baseNanos - random.nextLong(5_000_000_000L);
      String thread = "http-nio-8080-exec-" + (1 + random.nextInt(10));
      List<LogRecord> trace = new ArrayList<>(3);
      trace.add(log(t, SeverityNumber.SEVERITY_NUMBER_DEBUG, "DEBUG", "GET \"/rolldice\", parameters={}",
          traceId, serverId, thread).build());
      trace.add(log(t + 150_000, SeverityNumber.SEVERITY_NUMBER_INFO, "INFO",
          "Player is rolling the dice: " + (1 + random.nextInt(6)), traceId, rollId, thread).build());
      if (error) {
        trace.add(log(t + 400_000, SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR",
            "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception", traceId,
            serverId, thread)
            .addAttributes(str("exception.type", "java.lang.IllegalStateException"))
            .addAttributes(str("exception.message", "the dice fell off the table"))
            .addAttributes(str("exception.stacktrace", STACK_TRACE))
            .build());
      } else {
        trace.add(log(t + 400_000, SeverityNumber.SEVERITY_NUMBER_DEBUG, "DEBUG", "Completed 200 OK", traceId,
            serverId, thread).build());
      }
      String[] loggers = {DISPATCHER, CONTROLLER, error ? TOMCAT_LOGGER : DISPATCHER};
      for (int i = 0; i < trace.size() && made < records; i++, made++) {
        String logger = loggers[i];
        byLogger.computeIfAbsent(logger, l -> ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder()
            .setName(l))).addLogRecords(trace.get(i));
      }
    }
    ResourceLogs.Builder rl = ResourceLogs.newBuilder().setResource(in.resource());
    byLogger.values().forEach(rl::addScopeLogs);
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(rl).build();
  }

  private static LogRecord.Builder log(long time, SeverityNumber severity, String text, String body, byte[] traceId,
      byte[] spanId, String thread) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(time)
        .setObservedTimeUnixNano(time + 20_000)
        .setSeverityNumber(severity)
        .setSeverityText(text)
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .addAttributes(str("thread.name", thread))
        .setFlags(1)
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId));
  }

  // ---------------------------------------------------------------- metrics

  /**
   * {@code points} metric data points: the agent's periodic JVM and HTTP server export of as many
   * instances as needed (one resource each), the last one cut short so the count is exact.
   */
  ExportMetricsServiceRequest metrics(int points) {
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    int[] budget = {points};
    while (budget[0] > 0) {
      Instance in = nextInstance();
      long now = baseNanos + sequence * 60_000_000_000L;
      long uptime = now - in.startNanos();
      ScopeMetrics.Builder jvm = ScopeMetrics.newBuilder().setScope(scope("io.opentelemetry.runtime-telemetry-java8",
          AGENT_VERSION + "-alpha"));
      MetricBudget b = new MetricBudget(budget, in.startNanos(), now);
      String[][] pools = {
          {"heap", "G1 Eden Space"}, {"heap", "G1 Old Gen"}, {"heap", "G1 Survivor Space"},
          {"non_heap", "Metaspace"}, {"non_heap", "CodeHeap 'non-nmethods'"}, {"non_heap", "CodeHeap 'profiled nmethods'"},
          {"non_heap", "CodeHeap 'non-profiled nmethods'"}, {"non_heap", "Compressed Class Space"}};
      for (String metric : new String[] {"jvm.memory.used", "jvm.memory.committed"}) {
        Sum.Builder sum = upDown();
        for (String[] p : pools) {
          b.add(sum, NumberDataPoint.newBuilder().setAsInt(1_000_000 + random.nextInt(200_000_000))
              .addAttributes(str("jvm.memory.type", p[0])).addAttributes(str("jvm.memory.pool.name", p[1])));
        }
        b.emit(jvm, Metric.newBuilder().setName(metric).setUnit("By")
            .setDescription("Measure of memory " + metric.substring(11)).setSum(sum));
      }
      Sum.Builder limit = upDown();
      for (String[] p : pools) {
        if (!p[1].equals("Metaspace")) {
          b.add(limit, NumberDataPoint.newBuilder().setAsInt(268_435_456)
              .addAttributes(str("jvm.memory.type", p[0])).addAttributes(str("jvm.memory.pool.name", p[1])));
        }
      }
      b.emit(jvm, Metric.newBuilder().setName("jvm.memory.limit").setUnit("By").setSum(limit));
      Histogram.Builder gc = Histogram.newBuilder()
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      b.add(gc, histogramPoint(GC_BOUNDS, uptime / 10_000_000_000L + 1, 0.004)
          .addAttributes(str("jvm.gc.name", "G1 Young Generation")).addAttributes(str("jvm.gc.action", "end of minor GC")));
      b.emit(jvm, Metric.newBuilder().setName("jvm.gc.duration").setUnit("s")
          .setDescription("Duration of JVM garbage collection actions.").setHistogram(gc));
      Sum.Builder threads = upDown();
      for (boolean daemon : new boolean[] {true, false}) {
        for (String state : new String[] {"runnable", "waiting", "timed_waiting"}) {
          b.add(threads, NumberDataPoint.newBuilder().setAsInt(1 + random.nextInt(12))
              .addAttributes(bool("jvm.thread.daemon", daemon)).addAttributes(str("jvm.thread.state", state)));
        }
      }
      b.emit(jvm, Metric.newBuilder().setName("jvm.thread.count").setUnit("{thread}").setSum(threads));
      b.emit(jvm, Metric.newBuilder().setName("jvm.class.loaded").setUnit("{class}").setSum(b.add(counter(),
          NumberDataPoint.newBuilder().setAsInt(14_000 + random.nextInt(500)))));
      b.emit(jvm, Metric.newBuilder().setName("jvm.class.count").setUnit("{class}").setSum(b.add(upDown(),
          NumberDataPoint.newBuilder().setAsInt(13_900 + random.nextInt(500)))));
      b.emit(jvm, Metric.newBuilder().setName("jvm.cpu.time").setUnit("s").setSum(b.add(counter(),
          NumberDataPoint.newBuilder().setAsDouble(uptime / 1e9 * 0.02))));
      b.emit(jvm, Metric.newBuilder().setName("jvm.cpu.count").setUnit("{cpu}").setSum(b.add(upDown(),
          NumberDataPoint.newBuilder().setAsInt(2))));
      Gauge.Builder util = Gauge.newBuilder();
      b.add(util, NumberDataPoint.newBuilder().setAsDouble(random.nextDouble() * 0.1));
      b.emit(jvm, Metric.newBuilder().setName("jvm.cpu.recent_utilization").setUnit("1").setGauge(util));

      ScopeMetrics.Builder http = ScopeMetrics.newBuilder().setScope(TOMCAT);
      Histogram.Builder duration = Histogram.newBuilder()
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      long requests = uptime / 10_000_000_000L + 1;
      for (int status : new int[] {200, 500}) {
        b.add(duration, histogramPoint(HTTP_BOUNDS, status == 200 ? requests : requests / ERROR_ONE_IN + 1, 0.003)
            .addAttributes(str("http.request.method", "GET")).addAttributes(str("http.route", "/rolldice"))
            .addAttributes(integer("http.response.status_code", status)).addAttributes(str("url.scheme", "http"))
            .addAttributes(str("network.protocol.name", "http")).addAttributes(str("network.protocol.version", "1.1")));
      }
      b.emit(http, Metric.newBuilder().setName("http.server.request.duration").setUnit("s")
          .setDescription("Duration of HTTP server requests.").setHistogram(duration));

      ResourceMetrics.Builder rm = ResourceMetrics.newBuilder().setResource(in.resource());
      if (jvm.getMetricsCount() > 0) {
        rm.addScopeMetrics(jvm);
      }
      if (http.getMetricsCount() > 0) {
        rm.addScopeMetrics(http);
      }
      req.addResourceMetrics(rm);
    }
    return req.build();
  }

  /** Adds data points while the request's budget lasts; metrics left without points are not emitted. */
  private static final class MetricBudget {
    private final int[] remaining;
    private final long start;
    private final long now;

    MetricBudget(int[] remaining, long start, long now) {
      this.remaining = remaining;
      this.start = start;
      this.now = now;
    }

    Sum.Builder add(Sum.Builder sum, NumberDataPoint.Builder p) {
      if (remaining[0] > 0) {
        remaining[0]--;
        sum.addDataPoints(p.setStartTimeUnixNano(start).setTimeUnixNano(now));
      }
      return sum;
    }

    void add(Gauge.Builder gauge, NumberDataPoint.Builder p) {
      if (remaining[0] > 0) {
        remaining[0]--;
        gauge.addDataPoints(p.setTimeUnixNano(now));
      }
    }

    void add(Histogram.Builder h, HistogramDataPoint.Builder p) {
      if (remaining[0] > 0) {
        remaining[0]--;
        h.addDataPoints(p.setStartTimeUnixNano(start).setTimeUnixNano(now));
      }
    }

    void emit(ScopeMetrics.Builder scope, Metric.Builder m) {
      int n = switch (m.getDataCase()) {
        case SUM -> m.getSum().getDataPointsCount();
        case GAUGE -> m.getGauge().getDataPointsCount();
        case HISTOGRAM -> m.getHistogram().getDataPointsCount();
        default -> 0;
      };
      if (n > 0) {
        scope.addMetrics(m);
      }
    }
  }

  private HistogramDataPoint.Builder histogramPoint(double[] bounds, long count, double typical) {
    HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setCount(count);
    long[] buckets = new long[bounds.length + 1];
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (long i = 0; i < Math.min(count, 64); i++) {
      double v = typical * (0.2 + random.nextDouble() * 3);
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      int b = 0;
      while (b < bounds.length && v > bounds[b]) {
        b++;
      }
      buckets[b]++;
    }
    // Scale the sampled shape up to the full count; the remainder goes to the first bucket.
    long scaled = 0;
    double factor = count / (double) Math.min(count, 64);
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = (long) (buckets[i] * factor);
      scaled += buckets[i];
    }
    buckets[0] += count - scaled;
    for (double bound : bounds) {
      p.addExplicitBounds(bound);
    }
    for (long c : buckets) {
      p.addBucketCounts(c);
    }
    return p.setSum(sum * factor).setMin(min).setMax(max);
  }

  private static Sum.Builder upDown() {
    return Sum.newBuilder().setIsMonotonic(false)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  }

  private static Sum.Builder counter() {
    return Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  }
}
