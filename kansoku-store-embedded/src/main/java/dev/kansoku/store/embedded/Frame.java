package dev.kansoku.store.embedded;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One written batch as the head keeps it: the bytes of its WAL payload (records in
 * {@link RecordCodec}'s encoding, a resource written once per frame) and, per record, where it
 * starts, its time and its trace fingerprint (0: no trace). Records are decoded when read.
 *
 * <p>Why not the records themselves: a span as objects (record, attribute map, strings) costs
 * about 1 KB of heap that lives until the head is flushed, so heads of objects filled the old
 * generation and made every young collection copy them; encoded, a span costs about a quarter of
 * that in one array. Immutable, thread-safe.
 */
final class Frame {
  private final byte[] bytes;
  private final int[] offsets;
  private final long[] times;
  private final long[] fingerprints;
  /** Per record, the first key a block sorts on: the span's service or the log record's group. */
  private final String[] sortKeys;
  private final List<Map<String, Object>> resources;
  /** Log frames: the sequence number of the first record (the others follow it). */
  final long firstSeq;
  final long minTime;
  final long maxTime;

  private Frame(byte[] bytes, int[] offsets, long[] times, long[] fingerprints, String[] sortKeys,
      List<Map<String, Object>> resources, long firstSeq) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.times = times;
    this.fingerprints = fingerprints;
    this.sortKeys = sortKeys;
    this.resources = resources;
    this.firstSeq = firstSeq;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long t : times) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    this.minTime = min;
    this.maxTime = max;
  }

  /** Encodes spans after the frame header already in {@code out}, and describes them. */
  static Frame spans(Buf.Out out, List<SpanRecord> spans) {
    return encode(out, spans, SPANS, 0);
  }

  /** Encodes log records after the frame header already in {@code out}, and describes them. */
  static Frame logs(Buf.Out out, List<LogRecord> logs, long firstSeq) {
    return encode(out, logs, LOGS, firstSeq);
  }

  /**
   * A frame read back from the WAL: {@code payload} holds its bytes, {@code in} is positioned at its
   * first record; the records are decoded once to find their offsets and added to {@code out}.
   */
  static Frame replayedSpans(byte[] payload, Buf.In in, int n, List<SpanRecord> out) {
    return replay(payload, in, n, SPANS, 0, out);
  }

  /** As {@link #replayedSpans}, for log records. */
  static Frame replayedLogs(byte[] payload, Buf.In in, int n, long firstSeq) {
    return replay(payload, in, n, LOGS, firstSeq, new ArrayList<>(n));
  }

  /** How a frame's records are written, read and described. */
  private record Kind<T>(Encoder<T> encode, Decoder<T> decode, ToLongFunction<T> time,
      Function<T, TraceId> trace, Function<T, String> sortKey) {}

  private interface Encoder<T> {
    void encode(Buf.Out out, T record, RecordCodec.Resources resources);
  }

  private interface Decoder<T> {
    T decode(Buf.In in, RecordCodec.Resources resources);
  }

  private static final Kind<SpanRecord> SPANS = new Kind<>(RecordCodec::span, RecordCodec::span,
      SpanRecord::startNanos, SpanRecord::traceId, SpanRecord::serviceName);
  private static final Kind<LogRecord> LOGS = new Kind<>(RecordCodec::log, RecordCodec::log,
      LogRecord::timeNanos, LogRecord::traceId, LogRecord::logGroup);

  private static <T> Frame encode(Buf.Out out, List<T> records, Kind<T> kind, long firstSeq) {
    Described d = new Described(records.size());
    RecordCodec.Resources res = new RecordCodec.Resources();
    for (int i = 0; i < records.size(); i++) {
      T r = records.get(i);
      d.describe(i, out.size, r, kind);
      kind.encode().encode(out, r, res);
    }
    return new Frame(trimmed(out), d.offsets, d.times, d.fps, d.keys, res.defined(), firstSeq);
  }

  private static <T> Frame replay(byte[] payload, Buf.In in, int n, Kind<T> kind, long firstSeq, List<T> out) {
    Described d = new Described(n);
    RecordCodec.Resources res = new RecordCodec.Resources();
    for (int i = 0; i < n; i++) {
      int offset = in.position();
      T r = kind.decode().decode(in, res);
      d.describe(i, offset, r, kind);
      out.add(r);
    }
    return new Frame(payload, d.offsets, d.times, d.fps, d.keys, res.defined(), firstSeq);
  }

  /** The per-record arrays of a frame being built. */
  private static final class Described {
    final int[] offsets;
    final long[] times;
    final long[] fps;
    final String[] keys;

    Described(int n) {
      offsets = new int[n];
      times = new long[n];
      fps = new long[n];
      keys = new String[n];
    }

    <T> void describe(int i, int offset, T record, Kind<T> kind) {
      offsets[i] = offset;
      times[i] = kind.time().applyAsLong(record);
      TraceId t = kind.trace().apply(record);
      fps[i] = t == null ? 0 : Block.fingerprint(t);
      keys[i] = kind.sortKey().apply(record);
    }
  }

  /** The payload's bytes; a copy only when the buffer is much larger than its content. */
  private static byte[] trimmed(Buf.Out out) {
    return out.bytes.length - out.size > out.size / 4 ? Arrays.copyOf(out.bytes, out.size) : out.bytes;
  }

  int size() {
    return offsets.length;
  }

  /** The heap its encoded records take. */
  int bytes() {
    return bytes.length;
  }

  long time(int i) {
    return times[i];
  }

  long fingerprint(int i) {
    return fingerprints[i];
  }

  String sortKey(int i) {
    return sortKeys[i];
  }

  SpanRecord span(int i) {
    return RecordCodec.span(at(i), new RecordCodec.Resources(resources));
  }

  LogRecord log(int i) {
    return RecordCodec.log(at(i), new RecordCodec.Resources(resources));
  }

  /** Every span, in order (one pass; resources decoded once). */
  List<SpanRecord> spans() {
    List<SpanRecord> out = new ArrayList<>(offsets.length);
    if (offsets.length > 0) {
      Buf.In in = at(0);
      RecordCodec.Resources res = new RecordCodec.Resources();
      for (int i = 0; i < offsets.length; i++) {
        out.add(RecordCodec.span(in, res));
      }
    }
    return out;
  }

  /** Every log record with its sequence number, in order. */
  List<Head.StoredLog> logs() {
    List<Head.StoredLog> out = new ArrayList<>(offsets.length);
    if (offsets.length > 0) {
      Buf.In in = at(0);
      RecordCodec.Resources res = new RecordCodec.Resources();
      for (int i = 0; i < offsets.length; i++) {
        out.add(new Head.StoredLog(firstSeq + i, RecordCodec.log(in, res)));
      }
    }
    return out;
  }

  private Buf.In at(int i) {
    return new Buf.In(bytes, offsets[i], bytes.length - offsets[i]);
  }
}
