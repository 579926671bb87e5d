package dev.kansoku.store.embedded;

import dev.kansoku.model.AttributeMap;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanEvent;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanLink;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.StatusCode;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Column layout of one row group (uncompressed; the block compresses the whole group as one zstd
 * frame, and because each column is contiguous the compressor sees like next to like):
 *
 * <pre>
 *   dictionary            every string of the group once (names, services, keys, string values…)
 *   trace table           distinct trace ids of the group (16 bytes each); rows refer by index
 *   resource table        distinct resource-attribute sets; rows refer by index
 *   columns               each {@code varint length, bytes}, one per field, in row order
 * </pre>
 *
 * Spans: trace ref, span id (8 bytes), parent (0 none, 1 + raw 8 bytes, or 2+row of a span of this
 * group), service, name, kind, start (zigzag delta to the previous row), duration, status, status
 * message, http method/status/url/route, attributes (count, key id, typed value), resource ref,
 * events and links, scope name/version. Logs: time delta, observed−time, sequence delta, group,
 * stream, service, severity text/number, body, attributes, resource ref, trace ref (0 none), span id.
 * Stateless; each call owns its buffers.
 */
final class Columns {
  private Columns() {}

  /** String → id for one group. Not thread-safe. */
  private static final class Dict {
    final HashMap<String, Integer> ids = new HashMap<>();
    final List<String> strings = new ArrayList<>();

    int id(String s) {
      Integer id = ids.get(s);
      if (id == null) {
        id = strings.size();
        ids.put(s, id);
        strings.add(s);
      }
      return id;
    }

    /** 0 for null, else id + 1. */
    int nullable(String s) {
      return s == null ? 0 : id(s) + 1;
    }
  }

  private static final class Tables {
    final Dict dict = new Dict();
    final HashMap<TraceId, Integer> traces = new HashMap<>();
    final List<TraceId> traceList = new ArrayList<>();
    final HashMap<Map<String, Object>, Integer> resources = new HashMap<>();
    /** Records of one resource share its map: the identity lookup spares hashing and comparing it. */
    final IdentityHashMap<Map<String, Object>, Integer> resourcesSeen = new IdentityHashMap<>();
    final Buf.Out resourceBytes = new Buf.Out();

    int trace(TraceId t) {
      Integer i = traces.get(t);
      if (i == null) {
        i = traceList.size();
        traces.put(t, i);
        traceList.add(t);
      }
      return i;
    }

    int resource(Map<String, Object> r) {
      Integer i = resourcesSeen.get(r);
      if (i != null) {
        return i;
      }
      i = resources.get(r);
      if (i == null) {
        i = resources.size();
        resources.put(r, i);
        attrs(resourceBytes, r, dict);
      }
      resourcesSeen.put(r, i);
      return i;
    }

    /** Writes dictionary, trace table and resource table, then the columns. */
    Buf.Out finish(Buf.Out... columns) {
      int total = resourceBytes.size + 64;
      for (Buf.Out c : columns) {
        total += c.size + 5;
      }
      for (String s : dict.strings) {
        total += s.length() + 2;
      }
      Buf.Out out = new Buf.Out(total + traceList.size() * 16);
      out.varint(dict.strings.size());
      dict.strings.forEach(out::str);
      out.varint(traceList.size());
      for (TraceId t : traceList) {
        out.i64(t.high()).i64(t.low());
      }
      out.varint(resources.size()).varint(resourceBytes.size).raw(resourceBytes);
      out.varint(columns.length);
      for (Buf.Out c : columns) {
        out.varint(c.size).raw(c);
      }
      return out;
    }
  }

  private record Read(String[] dict, TraceId[] traces, List<Map<String, Object>> resources, Buf.In[] columns) {}

  private static Read read(Buf.In in) {
    String[] dict = new String[in.varint32()];
    for (int i = 0; i < dict.length; i++) {
      dict[i] = in.str();
    }
    TraceId[] traces = new TraceId[in.varint32()];
    for (int i = 0; i < traces.length; i++) {
      traces[i] = new TraceId(in.i64(), in.i64());
    }
    int nr = in.varint32();
    Buf.In rb = in.slice(in.varint32());
    List<Map<String, Object>> resources = new ArrayList<>(nr);
    for (int i = 0; i < nr; i++) {
      resources.add(attrs(rb, dict));
    }
    Buf.In[] cols = new Buf.In[in.varint32()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = in.slice(in.varint32());
    }
    return new Read(dict, traces, resources, cols);
  }

  static void attrs(Buf.Out o, Map<String, Object> a, Dict dict) {
    o.varint(a.size());
    for (Map.Entry<String, Object> e : a.entrySet()) {
      o.varint(dict.id(e.getKey()));
      Object v = e.getValue();
      if (v instanceof String s) {
        o.u8(RecordCodec.T_STRING).varint(dict.id(s));
      } else {
        RecordCodec.value(o, v);
      }
    }
  }

  static Map<String, Object> attrs(Buf.In in, String[] dict) {
    int n = in.varint32();
    if (n == 0) {
      return Map.of();
    }
    AttributeMap.Builder m = AttributeMap.builder(n);
    for (int i = 0; i < n; i++) {
      String k = dict[in.varint32()];
      int t = in.buf.get(in.buf.position()) & 0xFF;
      if (t == RecordCodec.T_STRING) {
        in.u8();
        m.put(k, dict[in.varint32()]);
      } else {
        m.put(k, RecordCodec.value(in));
      }
    }
    return m.build();
  }

  // ---- spans

  static final int SPAN_COLUMNS = 19;

  /** Encodes spans (already in block order) as one group. */
  static Buf.Out spans(List<SpanRecord> rows) {
    Tables t = new Tables();
    Buf.Out[] c = new Buf.Out[SPAN_COLUMNS];
    for (int i = 0; i < c.length; i++) {
      c[i] = new Buf.Out(rows.size() * 2);
    }
    HashMap<Long, Integer> rowOfSpan = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      rowOfSpan.putIfAbsent(rows.get(i).spanId().value(), i);
    }
    long prevStart = 0;
    for (SpanRecord s : rows) {
      c[0].varint(t.trace(s.traceId()));
      c[1].i64(s.spanId().value());
      if (s.parentSpanId() == null) {
        c[2].varint(0);
      } else {
        Integer r = rowOfSpan.get(s.parentSpanId().value());
        if (r != null) {
          c[2].varint(2L + r);
        } else {
          c[2].varint(1).i64(s.parentSpanId().value());
        }
      }
      c[3].varint(t.dict.id(s.serviceName()));
      c[4].varint(t.dict.id(s.name()));
      c[5].u8(s.kind().ordinal());
      c[6].zigzag(s.startNanos() - prevStart);
      prevStart = s.startNanos();
      c[7].varint(s.durationNanos());
      c[8].u8(s.statusCode().ordinal());
      c[9].varint(t.dict.id(s.statusMessage()));
      c[10].varint(t.dict.nullable(s.httpMethod()));
      c[11].varint(s.httpStatus());
      c[12].varint(t.dict.nullable(s.httpUrl()));
      c[13].varint(t.dict.nullable(s.httpRoute()));
      attrs(c[14], s.attributes(), t.dict);
      c[15].varint(t.resource(s.resourceAttributes()));
      RecordCodec.eventsAndLinks(c[16], s);
      c[17].varint(t.dict.id(s.scopeName()));
      c[18].varint(t.dict.id(s.scopeVersion()));
    }
    return t.finish(c);
  }

  static List<SpanRecord> spans(Buf.In in, int rowCount) {
    Read r = read(in);
    Buf.In[] c = r.columns;
    String[] d = r.dict;
    long[] spanIds = new long[rowCount];
    List<SpanRecord> out = new ArrayList<>(rowCount);
    long prevStart = 0;
    long[] parents = new long[rowCount];
    int[] parentRows = new int[rowCount];
    Object[][] partial = new Object[rowCount][];
    for (int i = 0; i < rowCount; i++) {
      spanIds[i] = 0;
    }
    // Two passes: parents may refer to later rows of the group.
    List<Object[]> fields = new ArrayList<>(rowCount);
    for (int i = 0; i < rowCount; i++) {
      TraceId traceId = r.traces[c[0].varint32()];
      spanIds[i] = c[1].i64();
      long p = c[2].varint();
      parentRows[i] = -1;
      if (p == 1) {
        parents[i] = c[2].i64();
      } else if (p >= 2) {
        parentRows[i] = (int) (p - 2);
      }
      String service = d[c[3].varint32()];
      String name = d[c[4].varint32()];
      SpanKind kind = SpanKind.values()[c[5].u8()];
      long start = prevStart + c[6].zigzag();
      prevStart = start;
      long end = start + c[7].varint();
      StatusCode status = StatusCode.values()[c[8].u8()];
      String message = d[c[9].varint32()];
      String method = ref(d, c[10].varint32());
      int httpStatus = c[11].varint32();
      String url = ref(d, c[12].varint32());
      String route = ref(d, c[13].varint32());
      Map<String, Object> attrs = attrs(c[14], d);
      Map<String, Object> resource = r.resources.get(c[15].varint32());
      List<SpanEvent> events = new ArrayList<>(0);
      List<SpanLink> links = new ArrayList<>(0);
      RecordCodec.eventsAndLinks(c[16], events, links);
      String scope = d[c[17].varint32()];
      String scopeVersion = d[c[18].varint32()];
      fields.add(new Object[] {traceId, service, name, kind, start, end, status, message, method, httpStatus, url, route,
          attrs, resource, events, links, scope, scopeVersion});
    }
    for (int i = 0; i < rowCount; i++) {
      Object[] f = fields.get(i);
      long parent = parentRows[i] >= 0 ? spanIds[parentRows[i]] : parents[i];
      @SuppressWarnings("unchecked")
      SpanRecord s = new SpanRecord((TraceId) f[0], new SpanId(spanIds[i]), parent == 0 ? null : new SpanId(parent),
          (String) f[1], (String) f[2], (SpanKind) f[3], (Long) f[4], (Long) f[5], (StatusCode) f[6], (String) f[7],
          (String) f[8], (Integer) f[9], (String) f[10], (String) f[11], (Map<String, Object>) f[12],
          (Map<String, Object>) f[13], (List<SpanEvent>) f[14], (List<SpanLink>) f[15], (String) f[16], (String) f[17]);
      out.add(s);
    }
    return out;
  }

  private static String ref(String[] d, int id) {
    return id == 0 ? null : d[id - 1];
  }

  // ---- logs

  static final int LOG_COLUMNS = 13;

  static Buf.Out logs(List<Head.StoredLog> rows) {
    Tables t = new Tables();
    Buf.Out[] c = new Buf.Out[LOG_COLUMNS];
    for (int i = 0; i < c.length; i++) {
      c[i] = new Buf.Out(rows.size() * 2);
    }
    c[6] = new Buf.Out(rows.size() * 64);
    long prevTime = 0;
    long prevSeq = 0;
    for (Head.StoredLog s : rows) {
      LogRecord r = s.record();
      c[0].zigzag(r.timeNanos() - prevTime);
      prevTime = r.timeNanos();
      c[1].zigzag(r.observedTimeNanos() - r.timeNanos());
      c[2].zigzag(s.seq() - prevSeq);
      prevSeq = s.seq();
      c[3].varint(t.dict.id(r.logGroup()));
      c[4].varint(t.dict.id(r.logStream()));
      c[5].varint(t.dict.id(r.serviceName()));
      c[6].str(r.body());
      c[7].varint(t.dict.id(r.severityText()));
      c[8].u8(r.severityNumber());
      attrs(c[9], r.attributes(), t.dict);
      c[10].varint(t.resource(r.resourceAttributes()));
      c[11].varint(r.traceId() == null ? 0 : t.trace(r.traceId()) + 1L);
      c[12].i64(r.spanId() == null ? 0 : r.spanId().value());
    }
    return t.finish(c);
  }

  static List<Head.StoredLog> logs(Buf.In in, int rowCount) {
    Read r = read(in);
    Buf.In[] c = r.columns;
    String[] d = r.dict;
    List<Head.StoredLog> out = new ArrayList<>(rowCount);
    long prevTime = 0;
    long prevSeq = 0;
    for (int i = 0; i < rowCount; i++) {
      long time = prevTime + c[0].zigzag();
      prevTime = time;
      long observed = time + c[1].zigzag();
      long seq = prevSeq + c[2].zigzag();
      prevSeq = seq;
      String group = d[c[3].varint32()];
      String stream = d[c[4].varint32()];
      String service = d[c[5].varint32()];
      String body = c[6].str();
      String sevText = d[c[7].varint32()];
      int sevNumber = c[8].u8();
      Map<String, Object> attrs = attrs(c[9], d);
      Map<String, Object> resource = r.resources.get(c[10].varint32());
      int tr = c[11].varint32();
      long span = c[12].i64();
      LogRecord rec = new LogRecord(time, observed, group, stream, service, sevText, sevNumber, body, attrs, resource,
          tr == 0 ? null : r.traces[tr - 1], span == 0 ? null : new SpanId(span));
      out.add(new Head.StoredLog(seq, rec));
    }
    return out;
  }
}
