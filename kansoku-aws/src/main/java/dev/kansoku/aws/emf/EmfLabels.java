package dev.kansoku.aws.emf;

import dev.kansoku.aws.json.GoJson;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * OTLP attributes as the reference turns them into EMF labels: values in pcommon's string form, Go's
 * {@code 'g'} float format for quantiles, and the EKS Fargate "kubernetes" object. Stateless.
 */
final class EmfLabels {
  private EmfLabels() {}

  /** Go's strconv.FormatFloat(f, 'g', -1, 64). */
  static String formatG(double f) {
    if (f == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    if (exp < -4 || exp >= 21) {
      StringBuilder b = new StringBuilder(f < 0 ? "-" : "");
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits, 1, digits.length());
      }
      b.append('e').append(exp < 0 ? '-' : '+');
      if (Math.abs(exp) < 10) {
        b.append('0');
      }
      return b.append(Math.abs(exp)).toString();
    }
    return d.toPlainString();
  }

  /**
   * The attribute's value when it is a string, else null (Go's type check before Str()). With a
   * repeated key the first counts, as pcommon.Map.Get finds it.
   */
  @Nullable
  static String stringAttr(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE ? kv.getValue().getStringValue() : null;
      }
    }
    return null;
  }

  static Map<String, String> asStrings(List<KeyValue> attrs) {
    Map<String, String> m = new LinkedHashMap<>(attrs.size() + 2);
    for (KeyValue kv : attrs) {
      m.put(kv.getKey(), asString(kv.getValue()));
    }
    return m;
  }

  /**
   * pcommon.Value.AsString (pdata as vendored in v0.156.0): scalars in Go's text form (NaN, Infinity,
   * -Infinity for those doubles), maps and arrays as JSON, bytes as base64.
   */
  static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue()) ? GoJson.formatFloat(v.getDoubleValue())
          : Double.isNaN(v.getDoubleValue()) ? "NaN" : v.getDoubleValue() > 0 ? "Infinity" : "-Infinity";
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case KVLIST_VALUE, ARRAY_VALUE -> jsonNoHtmlEscape(v);
      default -> "";
    };
  }

  /**
   * pcommon's marshalJSONNoHTMLEscape: Go's JSON with {@code <>&} written as they are, and "" when a
   * double inside is NaN or infinite (json.Encoder fails and writes nothing).
   */
  private static String jsonNoHtmlEscape(AnyValue v) {
    if (!finite(v)) {
      return "";
    }
    String json = GoJson.write(raw(v));
    StringBuilder b = new StringBuilder(json.length());
    // Every backslash in Go's output starts an escape: u and four hex digits, or one character.
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c != '\\') {
        b.append(c);
        i++;
        continue;
      }
      String escape = json.substring(i, i + (json.charAt(i + 1) == 'u' ? 6 : 2));
      b.append(switch (escape) {
        case "\\u003c" -> "<";
        case "\\u003e" -> ">";
        case "\\u0026" -> "&";
        default -> escape;
      });
      i += escape.length();
    }
    return b.toString();
  }

  private static boolean finite(AnyValue v) {
    return switch (v.getValueCase()) {
      case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue());
      case KVLIST_VALUE -> v.getKvlistValue().getValuesList().stream().allMatch(kv -> finite(kv.getValue()));
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().allMatch(EmfLabels::finite);
      default -> true;
    };
  }

  private static Object raw(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case KVLIST_VALUE -> {
        Map<String, Object> m = new TreeMap<>();
        v.getKvlistValue().getValuesList().forEach(kv -> m.put(kv.getKey(), raw(kv.getValue())));
        yield m;
      }
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(EmfLabels::raw).toList();
      default -> null;
    };
  }

  /** The "kubernetes" object of EKS Fargate Container Insights, fields in the reference's order, empty ones left out. */
  static String kubernetesWrapper(Map<String, String> labels) {
    Map<String, Object> k = new LinkedHashMap<>();
    putIfSet(k, "container_name", labels.get("container"));
    String containerId = labels.get("container_id");
    if (containerId != null && !containerId.isEmpty()) {
      k.put("docker", Map.of("container_id", containerId));
    }
    putIfSet(k, "host", labels.get("NodeName"));
    Map<String, Object> l = new LinkedHashMap<>();
    putIfSet(l, "app", labels.get("app"));
    putIfSet(l, "pod-template-hash", labels.get("pod-template-hash"));
    if (!l.isEmpty()) {
      k.put("labels", l);
    }
    putIfSet(k, "namespace_name", labels.get("Namespace"));
    putIfSet(k, "pod_id", labels.get("PodId"));
    putIfSet(k, "pod_name", labels.get("PodName"));
    Map<String, Object> owners = new LinkedHashMap<>();
    putIfSet(owners, "owner_kind", labels.get("owner_kind"));
    putIfSet(owners, "owner_name", labels.get("owner_name"));
    if (!owners.isEmpty()) {
      k.put("pod_owners", owners);
    }
    putIfSet(k, "service_name", labels.get("Service"));
    return GoJson.write(k);
  }

  private static void putIfSet(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, value);
    }
  }
}
