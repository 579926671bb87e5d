package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.aws.xray.XrayOptions;
import dev.kansoku.aws.xray.XraySegments;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.ServiceGraph;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * X-Ray's response shapes, member for member as the service model names them. Times and durations
 * are epoch seconds / seconds as JSON doubles, which is what the SDKs and the OTel sampler parse.
 */
final class XrayJson {
  private static final Comparator<JsonNode> BY_START = Comparator.comparingDouble(n -> n.path("start_time").asDouble());

  private XrayJson() {}

  // --- TraceSummary -----------------------------------------------------------------------------

  static ObjectNode summary(TraceSummary s, @Nullable Trace trace) {
    ObjectNode o = XrayApi.MAPPER.createObjectNode()
        .put("Id", s.traceId().xray())
        .put("StartTime", s.startNanos() / 1e9)
        .put("Duration", s.durationNanos() / 1e9)
        .put("ResponseTime", s.responseTimeNanos() / 1e9)
        .put("HasFault", s.fault())
        .put("HasError", s.error())
        .put("HasThrottle", s.throttle())
        .put("IsPartial", false)
        .put("Revision", 1);
    ObjectNode http = o.putObject("Http");
    putIfSet(http, "HttpURL", s.httpUrl());
    if (s.httpStatus() != 0) {
      http.put("HttpStatus", s.httpStatus());
    }
    putIfSet(http, "HttpMethod", s.httpMethod());
    if (trace == null) {
      return o; // evicted between search and read: the summary's own facts are still right
    }
    SpanRecord root = trace.root();
    putIfSet(http, "UserAgent", text(root, "http.user_agent", "user_agent.original"));
    putIfSet(http, "ClientIp", text(root, "http.client_ip", "client.address"));

    Map<String, ObjectNode> services = new LinkedHashMap<>();
    Map<String, Map<String, Set<String>>> annotations = new LinkedHashMap<>(); // key -> value JSON -> services
    Map<String, Object> annotationValues = new HashMap<>();
    Map<String, Set<String>> users = new LinkedHashMap<>();
    boolean partial = false;
    // Each span counts for its segment's service (Trace#services), not its own resource's name.
    Map<SpanId, String> serviceOf = trace.services();
    for (SpanRecord span : trace.spans()) {
      String service = serviceOf.get(span.spanId());
      if (service.equals(span.serviceName())) {
        // The segment's own resource describes the service (a subsegment's resource is its own).
        services.computeIfAbsent(service, n -> serviceId(span));
      }
      partial |= Boolean.TRUE.equals(span.attributes().get("aws.xray.inprogress"));
      for (String key : SpansToOtlp.annotationKeys(span)) {
        Object v = span.attributes().get(key);
        if (v != null) {
          String k = key + "\u0000" + v.getClass().getSimpleName() + "\u0000" + v;
          annotationValues.put(k, v);
          annotations.computeIfAbsent(key, x -> new LinkedHashMap<>())
              .computeIfAbsent(k, x -> new LinkedHashSet<>()).add(service);
        }
      }
      Object user = span.attribute("enduser.id");
      if (user != null) {
        users.computeIfAbsent(String.valueOf(user), x -> new LinkedHashSet<>()).add(service);
      }
    }
    o.put("IsPartial", partial);
    ObjectNode ann = o.putObject("Annotations");
    annotations.forEach((key, values) -> {
      ArrayNode list = ann.putArray(key);
      values.forEach((k, svcs) -> {
        ObjectNode entry = list.addObject();
        ObjectNode value = entry.putObject("AnnotationValue");
        Object v = annotationValues.get(k);
        if (v instanceof Boolean b) {
          value.put("BooleanValue", b);
        } else if (v instanceof Number n) {
          value.put("NumberValue", n.doubleValue());
        } else {
          value.put("StringValue", String.valueOf(v));
        }
        serviceIds(entry.putArray("ServiceIds"), svcs, services);
      });
    });
    ArrayNode userList = o.putArray("Users");
    users.forEach((name, svcs) -> serviceIds(userList.addObject().put("UserName", name).putArray("ServiceIds"),
        svcs, services));
    ArrayNode ids = o.putArray("ServiceIds");
    services.values().forEach(ids::add);
    o.set("EntryPoint", services.get(serviceOf.get(root.spanId())).deepCopy());
    return o;
  }

  private static ObjectNode serviceId(SpanRecord span) {
    ObjectNode id = XrayApi.MAPPER.createObjectNode().put("Name", span.serviceName());
    id.putArray("Names").add(span.serviceName());
    Object account = span.resourceAttributes().get("cloud.account.id");
    if (account != null) {
      id.put("AccountId", String.valueOf(account));
    }
    putIfSet(id, "Type", SegmentOrigin.of(span.resourceAttributes()));
    return id;
  }

  private static void serviceIds(ArrayNode out, Set<String> names, Map<String, ObjectNode> services) {
    names.forEach(n -> out.add(services.get(n).deepCopy()));
  }

  @Nullable
  private static String text(SpanRecord s, String... keys) {
    for (String k : keys) {
      Object v = s.attribute(k);
      if (v != null) {
        return String.valueOf(v);
      }
    }
    return null;
  }

  private static void putIfSet(ObjectNode o, String key, @Nullable String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  // --- BatchGetTraces ---------------------------------------------------------------------------

  /**
   * A trace as X-Ray answers BatchGetTraces: the documents ADOT's awsxray exporter would have sent for
   * its spans, compiled — one document per segment, every subsegment nested in its parent's
   * {@code subsegments} however it was sent, ordered by start time — with what X-Ray keeps and the
   * exporter's rules leave out put back: the {@code aws} block's call facts ({@link AwsFacts}), and a
   * Lambda function's origin ({@link SegmentOrigin}).
   */
  static ObjectNode trace(Trace t, String requestedId) {
    ObjectNode o = XrayApi.MAPPER.createObjectNode().put("Id", requestedId)
        .put("Duration", t.durationNanos() / 1e9).put("LimitExceeded", false);
    ArrayNode segments = o.putArray("Segments");
    Map<String, SpanRecord> spans = new HashMap<>();
    t.spans().forEach(s -> spans.put(s.spanId().hex(), s));
    List<ObjectNode> docs = compile(XraySegments.translate(SpansToOtlp.request(t.spans()), XrayOptions.DEFAULT));
    for (ObjectNode doc : docs) {
      SpanRecord span = spans.get(doc.path("id").asText());
      if (span != null && !doc.has("type") && !doc.has("origin") && SegmentOrigin.lambda(span.resourceAttributes())) {
        doc.put("origin", SegmentOrigin.LAMBDA_FUNCTION);
      }
      AwsFacts.restore(doc, spans);
    }
    for (ObjectNode doc : docs) {
      try {
        segments.addObject().put("Id", doc.path("id").asText("")).put("Document", XrayApi.MAPPER.writeValueAsString(doc));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return o;
  }

  /**
   * Nests each independent subsegment document in its parent (a segment, or a subsegment nested in
   * one) and drops the members only an independent document needs ({@code type}, {@code trace_id},
   * {@code parent_id}). A subsegment whose parent is not in the trace, or whose parents loop, stays a
   * document of its own, as sent.
   */
  static List<ObjectNode> compile(List<String> documents) {
    Map<String, ObjectNode> byId = new LinkedHashMap<>();
    for (String doc : documents) {
      try {
        ObjectNode n = (ObjectNode) XrayApi.MAPPER.readTree(doc);
        byId.putIfAbsent(n.path("id").asText(""), n);
      } catch (IOException | ClassCastException e) {
        throw new IllegalStateException("the segment translator wrote a document that is not a JSON object: " + doc, e);
      }
    }
    List<ObjectNode> top = new ArrayList<>();
    Map<ObjectNode, List<ObjectNode>> children = new LinkedHashMap<>();
    for (ObjectNode n : byId.values()) {
      ObjectNode parent = isSubsegment(n) && reachesSegment(n, byId) ? byId.get(n.path("parent_id").asText()) : null;
      if (parent == null) {
        top.add(n);
      } else {
        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(n);
      }
    }
    children.forEach((parent, kids) -> {
      ArrayNode nested = parent.has("subsegments") && parent.get("subsegments").isArray()
          ? (ArrayNode) parent.get("subsegments") : parent.putArray("subsegments");
      kids.sort(BY_START);
      for (ObjectNode kid : kids) {
        kid.remove(List.of("type", "trace_id", "parent_id"));
        nested.add(kid);
      }
    });
    top.sort(BY_START);
    return top;
  }

  private static boolean isSubsegment(JsonNode n) {
    return "subsegment".equals(n.path("type").asText()) && n.hasNonNull("parent_id");
  }

  /** Whether following parent_id from {@code n} through subsegments ends at a segment of the trace. */
  private static boolean reachesSegment(ObjectNode n, Map<String, ObjectNode> byId) {
    Set<String> seen = new HashSet<>();
    JsonNode at = n;
    while (isSubsegment(at)) {
      if (!seen.add(at.path("id").asText())) {
        return false;
      }
      at = byId.get(at.path("parent_id").asText());
      if (at == null) {
        return false;
      }
    }
    return true;
  }

  // --- GetServiceGraph / GetTraceGraph ----------------------------------------------------------

  static ObjectNode graph(ServiceGraph g) {
    Map<String, Integer> refs = new LinkedHashMap<>();
    Set<String> called = new LinkedHashSet<>();
    for (ServiceGraph.Node n : g.nodes()) {
      refs.put(n.name(), refs.size());
    }
    for (ServiceGraph.Edge e : g.edges()) {
      refs.putIfAbsent(e.from(), refs.size());
      refs.putIfAbsent(e.to(), refs.size());
      called.add(e.to());
    }
    double start = g.startNanos() / 1e9;
    double end = g.endNanos() == Long.MAX_VALUE ? System.currentTimeMillis() / 1000.0 : g.endNanos() / 1e9;
    ObjectNode out = XrayApi.MAPPER.createObjectNode();
    ArrayNode services = out.putArray("Services");
    for (ServiceGraph.Node n : g.nodes()) {
      ObjectNode s = services.addObject().put("ReferenceId", refs.get(n.name())).put("Name", n.name());
      s.putArray("Names").add(n.name());
      s.put("Root", !n.remote() && !called.contains(n.name()));
      // A service's type is its segments' origin; X-Ray's Type is optional, and none of its values
      // (an AWS type, client, remote) names a service that ran nowhere X-Ray knows, so it is left out.
      putIfSet(s, "Type", n.remote() ? n.type() : SegmentOrigin.of(n.resource()));
      s.put("State", n.remote() ? "unknown" : "active")
          .put("StartTime", start).put("EndTime", end);
      ArrayNode edges = s.putArray("Edges");
      for (ServiceGraph.Edge e : g.edges()) {
        if (e.from().equals(n.name())) {
          ObjectNode edge = edges.addObject().put("ReferenceId", refs.get(e.to())).put("StartTime", start)
              .put("EndTime", end);
          edge.set("SummaryStatistics", statistics(e.stats()));
          edge.set("ResponseTimeHistogram", histogram(e.stats()));
          edge.putArray("Aliases");
        }
      }
      s.set("SummaryStatistics", statistics(n.stats()));
      s.set("DurationHistogram", histogram(n.stats()));
      s.set("ResponseTimeHistogram", histogram(n.stats()));
    }
    return out;
  }

  private static ObjectNode statistics(ServiceGraph.RequestStats st) {
    long errors = st.errors();
    long faults = st.faults();
    ObjectNode o = XrayApi.MAPPER.createObjectNode().put("OkCount", Math.max(0, st.requests() - errors - faults));
    o.putObject("ErrorStatistics").put("ThrottleCount", st.throttles())
        .put("OtherCount", Math.max(0, errors - st.throttles())).put("TotalCount", errors);
    o.putObject("FaultStatistics").put("OtherCount", faults).put("TotalCount", faults);
    return o.put("TotalCount", st.requests()).put("TotalResponseTime", st.totalNanos() / 1e9);
  }

  /**
   * The store keeps a fixed-bucket histogram; each non-empty bucket is reported at its upper bound
   * (in seconds), the overflow bucket at twice the last bound, which is as close as the buckets know.
   */
  private static ArrayNode histogram(ServiceGraph.RequestStats st) {
    ArrayNode out = XrayApi.MAPPER.createArrayNode();
    List<Long> bounds = ServiceGraph.RequestStats.BUCKET_BOUNDS_MILLIS;
    List<Long> counts = new ArrayList<>(st.histogram());
    for (int i = 0; i < counts.size(); i++) {
      if (counts.get(i) > 0) {
        long ms = i < bounds.size() ? bounds.get(i) : 2 * bounds.get(bounds.size() - 1);
        out.addObject().put("Value", ms / 1000.0).put("Count", counts.get(i));
      }
    }
    return out;
  }
}
