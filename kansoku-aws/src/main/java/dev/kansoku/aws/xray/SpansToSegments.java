package dev.kansoku.aws.xray;

import static dev.kansoku.aws.xray.Attrs.str;
import static dev.kansoku.aws.xray.Segment.nonEmpty;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * One span (with its resource) to one or two X-Ray segments, following the collector's
 * {@code awsxrayexporter/internal/translator}: the blocks are filled in its order because each
 * consumes attributes, and what is left becomes annotations or metadata.
 *
 * <p>Stateless; {@link XrayOptions} carries configuration, the id source and the clock.
 */
final class SpansToSegments {
  /** Allowed in segment names: letters, digits, space and _ . : / % &amp; # = + \ - @ (X-Ray docs). */
  private static final Pattern INVALID_NAME_CHARS = Pattern.compile("[^ 0-9\\p{L}N_.:/%&#=+\\-@]");
  private static final int MAX_NAME_BYTES = 200;
  private static final String DEFAULT_NAME = "span";
  private static final String LOCAL_ROOT = "LOCAL_ROOT";
  private static final String IN_PROGRESS = "aws.xray.inprogress";
  /** Attributes about the remote side, removed from the service segment of a local-root client span. */
  private static final List<String> REMOTE_ONLY = List.of("aws.remote.service", "aws.remote.operation",
      "remoteTarget", "K8s.RemoteNamespace");
  private static final long MAX_AGE_SECONDS = 60L * 60 * 24 * 28;
  private static final long MAX_SKEW_SECONDS = 60L * 5;
  private static final HexFormat HEX = HexFormat.of();

  private SpansToSegments() {}

  /** The span cannot be sent to X-Ray (its trace id is not X-Ray's, or a number is NaN). */
  static final class TranslationException extends Exception {
    TranslationException(String message) {
      super(message);
    }
  }

  /**
   * The segments for {@code span}: one, or for a local-root span calling out (aws.span.kind =
   * LOCAL_ROOT, kind CLIENT/PRODUCER/CONSUMER) a subsegment for the call and a segment for the
   * service, in that order.
   */
  static List<Segment> segments(Span span, Map<String, AnyValue> resource, XrayOptions o)
      throws TranslationException {
    Map<String, AnyValue> attributes = Attrs.of(span.getAttributesList());
    if (!str(attributes.get("aws.span.kind")).equals(LOCAL_ROOT)) {
      Segment s = segment(span, attributes, resource, o);
      Span.SpanKind kind = span.getKind();
      if ((kind == Span.SpanKind.SPAN_KIND_CLIENT || kind == Span.SpanKind.SPAN_KIND_CONSUMER
          || kind == Span.SpanKind.SPAN_KIND_PRODUCER) && s.type != null && s.namespace == null
          && attributes.containsKey("aws.remote.service")) {
        s.namespace = "remote";
      }
      return List.of(s);
    }
    if (span.getKind() == Span.SpanKind.SPAN_KIND_SERVER || span.getKind() == Span.SpanKind.SPAN_KIND_INTERNAL) {
      Segment s = segment(span, attributes, resource, o);
      s.type = null;
      s.namespace = null;
      return List.of(s);
    }
    // A local root that calls out: the service gets a segment of its own, with a new id, as parent
    // of a subsegment for the call.
    ByteString serviceId = ByteString.fromHex(o.ids.get());
    boolean consumer = span.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER;

    Span dependencySpan = span.toBuilder().setParentSpanId(serviceId).build();
    Segment dependency = segment(dependencySpan, attributes, resource, o);
    dependency.type = "subsegment";
    if (dependency.namespace == null) {
      dependency.namespace = "remote";
    }
    if (consumer) {
      dependency.links = null;
    }
    AnyValue remoteService = attributes.get("aws.remote.service");
    if (remoteService != null) {
      dependency.name = nonEmpty(trimAwsSdkPrefix(str(remoteService), attributes));
    }

    Map<String, AnyValue> serviceAttributes = new LinkedHashMap<>(attributes);
    REMOTE_ONLY.forEach(serviceAttributes::remove);
    Span serviceSpan = span.toBuilder().setSpanId(serviceId).build();
    Segment service = segment(serviceSpan, serviceAttributes, resource, o);
    // Named after the local service, else the resource's service, as a server span is.
    AnyValue localService = attributes.get("aws.local.service");
    if (localService != null) {
      service.name = nonEmpty(str(localService));
    } else if (resource.containsKey("service.name")) {
      service.name = nonEmpty(str(resource.get("service.name")));
    }
    service.http = null;
    if (service.aws != null) {
      service.aws.operation = null;
      service.aws.accountId = null;
      service.aws.region = null;
      service.aws.requestId = null;
      service.aws.queueUrl = null;
      service.aws.tableName = null;
      service.aws.tableNames = null;
    }
    if (service.metadata != null) {
      // Only resource metadata describes the service; namespaces emptied this way stay, as in the collector.
      for (Map<String, Object> ns : service.metadata.values()) {
        if (ns != null) {
          ns.keySet().removeIf(k -> !k.startsWith("otel.resource."));
        }
      }
    }
    service.type = null;
    service.namespace = null;
    if (!consumer) {
      service.links = null;
    }
    return List.of(dependency, service);
  }

  static boolean isAwsSdkSpan(Map<String, AnyValue> attributes) {
    return str(attributes.get("rpc.system")).equals("aws-api");
  }

  /** The collector's {@code MakeSegment}. */
  static Segment segment(Span span, Map<String, AnyValue> spanAttributes, Map<String, AnyValue> resource,
      XrayOptions o) throws TranslationException {
    Span.SpanKind kind = span.getKind();
    boolean storeResource = true;
    String type = null;
    // Server and consumer spans start the work of a service (a consumer's parent is the producer in
    // another service), so they become segments; other spans with a parent are subsegments.
    if (kind != Span.SpanKind.SPAN_KIND_SERVER && kind != Span.SpanKind.SPAN_KIND_CONSUMER
        && !isEmptyId(span.getParentSpanId())) {
      type = "subsegment";
      // Resource attributes are stored on segments (the local root) only.
      storeResource = false;
    }
    Segment s = new Segment();
    s.traceId = traceId(span.getTraceId(), o);
    s.startTime = seconds(span.getStartTimeUnixNano());
    s.endTime = seconds(span.getEndTimeUnixNano());
    // What the awsxray receiver read from an open (sub)segment goes out open again, without end_time.
    // A boolean flag is consumed, so no block and no metadata sees it; other types are kept as data.
    AnyValue inProgress = spanAttributes.get(IN_PROGRESS);
    Map<String, AnyValue> attributes = spanAttributes;
    if (inProgress != null && inProgress.getValueCase() == AnyValue.ValueCase.BOOL_VALUE) {
      attributes = new LinkedHashMap<>(spanAttributes);
      attributes.remove(IN_PROGRESS);
      s.inProgress = inProgress.getBoolValue();
    }

    HttpBlock.Result http = HttpBlock.make(span, attributes);
    CauseBlock.Result cause = CauseBlock.make(span, attributes, http.filtered(), resource, o.ids);
    AwsBlock.Result aws = AwsBlock.make(cause.filtered(), resource, o.logGroupNames);
    SqlBlock.Result sql = SqlBlock.make(span, aws.filtered());
    Map<String, AnyValue> remaining = sql.filtered();
    for (String name : o.indexedAttributes) {
      // Attributes consumed by a block can still be indexed when asked for by name.
      AnyValue original = attributes.get(name);
      if (!remaining.containsKey(name) && original != null) {
        if (remaining == attributes) {
          remaining = new LinkedHashMap<>(attributes);
        }
        remaining.put(name, original);
      }
    }
    XrayAttributes.apply(s, remaining == attributes ? new LinkedHashMap<>(attributes) : remaining, resource,
        storeResource, o);
    s.links = links(span, o);

    s.name = name(span, attributes);
    String namespace = "";
    if (isAwsSdkSpan(attributes)) {
      namespace = "aws";
    }
    if (s.name.isEmpty() && attributes.containsKey("aws.service")) {
      s.name = str(attributes.get("aws.service"));
      namespace = "aws";
    }
    if (s.name.isEmpty()) {
      s.name = fallbackName(span, attributes, resource);
    }
    // A producer sends to a downstream service as a client calls one: X-Ray infers that node from "remote".
    if (namespace.isEmpty() && (kind == Span.SpanKind.SPAN_KIND_CLIENT || kind == Span.SpanKind.SPAN_KIND_PRODUCER)) {
      namespace = "remote";
    }

    s.id = isEmptyId(span.getSpanId()) ? null : HEX.formatHex(span.getSpanId().toByteArray());
    s.parentId = isEmptyId(span.getParentSpanId()) ? null : HEX.formatHex(span.getParentSpanId().toByteArray());
    s.fault = cause.fault();
    s.error = cause.error();
    s.throttle = cause.throttle();
    s.cause = cause.cause();
    s.origin = nonEmpty(origin(resource));
    s.namespace = nonEmpty(namespace);
    s.http = http.http();
    s.aws = aws.aws();
    s.service = service(resource);
    s.sql = sql.sql();
    s.type = type;
    return s;
  }

  /** Names chosen before aws.service: X-Ray's own attributes, then peer.service. */
  private static String name(Span span, Map<String, AnyValue> attributes) {
    Span.SpanKind kind = span.getKind();
    String name = "";
    if (kind == Span.SpanKind.SPAN_KIND_SERVER && attributes.containsKey("aws.local.service")) {
      name = str(attributes.get("aws.local.service"));
    }
    if (kind == Span.SpanKind.SPAN_KIND_INTERNAL && str(attributes.get("aws.span.kind")).equals(LOCAL_ROOT)
        && attributes.containsKey("aws.local.service")) {
      name = str(attributes.get("aws.local.service"));
    }
    if ((kind == Span.SpanKind.SPAN_KIND_CLIENT || kind == Span.SpanKind.SPAN_KIND_PRODUCER
        || kind == Span.SpanKind.SPAN_KIND_CONSUMER) && attributes.containsKey("aws.remote.service")) {
      name = trimAwsSdkPrefix(str(attributes.get("aws.remote.service")), attributes);
    }
    if (name.isEmpty() && attributes.containsKey("peer.service")) {
      name = str(attributes.get("peer.service"));
    }
    return name;
  }

  /** Names after aws.service: database, service (server spans only), RPC service, host; else the span name. */
  private static String fallbackName(Span span, Map<String, AnyValue> attributes, Map<String, AnyValue> resource) {
    String name = "";
    AnyValue db = attributes.get("db.name");
    if (db != null) {
      // <db name>@<db host>
      name = str(db);
      AnyValue url = attributes.get("db.connection_string");
      if (url != null) {
        String host = UrlHosts.hostname(trimPrefix(str(url), "jdbc:"));
        if (!host.isEmpty()) {
          name += "@" + host;
        }
      }
    }
    if (name.isEmpty() && span.getKind() == Span.SpanKind.SPAN_KIND_SERVER && resource.containsKey("service.name")) {
      name = str(resource.get("service.name"));
    }
    if (name.isEmpty() && attributes.containsKey("rpc.service")) {
      name = str(attributes.get("rpc.service"));
    }
    if (name.isEmpty() && attributes.containsKey("http.host")) {
      name = str(attributes.get("http.host"));
    }
    if (name.isEmpty() && attributes.containsKey("net.peer.name")) {
      name = str(attributes.get("net.peer.name"));
    }
    if (name.isEmpty()) {
      name = fixSegmentName(span.getName());
    }
    return name;
  }

  private static String trimPrefix(String s, String prefix) {
    return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }

  static String trimAwsSdkPrefix(String name, Map<String, AnyValue> attributes) {
    if (isAwsSdkSpan(attributes)) {
      if (name.startsWith("AWS.SDK.")) {
        return name.substring("AWS.SDK.".length());
      }
      if (name.startsWith("AWS::")) {
        return name.substring("AWS::".length());
      }
    }
    return name;
  }

  /** Removes characters X-Ray does not allow; at most 200 bytes; "span" when nothing is left. */
  static String fixSegmentName(String name) {
    String fixed = INVALID_NAME_CHARS.matcher(name).replaceAll("");
    byte[] utf8 = fixed.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_NAME_BYTES) {
      // The collector cuts bytes, and its JSON encoder writes each byte of a cut character as U+FFFD.
      int whole = MAX_NAME_BYTES;
      while (whole > 0 && (utf8[whole] & 0xC0) == 0x80) {
        whole--;
      }
      return new String(utf8, 0, whole, StandardCharsets.UTF_8) + "\uFFFD".repeat(MAX_NAME_BYTES - whole);
    }
    return fixed.isEmpty() ? DEFAULT_NAME : fixed;
  }

  /** X-Ray's origin from the resource's cloud platform (and ECS launch type). */
  static String origin(Map<String, AnyValue> resource) {
    if (resource.isEmpty()) {
      return "";
    }
    AnyValue provider = resource.get("cloud.provider");
    if (provider != null && !str(provider).equals("aws")) {
      return "";
    }
    AnyValue platform = resource.get("cloud.platform");
    if (platform == null) {
      return "";
    }
    switch (str(platform)) {
      case "aws_app_runner":
        return "AWS::AppRunner::Service";
      case "aws_eks":
        return "AWS::EKS::Container";
      case "aws_elastic_beanstalk":
        return "AWS::ElasticBeanstalk::Environment";
      case "aws_ecs": {
        AnyValue launchType = resource.get("aws.ecs.launchtype");
        if (launchType == null) {
          return "AWS::ECS::Container";
        }
        switch (str(launchType)) {
          case "ec2":
            return "AWS::ECS::EC2";
          case "fargate":
            return "AWS::ECS::Fargate";
          default:
            return "AWS::ECS::Container";
        }
      }
      case "aws_ec2":
        return "AWS::EC2::Instance";
      default:
        return "";
    }
  }

  /** The version: service.version, else the first of container.image.tags, else container.image.tag. */
  @Nullable
  private static Segment.Service service(Map<String, AnyValue> resource) {
    AnyValue version = resource.get("service.version");
    if (version == null) {
      AnyValue tags = resource.get("container.image.tags");
      if (tags != null && tags.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE
          && tags.getArrayValue().getValuesCount() > 0) {
        version = tags.getArrayValue().getValues(0);
      } else {
        version = resource.get("container.image.tag");
      }
    }
    return version == null ? null : new Segment.Service(nonEmpty(str(version)));
  }

  /** Unix nanoseconds (unsigned, as OTLP's fixed64) to float seconds, as Go converts a uint64. */
  static double seconds(long unixNanos) {
    double nanos = unixNanos >= 0 ? unixNanos : ((unixNanos >>> 1) | (unixNanos & 1)) * 2.0;
    return nanos / 1e9;
  }

  /**
   * {@code 1-<8 hex>-<24 hex>} from a 16-byte trace id. X-Ray's ids start with the epoch second;
   * unless validation is skipped, an id whose first 4 bytes are not a second of the last 28 days
   * (or up to 5 minutes ahead) is refused.
   */
  static String traceId(ByteString id, XrayOptions o) throws TranslationException {
    byte[] b = new byte[16];
    id.copyTo(b, 0, 0, Math.min(16, id.size()));
    String hex = HEX.formatHex(b);
    if (!o.skipTimestampValidation) {
      long epoch = Long.parseLong(hex.substring(0, 8), 16);
      long delta = o.epochSeconds.getAsLong() - epoch;
      if (delta > MAX_AGE_SECONDS || delta < -MAX_SKEW_SECONDS) {
        throw new TranslationException("invalid xray traceid: " + hex);
      }
    }
    return "1-" + hex.substring(0, 8) + "-" + hex.substring(8);
  }

  @Nullable
  private static List<Segment.Link> links(Span span, XrayOptions o) throws TranslationException {
    if (span.getLinksCount() == 0) {
      return null;
    }
    List<Segment.Link> links = new ArrayList<>(span.getLinksCount());
    for (Span.Link link : span.getLinksList()) {
      Map<String, Object> attributes = null;
      if (link.getAttributesCount() > 0) {
        attributes = new TreeMap<>();
        for (Map.Entry<String, AnyValue> e : Attrs.of(link.getAttributesList()).entrySet()) {
          attributes.put(e.getKey(), Attrs.raw(e.getValue()));
        }
      }
      String spanId = isEmptyId(link.getSpanId()) ? "" : HEX.formatHex(link.getSpanId().toByteArray());
      links.add(new Segment.Link(traceId(link.getTraceId(), o), spanId, attributes));
    }
    return links;
  }

  private static boolean isEmptyId(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
