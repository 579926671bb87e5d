package dev.kansoku.contrib.attraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ConfigSource;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Attribute lists written as Java values, as upstream's tests write {@code map[string]any}. */
public final class TestAttrs {
  private TestAttrs() {}

  /** Key, value, key, value …: String, Integer/Long (int), Double, Boolean, byte[]. */
  public static List<KeyValue> attrs(Object... keyValues) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.add(KeyValue.newBuilder().setKey((String) keyValues[i]).setValue(value(keyValues[i + 1])).build());
    }
    return out;
  }

  public static AnyValue value(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Integer n) {
      b.setIntValue(n);
    } else if (v instanceof Long n) {
      b.setIntValue(n);
    } else if (v instanceof Double d) {
      b.setDoubleValue(d);
    } else if (v instanceof Boolean t) {
      b.setBoolValue(t);
    } else if (v instanceof byte[] bytes) {
      b.setBytesValue(ByteString.copyFrom(bytes));
    } else {
      throw new IllegalArgumentException("no attribute value for " + v);
    }
    return b.build();
  }

  /** pdata's {@code AsRaw()}: ints as Long, so expectations read like upstream's. */
  public static Map<String, Object> raw(List<KeyValue> attrs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : attrs) {
      AnyValue v = kv.getValue();
      out.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> v.getIntValue();
        case DOUBLE_VALUE -> v.getDoubleValue();
        case BOOL_VALUE -> v.getBoolValue();
        default -> v;
      });
    }
    return out;
  }

  /** {@code Map.of} with ints written as Java ints turned into Longs. */
  public static Map<String, Object> map(Object... keyValues) {
    return raw(attrs(keyValues));
  }

  /** Binds a YAML list of actions, e.g. {@code [{key: a, value: 1, action: insert}]}, as a processor's config does. */
  public static List<ActionSettings> settings(String yamlList) throws ConfigException {
    JsonNode node = ConfigSource.parse("{actions: " + yamlList + "}", "test");
    return ConfigBinder.bind(node, new Holder(), "processors::attributes").actions;
  }

  /** Compiles {@link #settings}. */
  public static Actions actions(String yamlList) throws ConfigException {
    return Actions.compile(settings(yamlList), "actions");
  }

  static final class Holder {
    List<ActionSettings> actions = new ArrayList<>();
  }
}
