package dev.kansoku.aws.xray;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP spans to AWS X-Ray segment documents (JSON), as ADOT's {@code awsxray} exporter makes them.
 *
 * <p>A span becomes one document, or two for a local-root span that calls out (see
 * {@link SpansToSegments}). A span that X-Ray cannot take (a trace id that is not X-Ray's while
 * timestamp validation is on, a NaN attribute) is skipped with a debug log, as the collector does.
 * Thread-safe: nothing is shared between calls but the options.
 */
public final class XraySegments {
  private static final Logger log = LoggerFactory.getLogger(XraySegments.class);

  private XraySegments() {}

  /** A segment document and what the sender needs to know about it without parsing it. */
  record Document(String segmentId, String traceId, String json) {}

  /** The documents for every span of {@code request}, in span order. */
  public static List<String> translate(ExportTraceServiceRequest request, XrayOptions options) {
    requireNonNull(request, "request");
    requireNonNull(options, "options");
    List<Document> docs = documents(request, options);
    List<String> out = new ArrayList<>(docs.size());
    for (Document d : docs) {
      out.add(d.json());
    }
    return out;
  }

  static List<Document> documents(ExportTraceServiceRequest request, XrayOptions options) {
    List<Document> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, AnyValue> resource = Attrs.of(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          try {
            for (Segment s : SpansToSegments.segments(span, resource, options)) {
              out.add(new Document(s.id == null ? "" : s.id, s.traceId, SegmentJson.write(s)));
            }
          } catch (SpansToSegments.TranslationException | IllegalArgumentException e) {
            log.debug("Error translating span {}: {}", span.getName(), e.getMessage());
          }
        }
      }
    }
    return out;
  }

  /** The documents for one span of a resource; for tests and the golden cases. */
  static List<String> translate(Span span, Map<String, AnyValue> resource, XrayOptions options)
      throws SpansToSegments.TranslationException {
    List<String> out = new ArrayList<>(2);
    for (Segment s : SpansToSegments.segments(span, resource, options)) {
      out.add(SegmentJson.write(s));
    }
    return out;
  }
}
