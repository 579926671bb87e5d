package dev.kansoku.contrib.attraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/** Attribute values written in the configuration, keeping the type YAML gave them, as pdata's {@code FromRaw}. */
public final class ConfigValues {
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private ConfigValues() {}

  /** True when {@code node} says nothing: absent or YAML null. */
  public static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /**
   * The attribute value for a YAML value: string, int, double and bool as such, a list as an array, a
   * map as a key/value list. An integer above int64 but within uint64 wraps, as Go's conversion does.
   */
  public static AnyValue fromYaml(JsonNode node) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (node.isTextual()) {
      b.setStringValue(node.textValue());
    } else if (node.isBoolean()) {
      b.setBoolValue(node.booleanValue());
    } else if (node.isIntegralNumber()) {
      BigInteger n = node.bigIntegerValue();
      if (n.bitLength() < 64 || n.signum() > 0 && n.compareTo(UINT64_MAX) <= 0) {
        b.setIntValue(n.longValue());
      } else {
        b.setDoubleValue(n.doubleValue());
      }
    } else if (node.isNumber()) {
      b.setDoubleValue(node.doubleValue());
    } else if (node.isBinary()) {
      try {
        b.setBytesValue(ByteString.copyFrom(node.binaryValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else if (node.isArray()) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      for (JsonNode element : node) {
        array.addValues(absent(element) ? AnyValue.getDefaultInstance() : fromYaml(element));
      }
      b.setArrayValue(array);
    } else if (node.isObject()) {
      KeyValueList.Builder list = KeyValueList.newBuilder();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        list.addValues(KeyValue.newBuilder().setKey(e.getKey())
            .setValue(absent(e.getValue()) ? AnyValue.getDefaultInstance() : fromYaml(e.getValue())));
      }
      b.setKvlistValue(list);
    }
    return b.build();
  }
}
