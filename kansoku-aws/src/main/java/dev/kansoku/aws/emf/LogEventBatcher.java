package dev.kansoku.aws.emf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts the events of one log stream into PutLogEvents requests within CloudWatch Logs' limits
 * (internal/aws/cwlogs pusher.go): at most 10,000 events and 1,048,576 bytes per request, counting
 * each event's UTF-8 message plus 26 bytes; events sorted by timestamp and one request spanning at
 * most 24 hours. An event above 256 KiB is truncated and ends with "[Truncated...]", as the
 * reference does. Stateless.
 */
final class LogEventBatcher {
  static final int PER_EVENT_HEADER_BYTES = 26;
  static final int MAX_EVENT_BYTES = 256 * 1024;
  static final int MAX_REQUEST_EVENTS = 10_000;
  static final int MAX_REQUEST_BYTES = 1024 * 1024;
  static final long MAX_SPAN_MILLIS = 24 * 3600 * 1000L;
  static final String TRUNCATED_SUFFIX = "[Truncated...]";

  private final int maxEvents;
  private final int maxRequestBytes;

  LogEventBatcher() {
    this(MAX_REQUEST_EVENTS, MAX_REQUEST_BYTES);
  }

  LogEventBatcher(int maxEvents, int maxRequestBytes) {
    this.maxEvents = maxEvents;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** One event as sent: the (possibly truncated) message and its size in the request. */
  record Entry(long timestampMs, String message, int bytes) {}

  /** The requests for {@code events} (all of one stream), in timestamp order. */
  List<List<Entry>> batches(List<EmfEvent> events) {
    List<Entry> entries = new ArrayList<>(events.size());
    for (EmfEvent e : events) {
      if (e.message().isEmpty()) {
        continue;
      }
      entries.add(entry(e.timestampMs(), e.message()));
    }
    // Stable: events of one timestamp keep their order.
    entries.sort(Comparator.comparingLong(Entry::timestampMs));
    List<List<Entry>> out = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    long bytes = 0;
    for (Entry e : entries) {
      boolean full = current.size() >= maxEvents || bytes + e.bytes > maxRequestBytes
          || !current.isEmpty() && e.timestampMs - current.get(0).timestampMs > MAX_SPAN_MILLIS;
      if (full) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(e);
      bytes += e.bytes;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  static Entry entry(long timestampMs, String message) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    if (utf8.length + PER_EVENT_HEADER_BYTES <= MAX_EVENT_BYTES) {
      return new Entry(timestampMs, message, utf8.length + PER_EVENT_HEADER_BYTES);
    }
    int keep = MAX_EVENT_BYTES - PER_EVENT_HEADER_BYTES - TRUNCATED_SUFFIX.length();
    // Go slices bytes; cut on a character boundary instead, so the message stays valid UTF-8.
    while (keep > 0 && (utf8[keep] & 0xC0) == 0x80) {
      keep--;
    }
    String truncated = new String(utf8, 0, keep, StandardCharsets.UTF_8) + TRUNCATED_SUFFIX;
    return new Entry(timestampMs, truncated, keep + TRUNCATED_SUFFIX.length() + PER_EVENT_HEADER_BYTES);
  }
}
