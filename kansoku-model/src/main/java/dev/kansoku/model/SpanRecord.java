package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * One span as Kansoku stores it: OTLP's span plus its resource's service name, with the HTTP facts
 * the APIs filter on pulled out of the attributes once, on the way in (old {@code http.*} and new
 * {@code http.request.*}/{@code url.*} semantic conventions alike).
 *
 * <p>Immutable and thread-safe. Times are Unix epoch nanoseconds. {@code httpStatus} is 0 when the
 * span has none; {@code httpMethod}, {@code httpUrl}, {@code httpRoute} and {@code parentSpanId}
 * are null when absent. Attribute maps hold only String/Long/Double/Boolean ({@link Attributes}).
 */
public record SpanRecord(
    TraceId traceId,
    SpanId spanId,
    @Nullable SpanId parentSpanId,
    String serviceName,
    String name,
    SpanKind kind,
    long startNanos,
    long endNanos,
    StatusCode statusCode,
    String statusMessage,
    @Nullable String httpMethod,
    int httpStatus,
    @Nullable String httpUrl,
    @Nullable String httpRoute,
    Map<String, Object> attributes,
    Map<String, Object> resourceAttributes,
    List<SpanEvent> events,
    List<SpanLink> links,
    String scopeName,
    String scopeVersion) {

  public SpanRecord {
    requireNonNull(traceId, "traceId");
    requireNonNull(spanId, "spanId");
    requireNonNull(serviceName, "serviceName");
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(statusCode, "statusCode");
    statusMessage = statusMessage == null ? "" : statusMessage;
    scopeName = scopeName == null ? "" : scopeName;
    scopeVersion = scopeVersion == null ? "" : scopeVersion;
    if (serviceName.isEmpty()) {
      throw new IllegalArgumentException("serviceName: empty (expected: the resource's service.name)");
    }
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("endNanos < startNanos: " + endNanos + " < " + startNanos + " (span " + spanId + ")");
    }
    if (spanId.equals(parentSpanId)) {
      throw new IllegalArgumentException("parentSpanId: " + parentSpanId + " is the span's own id");
    }
    if (httpStatus < 0 || httpStatus > 999) {
      throw new IllegalArgumentException("httpStatus: " + httpStatus + " (expected: 0 for none, or 100..999)");
    }
    attributes = Attributes.copyOf(attributes == null ? Map.of() : attributes);
    resourceAttributes = Attributes.copyOf(resourceAttributes == null ? Map.of() : resourceAttributes);
    events = events == null ? List.of() : List.copyOf(events);
    links = links == null ? List.of() : List.copyOf(links);
    if (httpMethod == null) {
      httpMethod = first(attributes, "http.request.method", "http.method");
    }
    if (httpStatus == 0) {
      Long code = Attributes.integer(attributes, "http.response.status_code");
      if (code == null) {
        code = Attributes.integer(attributes, "http.status_code");
      }
      httpStatus = code != null && code >= 100 && code <= 999 ? code.intValue() : 0;
    }
    if (httpUrl == null) {
      httpUrl = url(attributes);
    }
    if (httpRoute == null) {
      httpRoute = Attributes.string(attributes, "http.route");
    }
  }

  @Nullable
  private static String first(Map<String, Object> attributes, String... keys) {
    for (String k : keys) {
      String v = Attributes.string(attributes, k);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  @Nullable
  private static String url(Map<String, Object> a) {
    String full = first(a, "url.full", "http.url");
    if (full != null) {
      return full;
    }
    String path = first(a, "url.path", "http.target");
    if (path == null) {
      return null;
    }
    String host = first(a, "server.address", "http.host", "net.host.name");
    if (host == null) {
      return path;
    }
    String scheme = first(a, "url.scheme", "http.scheme");
    Long port = Attributes.integer(a, "server.port");
    return (scheme == null ? "http" : scheme) + "://" + host + (port == null ? "" : ":" + port) + path;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  public boolean isRoot() {
    return parentSpanId == null;
  }

  /**
   * X-Ray's "error" (client error): an HTTP 4xx response, whatever the span status says. Derived as
   * ADOT's awsxray exporter does, so GetTraceSummaries' {@code error} filter finds the same traces.
   */
  public boolean isError() {
    return httpStatus >= 400 && httpStatus <= 499;
  }

  /** X-Ray's "throttle": HTTP 429 (which is also an error). */
  public boolean isThrottle() {
    return httpStatus == 429;
  }

  /** X-Ray's "fault" (server error): an HTTP 5xx, or status ERROR without a 4xx explaining it. */
  public boolean isFault() {
    if (httpStatus >= 500 && httpStatus <= 599) {
      return true;
    }
    return statusCode == StatusCode.ERROR && !isError();
  }

  /** Neither error, fault nor throttle. */
  public boolean isOk() {
    return !isError() && !isFault();
  }

  /** A span attribute, else the resource attribute of that key, else null. */
  @Nullable
  public Object attribute(String key) {
    Object v = attributes.get(key);
    return v != null ? v : resourceAttributes.get(key);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.traceId = traceId;
    b.spanId = spanId;
    b.parentSpanId = parentSpanId;
    b.serviceName = serviceName;
    b.name = name;
    b.kind = kind;
    b.startNanos = startNanos;
    b.endNanos = endNanos;
    b.statusCode = statusCode;
    b.statusMessage = statusMessage;
    b.httpMethod = httpMethod;
    b.httpStatus = httpStatus;
    b.httpUrl = httpUrl;
    b.httpRoute = httpRoute;
    b.attributes = attributes;
    b.resourceAttributes = resourceAttributes;
    b.events.addAll(events);
    b.links.addAll(links);
    b.scopeName = scopeName;
    b.scopeVersion = scopeVersion;
    return b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Not thread-safe; HTTP fields left unset are derived from the attributes by the record. */
  public static final class Builder {
    private TraceId traceId;
    private SpanId spanId;
    private SpanId parentSpanId;
    private String serviceName;
    private String name;
    private SpanKind kind = SpanKind.INTERNAL;
    private long startNanos;
    private long endNanos;
    private StatusCode statusCode = StatusCode.UNSET;
    private String statusMessage = "";
    private String httpMethod;
    private int httpStatus;
    private String httpUrl;
    private String httpRoute;
    private Map<String, Object> attributes = Map.of();
    private Map<String, Object> resourceAttributes = Map.of();
    private final List<SpanEvent> events = new ArrayList<>();
    private final List<SpanLink> links = new ArrayList<>();
    private String scopeName = "";
    private String scopeVersion = "";

    private Builder() {}

    public Builder traceId(TraceId v) { traceId = v; return this; }
    public Builder spanId(SpanId v) { spanId = v; return this; }
    public Builder parentSpanId(@Nullable SpanId v) { parentSpanId = v; return this; }
    public Builder serviceName(String v) { serviceName = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder kind(SpanKind v) { kind = v; return this; }
    public Builder startNanos(long v) { startNanos = v; return this; }
    public Builder endNanos(long v) { endNanos = v; return this; }
    public Builder status(StatusCode code, String message) { statusCode = code; statusMessage = message; return this; }
    public Builder httpMethod(String v) { httpMethod = v; return this; }
    public Builder httpStatus(int v) { httpStatus = v; return this; }
    public Builder httpUrl(String v) { httpUrl = v; return this; }
    public Builder httpRoute(String v) { httpRoute = v; return this; }
    public Builder attributes(Map<String, ?> v) { attributes = Attributes.copyOf(v); return this; }
    public Builder resourceAttributes(Map<String, ?> v) { resourceAttributes = Attributes.copyOf(v); return this; }
    public Builder addEvent(SpanEvent v) { events.add(requireNonNull(v, "event")); return this; }
    public Builder addLink(SpanLink v) { links.add(requireNonNull(v, "link")); return this; }
    public Builder scope(String scopeName, String scopeVersion) { this.scopeName = scopeName; this.scopeVersion = scopeVersion; return this; }

    public SpanRecord build() {
      return new SpanRecord(traceId, spanId, parentSpanId, serviceName, name, kind, startNanos, endNanos, statusCode,
          statusMessage, httpMethod, httpStatus, httpUrl, httpRoute, attributes, resourceAttributes, events, links,
          scopeName, scopeVersion);
    }
  }
}
