package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * What {@link LogGroupCatalog} holds under one log group name: the group, when it exists, and the
 * deletion cutoffs recorded under the name, which outlive the group. Immutable; the changes
 * ({@code with…}) are pure functions returning a new entry, or this one when nothing changes, so every
 * backend applies the same rules and an optimistic backend may apply a change again after a conflict.
 *
 * <p>The store cannot delete one group's records, so deleting a group or stream records a cutoff in
 * ingestion time (epoch ns): records ingested at or before it stay invisible, also after the name is
 * created again. Cutoff 0 means none.
 *
 * @param streamCutoffNanos stream name → cutoff, for streams deleted one by one or with their group
 */
public record LogGroupEntry(String name, @Nullable Group group, long groupCutoffNanos,
    Map<String, Long> streamCutoffNanos) {

  /** A group's metadata; {@code streams} is sorted by name. */
  public record Group(String name, long creationTimeMillis, @Nullable Integer retentionInDays, long storedBytes,
      SortedMap<String, Stream> streams) {
    public Group {
      requireNonNull(name, "name");
      streams = Collections.unmodifiableSortedMap(new TreeMap<>(streams));
    }

    /** The plain form backends persist: {@code creationTime}, {@code retentionInDays}, {@code storedBytes}, {@code streams}. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("creationTime", creationTimeMillis);
      if (retentionInDays != null) {
        m.put("retentionInDays", retentionInDays);
      }
      m.put("storedBytes", storedBytes);
      Map<String, Object> ss = new LinkedHashMap<>();
      streams.forEach((n, s) -> ss.put(n, s.toMap()));
      m.put("streams", ss);
      return m;
    }

    /** The inverse of {@link #toMap()}; numbers may be of any {@link Number} type. */
    public static Group fromMap(String name, Map<String, ?> m) {
      SortedMap<String, Stream> streams = new TreeMap<>();
      map(m.get("streams")).forEach((n, s) -> streams.put(n, Stream.fromMap(n, map(s))));
      Number retention = (Number) m.get("retentionInDays");
      return new Group(name, number(m, "creationTime"), retention == null ? null : retention.intValue(),
          number(m, "storedBytes"), streams);
    }

    private Group withStreams(SortedMap<String, Stream> s) {
      return new Group(name, creationTimeMillis, retentionInDays, storedBytes, s);
    }
  }

  /**
   * A stream's metadata and the statistics of what was put into it (event times and ingestion time
   * in epoch ms; null before the first accepted event), {@code sequence} counting the puts.
   */
  public record Stream(String name, long creationTimeMillis, @Nullable Long firstEventTimestamp,
      @Nullable Long lastEventTimestamp, @Nullable Long lastIngestionTime, long sequence, long storedBytes) {
    public Stream {
      requireNonNull(name, "name");
    }

    static Stream created(String name, long creationTimeMillis) {
      return new Stream(name, creationTimeMillis, null, null, null, 0, 0);
    }

    /** The plain form backends persist (the key names of Kansoku's first {@code log-groups.json}). */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("creationTime", creationTimeMillis);
      if (firstEventTimestamp != null) {
        m.put("first", firstEventTimestamp);
        m.put("last", lastEventTimestamp);
        m.put("lastIngestion", lastIngestionTime);
      }
      m.put("sequence", sequence);
      m.put("storedBytes", storedBytes);
      return m;
    }

    public static Stream fromMap(String name, Map<String, ?> m) {
      boolean hasEvents = m.get("first") != null;
      return new Stream(name, number(m, "creationTime"), hasEvents ? number(m, "first") : null,
          hasEvents ? number(m, "last") : null, hasEvents ? number(m, "lastIngestion") : null,
          number(m, "sequence"), number(m, "storedBytes"));
    }
  }

  public LogGroupEntry {
    requireNonNull(name, "name");
    streamCutoffNanos = Map.copyOf(streamCutoffNanos);
  }

  /** The entry of a name never used. */
  public static LogGroupEntry unused(String name) {
    return new LogGroupEntry(name, null, 0, Map.of());
  }

  public boolean exists() {
    return group != null;
  }

  /** Whether a record of {@code stream} ingested at {@code ingestionNanos} is visible (under no cutoff). */
  public boolean visible(String stream, long ingestionNanos) {
    return ingestionNanos > groupCutoffNanos && ingestionNanos > streamCutoffNanos.getOrDefault(stream, 0L);
  }

  /** The latest cutoff recorded under the name (0 when none). */
  public long latestCutoffNanos() {
    long max = groupCutoffNanos;
    for (long c : streamCutoffNanos.values()) {
      max = Math.max(max, c);
    }
    return max;
  }

  /** The plain form backends persist: {@code group} (absent when deleted), {@code cutoff}, {@code streamCutoffs}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (group != null) {
      m.put("group", group.toMap());
    }
    if (groupCutoffNanos != 0) {
      m.put("cutoff", groupCutoffNanos);
    }
    m.put("streamCutoffs", new TreeMap<>(streamCutoffNanos));
    return m;
  }

  public static LogGroupEntry fromMap(String name, Map<String, ?> m) {
    Object g = m.get("group");
    Map<String, Long> cutoffs = new TreeMap<>();
    map(m.get("streamCutoffs")).forEach((s, c) -> cutoffs.put(s, ((Number) c).longValue()));
    return new LogGroupEntry(name, g == null ? null : Group.fromMap(name, map(g)), number(m, "cutoff"), cutoffs);
  }

  // ---- changes: each checks what CloudWatch Logs checks and throws the catalog's exceptions

  LogGroupEntry withGroupCreated(long creationTimeMillis) {
    if (group != null) {
      throw new LogGroupCatalog.AlreadyExistsException(name, null);
    }
    return withGroup(new Group(name, creationTimeMillis, null, 0, new TreeMap<>()));
  }

  LogGroupEntry withStreamCreated(String stream, long creationTimeMillis) {
    Group g = existing();
    if (g.streams().containsKey(stream)) {
      throw new LogGroupCatalog.AlreadyExistsException(name, stream);
    }
    SortedMap<String, Stream> streams = new TreeMap<>(g.streams());
    streams.put(stream, Stream.created(stream, creationTimeMillis));
    return withGroup(g.withStreams(streams));
  }

  /**
   * The group goes; its streams, and {@code moreStreams} (the store's names for it), get the group's
   * cutoff, so that a group created again under the name does not adopt its old streams. The cutoff is
   * at least the latest ingestion recorded in the group, so a put acknowledged by a node whose clock is
   * ahead is hidden as well.
   */
  LogGroupEntry withGroupDeleted(long cutoffNanos, Collection<String> moreStreams) {
    Group g = existing();
    long cutoff = cutoffNanos;
    for (Stream s : g.streams().values()) {
      cutoff = Math.max(cutoff, ingestedBefore(s));
    }
    Map<String, Long> cutoffs = new TreeMap<>(streamCutoffNanos);
    for (String s : g.streams().keySet()) {
      cutoffs.put(s, cutoff);
    }
    for (String s : moreStreams) {
      cutoffs.put(s, cutoff);
    }
    return new LogGroupEntry(name, null, cutoff, cutoffs);
  }

  LogGroupEntry withStreamDeleted(String stream, long cutoffNanos) {
    Group g = existing();
    Stream s = g.streams().get(stream);
    if (s == null) {
      throw new LogGroupCatalog.NotFoundException(name, stream);
    }
    SortedMap<String, Stream> streams = new TreeMap<>(g.streams());
    streams.remove(stream);
    Map<String, Long> cutoffs = new TreeMap<>(streamCutoffNanos);
    cutoffs.put(stream, Math.max(cutoffNanos, ingestedBefore(s)));
    return new LogGroupEntry(name, g.withStreams(streams), groupCutoffNanos, cutoffs);
  }

  LogGroupEntry withRetention(@Nullable Integer retentionInDays) {
    Group g = existing();
    return withGroup(new Group(name, g.creationTimeMillis(), retentionInDays, g.storedBytes(), g.streams()));
  }

  /**
   * Adds an accepted batch to the stream's statistics; {@code firstTimestamp > lastTimestamp} (a batch
   * whose events were all rejected) leaves the event times alone but still counts as a put.
   */
  LogGroupEntry withPut(String stream, long firstTimestamp, long lastTimestamp, long bytes, long ingestionMillis) {
    Group g = existing();
    Stream s = g.streams().get(stream);
    if (s == null) {
      throw new LogGroupCatalog.NotFoundException(name, stream);
    }
    Long first = s.firstEventTimestamp();
    Long last = s.lastEventTimestamp();
    if (firstTimestamp <= lastTimestamp) {
      first = first == null ? firstTimestamp : Math.min(first, firstTimestamp);
      last = last == null ? lastTimestamp : Math.max(last, lastTimestamp);
    }
    SortedMap<String, Stream> streams = new TreeMap<>(g.streams());
    streams.put(stream, new Stream(stream, s.creationTimeMillis(), first, last, ingestionMillis, s.sequence() + 1,
        s.storedBytes() + bytes));
    return withGroup(new Group(name, g.creationTimeMillis(), g.retentionInDays(), g.storedBytes() + bytes, streams));
  }

  /**
   * Adds the group and streams the store knows but the catalog does not (OTLP logs, metadata lost).
   * Names deleted through the API are not brought back: their old records are hidden anyway.
   */
  LogGroupEntry withAdopted(Collection<String> streams, long creationTimeMillis) {
    if (group == null && groupCutoffNanos != 0) {
      return this;
    }
    Group g = group != null ? group : new Group(name, creationTimeMillis, null, 0, new TreeMap<>());
    SortedMap<String, Stream> all = new TreeMap<>(g.streams());
    for (String s : streams) {
      if (!streamCutoffNanos.containsKey(s) && !all.containsKey(s)) {
        all.put(s, Stream.created(s, creationTimeMillis));
      }
    }
    return group != null && all.size() == g.streams().size() ? this : withGroup(g.withStreams(all));
  }

  private Group existing() {
    if (group == null) {
      throw new LogGroupCatalog.NotFoundException(name, null);
    }
    return group;
  }

  private LogGroupEntry withGroup(Group g) {
    return new LogGroupEntry(name, g, groupCutoffNanos, streamCutoffNanos);
  }

  /** The last nanosecond of the stream's latest recorded ingestion millisecond (0 when none). */
  private static long ingestedBefore(Stream s) {
    return s.lastIngestionTime() == null ? 0 : (s.lastIngestionTime() + 1) * 1_000_000L - 1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> map(@Nullable Object o) {
    return o == null ? Map.of() : (Map<String, ?>) o;
  }

  private static long number(Map<String, ?> m, String key) {
    Object v = m.get(key);
    return v == null ? 0 : ((Number) v).longValue();
  }
}
