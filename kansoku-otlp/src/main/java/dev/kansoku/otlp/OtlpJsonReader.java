package dev.kansoku.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import dev.kansoku.otlp.OtlpJson.Field;
import dev.kansoku.otlp.OtlpJson.Fields;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes one OTLP/JSON document onto protobuf builders in a single pass of Jackson's streaming
 * parser, guided by the message descriptors. It keeps the path it is at (keys as the sender wrote
 * them, list indexes) so every error can say where it is. One instance per document; not
 * thread-safe.
 */
final class OtlpJsonReader {
  private static final JsonFactory JSON = JsonFactory.builder()
      // Error messages are ours; Jackson's would otherwise quote the start of the body.
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final int MAX_QUOTED = 60;

  private final byte[] json;
  // The path: keys[i] is a key, or null when the segment is the list index indexes[i].
  private String[] keys = new String[16];
  private int[] indexes = new int[16];
  private int depth;
  private JsonParser p;

  OtlpJsonReader(byte[] json) {
    this.json = json;
  }

  Message readRoot(Message.Builder root) throws InvalidOtlpException {
    try (JsonParser parser = JSON.createParser(json)) {
      p = parser;
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new InvalidOtlpException("request body: empty (expected: a JSON object)");
      }
      if (t != JsonToken.START_OBJECT) {
        throw new InvalidOtlpException("request body: " + describe(t) + " (expected: a JSON object such as {\""
            + firstKey(root) + "\":[...]})");
      }
      Message m = readMessage(root);
      if (p.nextToken() != null) {
        throw new InvalidOtlpException("request body: more data after the end of the JSON object at "
            + where(p.currentTokenLocation()) + " (expected: one JSON object)");
      }
      return m;
    } catch (JsonEOFException e) {
      throw new InvalidOtlpException(here() + "JSON ends early at " + where(e.getLocation())
          + " (expected: the rest of the document; was the body truncated?)", e);
    } catch (JsonProcessingException e) {
      throw new InvalidOtlpException(here() + "invalid JSON at " + where(e.getLocation()) + ": "
          + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      // Reading from a byte array does no I/O; anything else is a parser failure as well.
      throw new InvalidOtlpException(here() + "invalid JSON: " + e.getMessage(), e);
    }
  }

  /** Reads the object the parser is at (its START_OBJECT consumed) into {@code b}. */
  private Message readMessage(Message.Builder b) throws IOException, InvalidOtlpException {
    Fields fields = OtlpJson.fields(b.getDescriptorForType());
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      Field f = fields.byKey(key);
      if (f == null) {
        // Unknown fields are ignored, as the OTLP specification requires of receivers.
        p.skipChildren();
        continue;
      }
      push(key);
      if (v != JsonToken.VALUE_NULL) {
        // null is proto3 JSON's way of writing the default value: leave the field unset.
        readField(b, f, v);
      }
      pop();
    }
    if (t != JsonToken.END_OBJECT) {
      throw new InvalidOtlpException(here() + "unexpected " + describe(t) + " (expected: a key or })");
    }
    return b.build();
  }

  private void readField(Message.Builder b, Field f, JsonToken v) throws IOException, InvalidOtlpException {
    FieldDescriptor fd = f.descriptor();
    if (fd.isRepeated()) {
      if (v != JsonToken.START_ARRAY) {
        throw new InvalidOtlpException(here() + describe(v) + " (expected: a list)");
      }
      int i = 0;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        pushIndex(i++);
        if (t == JsonToken.VALUE_NULL) {
          throw new InvalidOtlpException(here() + "null (expected: " + expectation(f) + ")");
        }
        b.addRepeatedField(fd, readValue(b, f, t));
        pop();
      }
      return;
    }
    OneofDescriptor oneof = fd.getRealContainingOneof();
    if (oneof != null && b.hasOneof(oneof) && b.getOneofFieldDescriptor(oneof) != fd) {
      throw new InvalidOtlpException(here() + "cannot be set together with \""
          + b.getOneofFieldDescriptor(oneof).getJsonName() + "\" (expected: one field of " + oneof.getName() + ")");
    }
    Object value = readValue(b, f, v);
    if (value != null) {
      b.setField(fd, value);
    }
  }

  /** The value at token {@code t} for field {@code f}, or null to leave the field unset. */
  private Object readValue(Message.Builder parent, Field f, JsonToken t) throws IOException, InvalidOtlpException {
    FieldDescriptor fd = f.descriptor();
    switch (fd.getJavaType()) {
      case MESSAGE:
        if (t != JsonToken.START_OBJECT) {
          throw new InvalidOtlpException(here() + describe(t) + " (expected: an object)");
        }
        return readMessage(parent.newBuilderForField(fd));
      case STRING:
        if (t != JsonToken.VALUE_STRING) {
          throw new InvalidOtlpException(here() + describe(t) + " (expected: a string)");
        }
        return p.getText();
      case BOOLEAN:
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
          return t == JsonToken.VALUE_TRUE;
        }
        throw new InvalidOtlpException(here() + describe(t) + " (expected: true or false)");
      case INT:
        return (int) readInteger(t, fd);
      case LONG:
        return readInteger(t, fd);
      case DOUBLE:
        return readDouble(t);
      case FLOAT:
        return (float) readDouble(t);
      case ENUM:
        return readEnum(t, fd.getEnumType());
      case BYTE_STRING:
        return f.idBytes() > 0 ? readId(t, f) : readBytes(t);
      default:
        throw new AssertionError(fd.getJavaType());
    }
  }

  /**
   * An integer written as a JSON number or a decimal string, as proto3 JSON allows for every integer
   * type (and OTLP/JSON uses for 64-bit ones). Unsigned 64-bit values come back as their bit pattern.
   */
  private long readInteger(JsonToken t, FieldDescriptor fd) throws IOException, InvalidOtlpException {
    BigInteger value;
    if (t == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        return checkRange(p.getLongValue(), fd);
      }
      value = p.getBigIntegerValue();
    } else if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      if (t == JsonToken.VALUE_STRING) {
        try {
          return checkRange(Long.parseLong(text), fd);
        } catch (NumberFormatException e) {
          // Not a plain long: maybe above Long.MAX_VALUE (uint64) or in exponent form ("1e9").
        }
      }
      try {
        value = new BigDecimal(text).toBigIntegerExact();
      } catch (NumberFormatException | ArithmeticException e) {
        throw new InvalidOtlpException(here() + describe(t) + " (expected: " + integerExpectation(fd) + ")");
      }
    } else {
      throw new InvalidOtlpException(here() + describe(t) + " (expected: " + integerExpectation(fd) + ")");
    }
    if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
      return checkRange(value.longValue(), fd);
    }
    if (unsigned64(fd) && value.signum() > 0 && value.compareTo(UINT64_MAX) <= 0) {
      return value.longValue();
    }
    throw new InvalidOtlpException(here() + describe(t) + " is out of range (expected: " + integerExpectation(fd) + ")");
  }

  private long checkRange(long v, FieldDescriptor fd) throws InvalidOtlpException {
    long min;
    long max;
    switch (fd.getType()) {
      case INT32, SINT32, SFIXED32 -> {
        min = Integer.MIN_VALUE;
        max = Integer.MAX_VALUE;
      }
      case UINT32, FIXED32 -> {
        min = 0;
        max = 0xFFFF_FFFFL;
      }
      case UINT64, FIXED64 -> {
        min = 0;
        max = Long.MAX_VALUE;
      }
      default -> {
        return v;
      }
    }
    if (v < min || v > max) {
      throw new InvalidOtlpException(here() + v + " is out of range (expected: " + integerExpectation(fd) + ")");
    }
    return v;
  }

  private static boolean unsigned64(FieldDescriptor fd) {
    return fd.getType() == FieldDescriptor.Type.UINT64 || fd.getType() == FieldDescriptor.Type.FIXED64;
  }

  private static String integerExpectation(FieldDescriptor fd) {
    return switch (fd.getType()) {
      case UINT32, FIXED32 -> "an integer from 0 to 4294967295";
      case UINT64, FIXED64 -> "an integer from 0 to 18446744073709551615, as a number or a string";
      case INT64, SINT64, SFIXED64 -> "a 64-bit integer, as a number or a string";
      default -> "a 32-bit integer";
    };
  }

  private double readDouble(JsonToken t) throws IOException, InvalidOtlpException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      // Jackson reads "-0" as the integer 0; the collector writes negative zero that way.
      return d == 0 && p.getText().startsWith("-") ? -0.0 : d;
    }
    if (t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            // BigDecimal accepts exactly JSON's number syntax (Double.parseDouble also takes "1d", "0x1p3").
            return new BigDecimal(text).doubleValue();
          } catch (NumberFormatException e) {
            break;
          }
      }
    }
    throw new InvalidOtlpException(here() + describe(t) + " (expected: a number, \"NaN\", \"Infinity\" or \"-Infinity\")");
  }

  private EnumValueDescriptor readEnum(JsonToken t, EnumDescriptor type) throws IOException, InvalidOtlpException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      long n = p.getLongValue();
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new InvalidOtlpException(here() + n + " is out of range (expected: a " + type.getName() + " value)");
      }
      // OTLP's enums are open: a number this build does not know is kept, as protobuf does.
      return type.findValueByNumberCreatingIfUnknown((int) n);
    }
    if (t == JsonToken.VALUE_STRING) {
      EnumValueDescriptor v = type.findValueByName(p.getText());
      if (v != null) {
        return v;
      }
      try {
        return type.findValueByNumberCreatingIfUnknown(Integer.parseInt(p.getText()));
      } catch (NumberFormatException e) {
        throw new InvalidOtlpException(here() + describe(t) + " (expected: a " + type.getName() + " number or one of "
            + type.getValues().stream().map(EnumValueDescriptor::getName).toList() + ")");
      }
    }
    throw new InvalidOtlpException(here() + describe(t) + " (expected: a " + type.getName() + " number or name)");
  }

  /** A trace or span id: hex, either case, of exactly the id's length; "" is the empty id. */
  private ByteString readId(JsonToken t, Field f) throws IOException, InvalidOtlpException {
    int digits = f.idBytes() * 2;
    if (t != JsonToken.VALUE_STRING) {
      throw new InvalidOtlpException(here() + describe(t) + " (expected: " + digits + " hex digits)");
    }
    String text = p.getText();
    if (text.isEmpty()) {
      if (f.idRequired()) {
        throw new InvalidOtlpException(here() + "\"\" is empty (expected: " + digits + " hex digits)");
      }
      return ByteString.EMPTY;
    }
    byte[] id = new byte[f.idBytes()];
    boolean hex = text.length() == digits;
    for (int i = 0; hex && i < id.length; i++) {
      int hi = Character.digit(text.charAt(2 * i), 16);
      int lo = Character.digit(text.charAt(2 * i + 1), 16);
      hex = hi >= 0 && lo >= 0;
      id[i] = (byte) (hi << 4 | lo);
    }
    if (!hex) {
      throw new InvalidOtlpException(here() + quote(text) + " is not " + digits + " hex digits"
          + (looksLikeBase64(text, f.idBytes()) ? " (OTLP/JSON writes ids in hex, not base64)" : ""));
    }
    return ByteString.copyFrom(id);
  }

  private static boolean looksLikeBase64(String text, int bytes) {
    try {
      return Base64.getDecoder().decode(text).length == bytes;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private ByteString readBytes(JsonToken t) throws IOException, InvalidOtlpException {
    if (t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      try {
        // proto3 JSON accepts standard and URL-safe base64, padded or not.
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        return ByteString.copyFrom((urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text));
      } catch (IllegalArgumentException e) {
        // fall through to the error below
      }
    }
    throw new InvalidOtlpException(here() + describe(t) + " (expected: base64 bytes)");
  }

  private String expectation(Field f) {
    FieldDescriptor fd = f.descriptor();
    return switch (fd.getJavaType()) {
      case MESSAGE -> "an object";
      case STRING -> "a string";
      case BOOLEAN -> "true or false";
      case INT, LONG -> integerExpectation(fd);
      case FLOAT, DOUBLE -> "a number";
      case ENUM -> "a " + fd.getEnumType().getName() + " number or name";
      case BYTE_STRING -> f.idBytes() > 0 ? f.idBytes() * 2 + " hex digits" : "base64 bytes";
    };
  }

  private String describe(JsonToken t) throws IOException {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> quote(p.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> "null";
      case END_OBJECT -> "}";
      case END_ARRAY -> "]";
      case FIELD_NAME -> "key \"" + p.currentName() + "\"";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String quote(String s) {
    String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s;
    return "\"" + shown + "\"";
  }

  private static String where(JsonLocation loc) {
    return loc == null ? "an unknown position" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String firstKey(Message.Builder root) {
    var fields = root.getDescriptorForType().getFields();
    return fields.isEmpty() ? "" : fields.get(0).getJsonName();
  }

  private void push(String key) {
    grow();
    keys[depth++] = key;
  }

  private void pushIndex(int index) {
    grow();
    keys[depth] = null;
    indexes[depth++] = index;
  }

  private void pop() {
    depth--;
  }

  private void grow() {
    if (depth == keys.length) {
      keys = Arrays.copyOf(keys, depth * 2);
      indexes = Arrays.copyOf(indexes, depth * 2);
    }
  }

  /** The current path followed by ": ", or "request body: " at the top. */
  private String here() {
    if (depth == 0) {
      return "request body: ";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (keys[i] == null) {
        sb.append('[').append(indexes[i]).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(keys[i]);
      }
    }
    return sb.append(": ").toString();
  }
}
