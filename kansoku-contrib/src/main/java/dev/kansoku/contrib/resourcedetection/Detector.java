package dev.kansoku.contrib.resourcedetection;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One source of resource attributes. A detector that is not in its environment (ecs outside ECS)
 * answers {@link Detected#NONE}; a failure is thrown and retried until the processor's timeout.
 */
interface Detector {
  /**
   * @param deadline when the whole detection must be over; calls that block are bounded by it
   * @throws DetectionException when the source is there but did not answer as expected
   */
  Detected detect(Instant deadline) throws DetectionException;

  /** Attributes in the order the detector set them, and the schema URL it reports ("" for none). */
  record Detected(List<KeyValue> attributes, String schemaUrl) {
    static final Detected NONE = new Detected(List.of(), "");

    public Detected {
      attributes = List.copyOf(attributes);
    }
  }

  /** A failure of one detector; permanent ones (a malformed variable) are not retried. */
  final class DetectionException extends Exception {
    private final boolean permanent;

    DetectionException(String message, boolean permanent) {
      super(message);
      this.permanent = permanent;
    }

    DetectionException(String message, Throwable cause) {
      super(message + ": " + cause.getMessage(), cause);
      this.permanent = false;
    }

    boolean permanent() {
      return permanent;
    }
  }

  /**
   * Collects attributes the way upstream's generated resource builders do: only enabled ones, in the
   * order set, setting a key again replacing its value in place.
   */
  final class Attributes {
    private final Predicate<String> enabled;
    private final List<KeyValue> out = new ArrayList<>();

    Attributes(Predicate<String> enabled) {
      this.enabled = enabled;
    }

    Attributes str(String key, String value) {
      return put(key, AnyValue.newBuilder().setStringValue(value).build());
    }

    Attributes strings(String key, List<String> values) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      values.forEach(v -> array.addValues(AnyValue.newBuilder().setStringValue(v)));
      return put(key, AnyValue.newBuilder().setArrayValue(array).build());
    }

    Attributes integer(String key, long value) {
      return put(key, AnyValue.newBuilder().setIntValue(value).build());
    }

    private Attributes put(String key, AnyValue value) {
      if (!enabled.test(key)) {
        return this;
      }
      KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(value).build();
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).getKey().equals(key)) {
          out.set(i, kv);
          return this;
        }
      }
      out.add(kv);
      return this;
    }

    Detected detected(String schemaUrl) {
      return new Detected(out, schemaUrl);
    }
  }
}
