package dev.kansoku.store.embedded;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
    int n = spans.size();
    int[] offsets = new int[n];
    long[] times = new long[n];
    long[] fps = new long[n];
    String[] keys = new String[n];
    RecordCodec.Resources res = new RecordCodec.Resources();
    for (int i = 0; i < n; i++) {
      SpanRecord s = spans.get(i);
      offsets[i] = out.size;
      times[i] = s.startNanos();
      fps[i] = Block.fingerprint(s.traceId());
      keys[i] = s.serviceName();
      RecordCodec.span(out, s, res);
    }
    return new Frame(trimmed(out), offsets, times, fps, keys, res.defined(), 0);
  }

  /** Encodes log records after the frame header already in {@code out}, and describes them. */
  static Frame logs(Buf.Out out, List<LogRecord> logs, long firstSeq) {
    int n = logs.size();
    int[] offsets = new int[n];
    long[] times = new long[n];
    long[] fps = new long[n];
    String[] keys = new String[n];
    RecordCodec.Resources res = new RecordCodec.Resources();
    for (int i = 0; i < n; i++) {
      LogRecord r = logs.get(i);
      offsets[i] = out.size;
      times[i] = r.timeNanos();
      fps[i] = r.traceId() == null ? 0 : Block.fingerprint(r.traceId());
      keys[i] = r.logGroup();
      RecordCodec.log(out, r, res);
    }
    return new Frame(trimmed(out), offsets, times, fps, keys, res.defined(), firstSeq);
  }

  /**
   * A frame read back from the WAL: {@code payload} holds its bytes, {@code in} is positioned at its
   * first record; the records are decoded once to find their offsets. Returns the frame and its records.
   */
  static Frame replayedSpans(byte[] payload, Buf.In in, int n, List<SpanRecord> out) {
    int[] offsets = new int[n];
    long[] times = new long[n];
    long[] fps = new long[n];
    String[] keys = new String[n];
    RecordCodec.Resources res = new RecordCodec.Resources();
    for (int i = 0; i < n; i++) {
      offsets[i] = in.position();
      SpanRecord s = RecordCodec.span(in, res);
      times[i] = s.startNanos();
      fps[i] = Block.fingerprint(s.traceId());
      keys[i] = s.serviceName();
      out.add(s);
    }
    return new Frame(payload, offsets, times, fps, keys, res.defined(), 0);
  }

  /** As {@link #replayedSpans}, for log records. */
  static Frame replayedLogs(byte[] payload, Buf.In in, int n, long firstSeq) {
    int[] offsets = new int[n];
    long[] times = new long[n];
    long[] fps = new long[n];
    String[] keys = new String[n];
    RecordCodec.Resources res = new RecordCodec.Resources();
    for (int i = 0; i < n; i++) {
      offsets[i] = in.position();
      LogRecord r = RecordCodec.log(in, res);
      times[i] = r.timeNanos();
      fps[i] = r.traceId() == null ? 0 : Block.fingerprint(r.traceId());
      keys[i] = r.logGroup();
    }
    return new Frame(payload, offsets, times, fps, keys, res.defined(), firstSeq);
  }

  /** The payload's bytes; a copy only when the buffer is much larger than its content. */
  private static byte[] trimmed(Buf.Out out) {
    return out.bytes.length - out.size > out.size / 4 ? Arrays.copyOf(out.bytes, out.size) : out.bytes;
  }

  int size() {
    return offsets.length;
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
