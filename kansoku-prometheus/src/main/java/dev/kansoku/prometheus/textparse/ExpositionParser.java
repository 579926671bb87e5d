package dev.kansoku.prometheus.textparse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A streaming parser of the Prometheus text format (0.0.4 and 1.0.0) and the OpenMetrics text format (1.0.0),
 * over a scraped body held in memory. Samples go to a {@link SampleSink} as they are read; the first bad line
 * stops the parse with an {@link ExpositionException} naming the line.
 *
 * <p>Names and label values repeat from one scrape to the next, so the parser keeps a bounded cache of the
 * strings it decoded: one parser per scrape target keeps allocation per sample low. Not thread-safe.
 *
 * <p>OpenMetrics specifics: {@code # EOF} is required and ends the body; {@code # UNIT} must be a suffix of its
 * family's name; timestamps are seconds; {@code _created} samples of counters, histograms and summaries become
 * start times ({@link SampleSink#created}); exemplars are checked and then dropped.
 */
public final class ExpositionParser {
  private static final Set<String> TEXT_TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Set<String> OM_TYPES = Set.of("counter", "gauge", "histogram", "gaugehistogram", "summary",
      "info", "stateset", "unknown");
  private static final Set<String> CREATED_TYPES = Set.of("counter", "histogram", "summary", "gaugehistogram");
  private static final int CACHE_LIMIT = 1 << 15;

  private final Map<Key, String> cache = new HashMap<>();
  private final Key probe = new Key();
  private String[] labels = new String[32];
  private byte[] buf;
  private int pos;
  private int end;
  private int line;
  private boolean openMetrics;

  /**
   * Parses {@code body[0..length)}.
   *
   * @param openMetrics the OpenMetrics grammar, else the Prometheus text format
   */
  public void parse(byte[] body, int length, boolean openMetrics, SampleSink sink) throws ExpositionException {
    this.buf = body;
    this.pos = 0;
    this.end = length;
    this.line = 0;
    this.openMetrics = openMetrics;
    Map<String, Metadata> families = new HashMap<>();
    String family = null;
    String familyType = "unknown";
    boolean eof = false;
    try {
      while (pos < end) {
        line++;
        int lineEnd = indexOf((byte) '\n', pos);
        if (eof) {
          throw error("unexpected data after # EOF");
        }
        if (!openMetrics) {
          while (pos < lineEnd && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
          }
        }
        if (pos == lineEnd) {
          if (openMetrics) {
            throw error("unexpected empty line");
          }
          pos = lineEnd + 1;
          continue;
        }
        if (buf[pos] == '#') {
          String[] meta = comment(lineEnd);
          if (meta == null) {
            pos = lineEnd + 1;
            continue;
          }
          if (meta[0].equals("EOF")) {
            eof = true;
            pos = lineEnd + 1;
            continue;
          }
          String name = meta[1];
          Metadata old = families.getOrDefault(name, Metadata.UNKNOWN);
          Metadata now = switch (meta[0]) {
            case "TYPE" -> new Metadata(meta[2].equals("untyped") ? "unknown" : meta[2], old.help(), old.unit());
            case "HELP" -> new Metadata(old.type(), meta[2], old.unit());
            default -> new Metadata(old.type(), old.help(), meta[2]);
          };
          families.put(name, now);
          family = name;
          familyType = now.type();
          sink.metadata(name, now);
          pos = lineEnd + 1;
          continue;
        }
        sampleLine(lineEnd, family, familyType, sink);
        pos = lineEnd + 1;
      }
    } finally {
      this.buf = null;
    }
    if (openMetrics && !eof) {
      throw new ExpositionException("data does not end with # EOF");
    }
  }

  /** A HELP/TYPE/UNIT/EOF line as {kind, name, value}; null for a plain comment (text format only). */
  private String[] comment(int lineEnd) throws ExpositionException {
    int p = pos + 1;
    if (p < lineEnd && buf[p] == ' ' || !openMetrics) {
      while (p < lineEnd && (buf[p] == ' ' || buf[p] == '\t')) {
        p++;
      }
    }
    int kindStart = p;
    while (p < lineEnd && buf[p] != ' ' && buf[p] != '\t') {
      p++;
    }
    String kind = new String(buf, kindStart, p - kindStart, StandardCharsets.US_ASCII);
    if (openMetrics && kind.equals("EOF") && p == lineEnd && kindStart == pos + 2) {
      return new String[] {"EOF"};
    }
    if (!kind.equals("HELP") && !kind.equals("TYPE") && !(openMetrics && kind.equals("UNIT"))) {
      if (openMetrics) {
        throw error("invalid comment: expected # HELP, # TYPE, # UNIT or # EOF");
      }
      return null;
    }
    p = skipBlanks(p, lineEnd);
    pos = p;
    String name = buf[p] == '"' ? quoted(lineEnd) : name(lineEnd, true);
    p = pos;
    if (p < lineEnd && buf[p] != ' ' && buf[p] != '\t') {
      throw error("invalid metric name in # " + kind + " line");
    }
    p = p < lineEnd ? p + 1 : p;
    if (!openMetrics) {
      p = skipBlanks(p, lineEnd);
    }
    switch (kind) {
      case "TYPE" -> {
        String type = new String(buf, p, lineEnd - p, StandardCharsets.UTF_8).strip();
        if (!(openMetrics ? OM_TYPES : TEXT_TYPES).contains(type)) {
          throw error("invalid metric type \"" + type + "\"");
        }
        return new String[] {kind, name, type};
      }
      case "UNIT" -> {
        String unit = new String(buf, p, lineEnd - p, StandardCharsets.UTF_8);
        if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
          throw error("unit \"" + unit + "\" not a suffix of metric \"" + name + "\"");
        }
        return new String[] {kind, name, unit};
      }
      default -> {
        return new String[] {kind, name, unescape(p, lineEnd, false)};
      }
    }
  }

  private void sampleLine(int lineEnd, String family, String familyType, SampleSink sink) throws ExpositionException {
    String name = null;
    int count = 0;
    if (buf[pos] != '{') {
      name = name(lineEnd, true);
    }
    if (pos < lineEnd && buf[pos] == '{') {
      pos++;
      while (true) {
        pos = skipBlanks(pos, lineEnd);
        if (pos >= lineEnd) {
          throw error("unexpected end of line in label set");
        }
        if (buf[pos] == '}') {
          pos++;
          break;
        }
        boolean quotedName = buf[pos] == '"';
        String labelName = quotedName ? quoted(lineEnd) : name(lineEnd, false);
        pos = skipBlanks(pos, lineEnd);
        if (name == null && count == 0 && quotedName && pos < lineEnd && (buf[pos] == ',' || buf[pos] == '}')) {
          name = labelName; // {"metric.name", ...}: a quoted UTF-8 metric name inside the braces
        } else {
          if (pos >= lineEnd || buf[pos] != '=') {
            throw error("expected equal sign after label name \"" + labelName + "\"");
          }
          pos = skipBlanks(pos + 1, lineEnd);
          if (pos >= lineEnd || buf[pos] != '"') {
            throw error("expected label value for \"" + labelName + "\"");
          }
          String labelValue = quoted(lineEnd);
          if (2 * count + 2 > labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
          }
          for (int i = 0; i < count; i++) {
            if (labels[2 * i].equals(labelName)) {
              throw error("duplicate label name \"" + labelName + "\"");
            }
          }
          labels[2 * count] = labelName;
          labels[2 * count + 1] = labelValue;
          count++;
        }
        pos = skipBlanks(pos, lineEnd);
        if (pos < lineEnd && buf[pos] == ',') {
          pos++;
        } else if (pos >= lineEnd || buf[pos] != '}') {
          throw error("expected ',' or '}' in label set");
        }
      }
    }
    if (name == null) {
      throw error("metric name missing");
    }
    if (pos >= lineEnd || (buf[pos] != ' ' && buf[pos] != '\t')) {
      throw error("expected a space and a value after \"" + name + "\"");
    }
    pos = skipBlanks(pos, lineEnd);
    int valueStart = pos;
    while (pos < lineEnd && buf[pos] != ' ' && buf[pos] != '\t') {
      pos++;
    }
    double value = number(valueStart, pos, "value");
    long ts = Long.MIN_VALUE;
    pos = skipBlanks(pos, lineEnd);
    if (pos < lineEnd && buf[pos] != '#') {
      int tsStart = pos;
      while (pos < lineEnd && buf[pos] != ' ' && buf[pos] != '\t') {
        pos++;
      }
      ts = openMetrics ? Math.round(number(tsStart, pos, "timestamp") * 1000) : integer(tsStart, pos);
      pos = skipBlanks(pos, lineEnd);
    }
    if (pos < lineEnd) {
      if (!openMetrics || buf[pos] != '#') {
        throw error("unexpected text after the sample: \"" + text(pos, lineEnd) + "\"");
      }
      exemplar(lineEnd);
    }
    if (openMetrics && family != null && CREATED_TYPES.contains(familyType) && name.length() == family.length() + 8
        && name.startsWith(family) && name.endsWith("_created")) {
      sink.created(family, labels, count, value);
      return;
    }
    sink.sample(name, labels, count, value, ts);
  }

  /** Checks an OpenMetrics exemplar ({@code # {labels} value [timestamp]}); its content is not kept. */
  private void exemplar(int lineEnd) throws ExpositionException {
    pos = skipBlanks(pos + 1, lineEnd);
    if (pos >= lineEnd || buf[pos] != '{') {
      throw error("expected exemplar label set after '#'");
    }
    int close = indexOf((byte) '}', pos);
    if (close > lineEnd) {
      throw error("unterminated exemplar label set");
    }
    pos = skipBlanks(close + 1, lineEnd);
    int start = pos;
    while (pos < lineEnd && buf[pos] != ' ') {
      pos++;
    }
    number(start, pos, "exemplar value");
    pos = skipBlanks(pos, lineEnd);
    if (pos < lineEnd) {
      number(pos, lineEnd, "exemplar timestamp");
    }
  }

  private String name(int lineEnd, boolean metric) throws ExpositionException {
    int start = pos;
    while (pos < lineEnd) {
      byte b = buf[pos];
      boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || (metric && b == ':')
          || (pos > start && b >= '0' && b <= '9');
      if (!ok) {
        break;
      }
      pos++;
    }
    if (pos == start) {
      throw error(metric ? "invalid metric name" : "invalid label name");
    }
    return cached(start, pos);
  }

  /** A double-quoted string starting at pos, unescaped; pos ends after the closing quote. */
  private String quoted(int lineEnd) throws ExpositionException {
    int start = ++pos;
    boolean plain = true;
    while (pos < lineEnd && buf[pos] != '"') {
      if (buf[pos] == '\\') {
        plain = false;
        pos++;
      } else if (buf[pos] < 0) {
        plain = false;
      }
      pos++;
    }
    if (pos >= lineEnd) {
      throw error("unterminated quoted string");
    }
    String s = plain ? cached(start, pos) : unescape(start, pos, true);
    pos++;
    return s;
  }

  private String unescape(int from, int to, boolean quotes) throws ExpositionException {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte b = buf[i];
      if (b == '\\' && i + 1 < to) {
        byte e = buf[++i];
        if (e == 'n') {
          out[n++] = '\n';
        } else if (e == '\\' || (e == '"' && (quotes || openMetrics))) {
          out[n++] = e;
        } else if (quotes) {
          throw error("invalid escape sequence \"\\" + (char) e + "\"");
        } else {
          out[n++] = '\\';
          out[n++] = e;
        }
      } else {
        out[n++] = b;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private double number(int from, int to, String what) throws ExpositionException {
    if (from == to) {
      throw error("expected " + what);
    }
    String s = text(from, to);
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "nan", "+nan", "-nan":
        return Double.NaN;
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    for (int i = from; i < to; i++) {
      byte b = buf[i];
      if (!((b >= '0' && b <= '9') || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-')) {
        throw error("invalid " + what + " \"" + s + "\"");
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw error("invalid " + what + " \"" + s + "\"");
    }
  }

  private long integer(int from, int to) throws ExpositionException {
    long v = 0;
    int i = from;
    boolean negative = buf[i] == '-';
    if (negative || buf[i] == '+') {
      i++;
    }
    if (i == to) {
      throw error("invalid timestamp \"" + text(from, to) + "\"");
    }
    for (; i < to; i++) {
      byte b = buf[i];
      if (b < '0' || b > '9' || v > (Long.MAX_VALUE - 9) / 10) {
        throw error("invalid timestamp \"" + text(from, to) + "\"");
      }
      v = v * 10 + (b - '0');
    }
    return negative ? -v : v;
  }

  private String cached(int from, int to) {
    if (to - from > 128) {
      return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }
    probe.set(buf, from, to);
    String s = cache.get(probe);
    if (s == null) {
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      s = new String(buf, from, to - from, StandardCharsets.UTF_8);
      cache.put(new Key().copyOf(buf, from, to), s);
    }
    return s;
  }

  private int skipBlanks(int p, int lineEnd) {
    while (p < lineEnd && (buf[p] == ' ' || buf[p] == '\t')) {
      p++;
    }
    return p;
  }

  private int indexOf(byte b, int from) {
    for (int i = from; i < end; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return end;
  }

  private String text(int from, int to) {
    return new String(buf, from, Math.min(to - from, 100), StandardCharsets.UTF_8);
  }

  private ExpositionException error(String message) {
    return new ExpositionException((openMetrics ? "OpenMetrics" : "text format") + " line " + line + ": " + message);
  }

  /** A byte range as a map key, without copying for look-ups. */
  private static final class Key {
    private byte[] bytes;
    private int from;
    private int to;
    private int hash;

    void set(byte[] b, int f, int t) {
      bytes = b;
      from = f;
      to = t;
      int h = 1;
      for (int i = f; i < t; i++) {
        h = 31 * h + b[i];
      }
      hash = h;
    }

    Key copyOf(byte[] b, int f, int t) {
      set(Arrays.copyOfRange(b, f, t), 0, t - f);
      return this;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash
          && Arrays.equals(bytes, from, to, k.bytes, k.from, k.to);
    }
  }
}
