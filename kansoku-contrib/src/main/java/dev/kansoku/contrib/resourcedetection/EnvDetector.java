package dev.kansoku.contrib.resourcedetection;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code env}: {@code OTEL_RESOURCE_ATTRIBUTES} (else the older {@code OTEL_RESOURCE}) as
 * {@code key1=value1,key2=value2}: ASCII keys and values of at most 256 characters, spaces around
 * them ignored, values percent-decoded as a URL query component ({@code +} is a space). Anything
 * else in the variable is an error naming the text, as upstream's; no schema URL.
 */
final class EnvDetector implements Detector {
  static final String VARIABLE = "OTEL_RESOURCE_ATTRIBUTES";
  static final String OLD_VARIABLE = "OTEL_RESOURCE";
  // Go's [[:ascii:]] and \s (which has no vertical tab), lazy as upstream's pattern is.
  private static final Pattern PAIR = Pattern.compile(
      "[\\t\\n\\f\\r ]*(\\p{ASCII}{1,256}?)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*(\\p{ASCII}{0,256}?)[\\t\\n\\f\\r ]*(?:,|\\z)");

  private final Function<String, String> env;

  EnvDetector(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public Detected detect(Instant deadline) throws DetectionException {
    String labels = trim(env.apply(VARIABLE));
    if (labels.isEmpty()) {
      labels = trim(env.apply(OLD_VARIABLE));
      if (labels.isEmpty()) {
        return Detected.NONE;
      }
    }
    return new Detected(parse(labels), "");
  }

  /** The attributes of {@code s}, in order; a key given twice keeps its first place and its last value. */
  static List<KeyValue> parse(String s) throws DetectionException {
    Matcher m = PAIR.matcher(s);
    List<KeyValue> out = new ArrayList<>();
    int prev = 0;
    boolean any = false;
    while (m.find()) {
      any = true;
      if (m.start() != prev) {
        throw new DetectionException("invalid resource format, invalid text: " + goQuote(s.substring(prev, m.start())),
            true);
      }
      String value = queryUnescape(m.group(2), s.substring(m.start(), m.end()));
      put(out, m.group(1), value);
      prev = m.end();
      if (m.end() == s.length()) {
        break;
      }
    }
    if (!any) {
      throw new DetectionException("invalid resource format: " + goQuote(s), true);
    }
    if (prev != s.length()) {
      throw new DetectionException("invalid resource format, invalid text: " + goQuote(s.substring(prev)), true);
    }
    return out;
  }

  private static void put(List<KeyValue> out, String key, String value) {
    KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).getKey().equals(key)) {
        out.set(i, kv);
        return;
      }
    }
    out.add(kv);
  }

  /** Go's url.QueryUnescape: %XX to a byte, + to a space; a broken escape is an error. */
  private static String queryUnescape(String v, String pair) throws DetectionException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '%') {
        if (i + 2 >= v.length() || hex(v.charAt(i + 1)) < 0 || hex(v.charAt(i + 2)) < 0) {
          String bad = v.substring(i, Math.min(v.length(), i + 3));
          throw new DetectionException("invalid resource format in attribute: " + goQuote(pair)
              + ", err: invalid URL escape " + goQuote(bad), true);
        }
        bytes.write(hex(v.charAt(i + 1)) << 4 | hex(v.charAt(i + 2)));
        i += 2;
      } else {
        bytes.write(c == '+' ? ' ' : c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static String trim(String s) {
    return s == null ? "" : s.strip();
  }

  /** Go's %q for the text in an error: quoted, with quotes and backslashes escaped. */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
