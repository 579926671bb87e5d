package dev.kansoku.aws.xray;

import static dev.kansoku.aws.xray.Attrs.str;
import static dev.kansoku.aws.xray.Segment.nonEmpty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;

/** The collector's {@code makeXRayAttributes}: what no block consumed, as annotations or metadata. */
final class XrayAttributes {
  private static final String DEFAULT_METADATA_NAMESPACE = "default";
  private static final String ANNOTATIONS_ATTRIBUTE = "aws.xray.annotations";
  private static final String METADATA_PREFIX = "aws.xray.metadata.";

  private XrayAttributes() {}

  /**
   * user, annotations and metadata from what the blocks left: indexed attributes (by option, by the
   * aws.xray.annotations list, or all) become annotations when X-Ray can index their type; the rest
   * is metadata, under "default" unless an aws.xray.metadata.NAMESPACE attribute holds a JSON object.
   * Segments (not subsegments) also carry the resource as otel.resource.* entries.
   */
  static void apply(Segment s, Map<String, AnyValue> attributes, Map<String, AnyValue> resource,
      boolean storeResource, XrayOptions o) {
    AnyValue user = attributes.remove("enduser.id");
    if (user != null) {
      s.user = nonEmpty(str(user));
    }
    if (attributes.isEmpty() && (!storeResource || resource.isEmpty())) {
      return;
    }
    Map<String, Object> annotations = new TreeMap<>();
    Map<String, Map<String, Object>> metadata = new TreeMap<>();
    Map<String, Object> defaultMetadata = new TreeMap<>();
    Set<String> indexed = new HashSet<>();
    if (!o.indexAllAttributes) {
      indexed.addAll(o.indexedAttributes);
    }
    AnyValue listed = attributes.get(ANNOTATIONS_ATTRIBUTE);
    if (listed != null && listed.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE) {
      for (AnyValue key : listed.getArrayValue().getValuesList()) {
        if (key.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
          indexed.add(key.getStringValue());
        }
      }
      attributes.remove(ANNOTATIONS_ATTRIBUTE);
    }
    if (storeResource) {
      for (Map.Entry<String, AnyValue> e : resource.entrySet()) {
        String key = "otel.resource." + e.getKey();
        Object annotation = Attrs.annotationValue(e.getValue());
        if (annotation != null && (o.indexAllAttributes || indexed.contains(key))) {
          annotations.put(fixKey(key, o.allowDotInAnnotationKeys), annotation);
        } else {
          Object raw = Attrs.raw(e.getValue());
          if (raw != null) {
            defaultMetadata.put(key, raw);
          }
        }
      }
    }
    for (Map.Entry<String, AnyValue> e : attributes.entrySet()) {
      String key = e.getKey();
      AnyValue value = e.getValue();
      if (o.indexAllAttributes || indexed.contains(key)) {
        // Maps and lists cannot be annotations; indexed ones are dropped, as in the collector.
        Object annotation = Attrs.annotationValue(value);
        if (annotation != null) {
          annotations.put(fixKey(key, o.allowDotInAnnotationKeys), annotation);
        }
      } else if (key.startsWith(METADATA_PREFIX) && value.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        String namespace = key.substring(METADATA_PREFIX.length());
        JsonNode parsed = parseObject(value.getStringValue());
        if (parsed == null) {
          defaultMetadata.put(key, value.getStringValue());
        } else if (namespace.equalsIgnoreCase(DEFAULT_METADATA_NAMESPACE)) {
          for (Iterator<Map.Entry<String, JsonNode>> it = parsed.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            defaultMetadata.put(f.getKey(), f.getValue());
          }
        } else {
          Map<String, Object> ns = null;
          if (!parsed.isNull()) {
            ns = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = parsed.fields(); it.hasNext(); ) {
              Map.Entry<String, JsonNode> f = it.next();
              ns.put(f.getKey(), f.getValue());
            }
          }
          metadata.put(namespace, ns);
        }
      } else {
        Object raw = Attrs.raw(value);
        if (raw != null) {
          defaultMetadata.put(key, raw);
        }
      }
    }
    if (!defaultMetadata.isEmpty()) {
      metadata.put(DEFAULT_METADATA_NAMESPACE, defaultMetadata);
    }
    s.annotations = annotations;
    s.metadata = metadata;
  }

  /** A JSON object (or JSON null, which Go decodes into a nil map), else null. */
  @Nullable
  private static JsonNode parseObject(String text) {
    try {
      JsonNode node = SegmentJson.MAPPER.readTree(text);
      return node != null && (node.isObject() || node.isNull()) ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Annotation keys allow [A-Za-z0-9_] (and '.' unless configured otherwise); others become '_'. */
  static String fixKey(String key, boolean allowDot) {
    StringBuilder b = new StringBuilder(key.length());
    key.codePoints().forEach(c -> {
      boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (allowDot && c == '.');
      b.append(ok ? (char) c : '_');
    });
    return b.toString();
  }
}
