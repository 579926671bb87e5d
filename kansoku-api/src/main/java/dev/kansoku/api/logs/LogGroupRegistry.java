package dev.kansoku.api.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * CloudWatch's log group and stream metadata (creation time, retention, sequence tokens, stored
 * bytes), which the store SPI does not hold. In memory: it is rebuilt lazily from the store's names
 * after a restart, so groups that only ever arrived through OTLP are listed too.
 *
 * <p>The store cannot delete one group's records, so deleting a group or stream records a cutoff in
 * ingestion time: records ingested before it stay invisible, also after the name is created again.
 * Thread-safe: every method holds the registry's monitor (the maps are small and calls are short).
 */
final class LogGroupRegistry {
  /** A snapshot of a group, safe to read outside the lock. */
  record GroupInfo(String name, long creationTimeMillis, @Nullable Integer retentionInDays, long storedBytes) {}

  /** A snapshot of a stream. */
  record StreamInfo(String name, long creationTimeMillis, @Nullable Long firstEventTimestamp,
      @Nullable Long lastEventTimestamp, @Nullable Long lastIngestionTime, long sequence, long storedBytes) {}

  private static final class Group {
    final long creationTime;
    Integer retentionInDays;
    long storedBytes;
    final TreeMap<String, Stream> streams = new TreeMap<>();

    Group(long creationTime) {
      this.creationTime = creationTime;
    }
  }

  private static final class Stream {
    final long creationTime;
    Long first;
    Long last;
    Long lastIngestion;
    long sequence;
    long storedBytes;

    Stream(long creationTime) {
      this.creationTime = creationTime;
    }
  }

  private final TreeMap<String, Group> groups = new TreeMap<>();
  private long lastTick;
  /** Group name → ingestion-time cutoff (ns, from {@link #tickNanos}); records at or before it are hidden. */
  private final Map<String, Long> groupCutoffs = new HashMap<>();
  /** group + '\0' + stream → cutoff, as above. */
  private final Map<String, Long> streamCutoffs = new HashMap<>();

  /** Creates the group; false when it exists. */
  synchronized boolean createGroup(String name, long nowMillis) {
    if (groups.containsKey(name)) {
      return false;
    }
    groups.put(name, new Group(nowMillis));
    return true;
  }

  /** Creates the stream; null when the group is missing, false when the stream exists. */
  @Nullable
  synchronized Boolean createStream(String group, String stream, long nowMillis) {
    Group g = groups.get(group);
    if (g == null) {
      return null;
    }
    if (g.streams.containsKey(stream)) {
      return false;
    }
    g.streams.put(stream, new Stream(nowMillis));
    return true;
  }

  synchronized boolean deleteGroup(String name) {
    if (groups.remove(name) == null) {
      return false;
    }
    groupCutoffs.put(name, tickNanos());
    return true;
  }

  synchronized boolean deleteStream(String group, String stream) {
    Group g = groups.get(group);
    if (g == null || g.streams.remove(stream) == null) {
      return false;
    }
    streamCutoffs.put(group + '\0' + stream, tickNanos());
    return true;
  }

  synchronized boolean hasGroup(String name) {
    return groups.containsKey(name);
  }

  synchronized boolean hasStream(String group, String stream) {
    Group g = groups.get(group);
    return g != null && g.streams.containsKey(stream);
  }

  /** False when the group is missing. {@code days} null removes the policy. */
  synchronized boolean setRetention(String group, @Nullable Integer days) {
    Group g = groups.get(group);
    if (g == null) {
      return false;
    }
    g.retentionInDays = days;
    return true;
  }

  @Nullable
  synchronized Integer retention(String group) {
    Group g = groups.get(group);
    return g == null ? null : g.retentionInDays;
  }

  /**
   * Records an accepted batch on the stream and returns the stream's new sequence number (for the
   * deprecated nextSequenceToken), or -1 when the group or stream vanished meanwhile.
   */
  synchronized long recordPut(String group, String stream, long firstTs, long lastTs, long bytes, long nowMillis) {
    Group g = groups.get(group);
    Stream s = g == null ? null : g.streams.get(stream);
    if (s == null) {
      return -1;
    }
    g.storedBytes += bytes;
    s.storedBytes += bytes;
    s.first = s.first == null ? firstTs : Math.min(s.first, firstTs);
    s.last = s.last == null ? lastTs : Math.max(s.last, lastTs);
    s.lastIngestion = nowMillis;
    return ++s.sequence;
  }

  /**
   * Adds groups and streams the store knows but the registry does not (OTLP logs, a restart).
   * Names deleted through the API are not brought back: their old records are hidden anyway.
   */
  synchronized void adopt(String group, List<String> streams, long nowMillis) {
    if (groupCutoffs.containsKey(group) && !groups.containsKey(group)) {
      return;
    }
    Group g = groups.computeIfAbsent(group, k -> new Group(nowMillis));
    for (String s : streams) {
      if (!streamCutoffs.containsKey(group + '\0' + s)) {
        g.streams.computeIfAbsent(s, k -> new Stream(nowMillis));
      }
    }
  }

  synchronized List<GroupInfo> groups() {
    List<GroupInfo> out = new ArrayList<>(groups.size());
    groups.forEach((n, g) -> out.add(new GroupInfo(n, g.creationTime, g.retentionInDays, g.storedBytes)));
    return out;
  }

  @Nullable
  synchronized List<StreamInfo> streams(String group) {
    Group g = groups.get(group);
    if (g == null) {
      return null;
    }
    List<StreamInfo> out = new ArrayList<>(g.streams.size());
    g.streams.forEach((n, s) -> out.add(new StreamInfo(n, s.creationTime, s.first, s.last, s.lastIngestion,
        s.sequence, s.storedBytes)));
    return out;
  }

  /**
   * A strictly increasing wall clock in epoch nanoseconds, used for ingestion times and delete
   * cutoffs, so a group deleted and created again within one millisecond still hides only the old
   * records.
   */
  synchronized long tickNanos() {
    java.time.Instant now = java.time.Instant.now();
    lastTick = Math.max(lastTick + 1, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    return lastTick;
  }

  /** Whether a record ingested at {@code ingestionNanos} is still visible (not under a delete cutoff). */
  synchronized boolean visible(String group, String stream, long ingestionNanos) {
    Long gc = groupCutoffs.get(group);
    if (gc != null && ingestionNanos <= gc) {
      return false;
    }
    Long sc = streamCutoffs.isEmpty() ? null : streamCutoffs.get(group + '\0' + stream);
    return sc == null || ingestionNanos > sc;
  }
}
