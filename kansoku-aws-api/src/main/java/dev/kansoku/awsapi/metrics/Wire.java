package dev.kansoku.awsapi.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The three CloudWatch wire formats, decoded into one Jackson tree (requests) and encoded from one
 * plain tree (responses): {@code Map} = structure, {@code List} = list, {@link StringMap} = a modeled
 * map (ExtendedStatistics), {@code Instant} = timestamp, plus strings, numbers and booleans. Only the
 * encoders know how each protocol spells timestamps, lists and maps.
 */
final class Wire {
  static final String XML_NS = "http://monitoring.amazonaws.com/doc/2010-08-01/";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  private Wire() {}

  /** A modeled map, which awsQuery spells as {@code <entry><key/><value/></entry>}, unlike a structure. */
  record StringMap(Map<String, Object> entries) {}

  static JsonNode readJson(byte[] body) {
    return read(JSON, body);
  }

  /** CBOR tag 1 timestamps come out as their numeric epoch seconds, the same as JSON's. */
  static JsonNode readCbor(byte[] body) {
    return read(CBOR, body);
  }

  private static JsonNode read(ObjectMapper mapper, byte[] body) {
    if (body.length == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode n;
    try {
      n = mapper.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw CwError.serialization("malformed request body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw CwError.serialization("malformed request body: " + e.getMessage());
    }
    if (n == null || n.isMissingNode()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!n.isObject()) {
      throw CwError.serialization("request body is not an object but " + n.getNodeType());
    }
    return n;
  }

  /** Form fields by name, in order (the last of repeated names wins, as the service does). */
  static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw CwError.invalidValue("malformed form field " + pair + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * awsQuery's flattened members ({@code MetricData.member.1.Dimensions.member.2.Name=x}) as the tree
   * JSON would give: {@code member.N} / {@code entry.N} become list elements, in index order.
   */
  static ObjectNode unflatten(Map<String, String> form) {
    Map<Object, Object> root = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : form.entrySet()) {
      String[] segs = f.getKey().split("\\.");
      List<Object> keys = new ArrayList<>(segs.length);
      for (int i = 0; i < segs.length; i++) {
        if ((segs[i].equals("member") || segs[i].equals("entry")) && i + 1 < segs.length && isIndex(segs[i + 1])) {
          keys.add(Integer.valueOf(segs[++i]));
        } else {
          keys.add(segs[i]);
        }
      }
      try {
        Map<Object, Object> cur = root;
        for (int i = 0; i < keys.size() - 1; i++) {
          Object k = keys.get(i);
          boolean listNext = keys.get(i + 1) instanceof Integer;
          @SuppressWarnings("unchecked")
          Map<Object, Object> next = (Map<Object, Object>) cur.computeIfAbsent(k,
              x -> listNext ? new TreeMap<>() : new LinkedHashMap<>());
          cur = next;
        }
        cur.put(keys.get(keys.size() - 1), f.getValue());
      } catch (ClassCastException e) {
        // a.member.1 next to a.b, or a value and a structure under one name
        throw CwError.invalidValue(f.getValue(), f.getKey());
      }
    }
    return (ObjectNode) toNode(root);
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.length() < 7 && s.chars().allMatch(Character::isDigit) && Integer.parseInt(s) > 0;
  }

  private static JsonNode toNode(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v instanceof TreeMap<?, ?> list) {
      ArrayNode a = f.arrayNode();
      list.values().forEach(e -> a.add(toNode(e)));
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = f.objectNode();
      m.forEach((k, e) -> o.set(String.valueOf(k), toNode(e)));
      return o;
    }
    return f.textNode(String.valueOf(v));
  }

  static byte[] writeJson(Map<String, Object> tree) {
    return write(JSON.getFactory(), tree);
  }

  static byte[] writeCbor(Map<String, Object> tree) {
    return write(CBOR.getFactory(), tree);
  }

  private static byte[] write(JsonFactory factory, Object tree) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = factory.createGenerator(out)) {
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v instanceof StringMap sm) {
      v = sm.entries();
    }
    if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object e : l) {
        write(g, e);
      }
      g.writeEndArray();
    } else if (v instanceof Instant t) {
      BigDecimal seconds = BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9));
      if (g instanceof CBORGenerator cg) {
        cg.writeTag(1); // rpcv2Cbor: epoch-seconds timestamp, as the SDK sends and expects
        cg.writeNumber(seconds.doubleValue());
      } else if (t.getNano() == 0) {
        g.writeNumber(t.getEpochSecond());
      } else {
        g.writeNumber(seconds.stripTrailingZeros());
      }
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v == null) {
      g.writeNull();
    } else {
      g.writeString(v.toString());
    }
  }

  /** {@code <OpResponse><OpResult>…</OpResult><ResponseMetadata>…}; no OpResult for ops without output. */
  static String writeXml(String op, Map<String, Object> result, String requestId) {
    StringBuilder b = new StringBuilder(256);
    b.append("<").append(op).append("Response xmlns=\"").append(XML_NS).append("\">");
    if (!result.isEmpty()) {
      b.append("<").append(op).append("Result>");
      xml(b, result);
      b.append("</").append(op).append("Result>");
    }
    b.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata></")
        .append(op).append("Response>");
    return b.toString();
  }

  static String writeXmlError(CwError e, String requestId) {
    return "<ErrorResponse xmlns=\"" + XML_NS + "\"><Error><Type>" + (e.sender() ? "Sender" : "Receiver")
        + "</Type><Code>" + escape(e.code) + "</Code><Message>" + escape(e.getMessage())
        + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
  }

  private static void xml(StringBuilder b, Object v) {
    if (v instanceof StringMap sm) {
      sm.entries().forEach((k, e) -> {
        b.append("<entry><key>").append(escape(k)).append("</key><value>");
        xml(b, e);
        b.append("</value></entry>");
      });
    } else if (v instanceof Map<?, ?> m) {
      m.forEach((k, e) -> {
        b.append('<').append(k).append('>');
        xml(b, e);
        b.append("</").append(k).append('>');
      });
    } else if (v instanceof List<?> l) {
      for (Object e : l) {
        b.append("<member>");
        xml(b, e);
        b.append("</member>");
      }
    } else if (v instanceof Instant t) {
      b.append(t); // ISO-8601, e.g. 2026-11-25T00:01:00Z
    } else if (v != null) {
      b.append(escape(v.toString()));
    }
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
