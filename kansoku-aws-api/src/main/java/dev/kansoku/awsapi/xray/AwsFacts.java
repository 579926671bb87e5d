package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.model.SpanRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The call facts of a (sub)segment's {@code aws} block, put back into the documents BatchGetTraces
 * answers. The awsxray receiver keeps them as span attributes, as the collector's does
 * ({@code aws.operation}, {@code aws.region}, {@code aws.request_id}, {@code aws.queue_url},
 * {@code aws.table_name}, {@code aws.account_id}, {@code aws.xray.retries}); the exporter's rules
 * write them back only in part. They write no {@code aws} block for a resource whose
 * {@code cloud.provider} is not {@code aws}, and the receiver says {@code unknown} for a document
 * without an {@code aws} block of its own, so a DynamoDB call nested in such a segment lost its table;
 * and they never write {@code retries}, which ends up in the metadata. X-Ray keeps the block as it was
 * sent. A span whose resource names another cloud keeps the exporter's answer: ADOT would have sent
 * X-Ray no such block for it. Stateless.
 */
final class AwsFacts {
  private static final String RETRIES = "aws.xray.retries";
  /** Span attribute to {@code aws} block member. */
  private static final Map<String, String> FIELDS = new LinkedHashMap<>();

  static {
    FIELDS.put("aws.account_id", "account_id");
    FIELDS.put("aws.operation", "operation");
    FIELDS.put("aws.region", "region");
    FIELDS.put("aws.request_id", "request_id");
    FIELDS.put("aws.queue_url", "queue_url");
    FIELDS.put("aws.table_name", "table_name");
    FIELDS.put(RETRIES, "retries");
  }

  private AwsFacts() {}

  /** Completes {@code doc} and its nested subsegments from their spans, by id ({@code spans}, keyed by hex id). */
  static void restore(ObjectNode doc, Map<String, SpanRecord> spans) {
    SpanRecord span = spans.get(doc.path("id").asText());
    if (span != null && !otherCloud(span)) {
      complete(doc, span);
    }
    JsonNode subsegments = doc.get("subsegments");
    if (subsegments != null && subsegments.isArray()) {
      for (JsonNode sub : subsegments) {
        if (sub instanceof ObjectNode o) {
          restore(o, spans);
        }
      }
    }
  }

  private static boolean otherCloud(SpanRecord span) {
    Object provider = span.resourceAttributes().get("cloud.provider");
    return provider != null && !provider.equals("aws") && !provider.equals("unknown");
  }

  private static void complete(ObjectNode doc, SpanRecord span) {
    ObjectNode aws = null;
    for (Map.Entry<String, String> f : FIELDS.entrySet()) {
      Object v = span.attributes().get(f.getKey());
      if (v == null) {
        continue;
      }
      if (aws == null) {
        aws = doc.get("aws") instanceof ObjectNode existing ? existing : doc.putObject("aws");
      }
      if (aws.has(f.getValue())) {
        continue;
      }
      if (v instanceof Long n) {
        aws.put(f.getValue(), n);
      } else {
        aws.put(f.getValue(), String.valueOf(v));
      }
      if (f.getKey().equals(RETRIES)) {
        dropFromMetadata(doc, RETRIES);
      }
    }
  }

  /** The exporter left the attribute in the default metadata; it is in the aws block now. */
  private static void dropFromMetadata(ObjectNode doc, String key) {
    if (!(doc.get("metadata") instanceof ObjectNode metadata)
        || !(metadata.get("default") instanceof ObjectNode defaults)) {
      return;
    }
    defaults.remove(key);
    if (defaults.isEmpty()) {
      metadata.remove("default");
    }
    if (metadata.isEmpty()) {
      doc.remove("metadata");
    }
  }
}
