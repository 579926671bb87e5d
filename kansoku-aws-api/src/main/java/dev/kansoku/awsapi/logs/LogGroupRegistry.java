package dev.kansoku.awsapi.logs;

import dev.kansoku.store.LogGroupCatalog;
import dev.kansoku.store.LogGroupEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * CloudWatch Logs' view of the store's {@link LogGroupCatalog} (creation times, retention, stream
 * statistics, deletions), which lives where the store keeps its data: in memory, in the embedded
 * store's directory, or in an OpenSearch index every query node shares. This class holds no metadata
 * of its own: every answer is read from the catalog, so a change made through another node is seen by
 * the next request. It turns the catalog's refusals into the answers the handlers test (false, null,
 * -1) and keeps the ingestion clock.
 *
 * <p>The store cannot delete one group's records, so deleting a group or stream records a cutoff in
 * ingestion time, and {@link #visible} hides what was ingested before it. {@code visible} runs once per
 * record, so it answers from the group's entry as this registry last read it: each request reads its
 * groups first ({@link #hasGroup} and the like), so that is the entry of the request's start.
 * Thread-safe.
 */
final class LogGroupRegistry {
  /** Entries kept for {@link #visible}; one per group name a request read, the least recent dropped. */
  private static final int SEEN_ENTRIES = 10_000;

  /** A snapshot of a group. */
  record GroupInfo(String name, long creationTimeMillis, @Nullable Integer retentionInDays, long storedBytes) {}

  /** A snapshot of a stream. */
  record StreamInfo(String name, long creationTimeMillis, @Nullable Long firstEventTimestamp,
      @Nullable Long lastEventTimestamp, @Nullable Long lastIngestionTime, long sequence, long storedBytes) {}

  private final LogGroupCatalog catalog;
  private final Object lock = new Object();
  private long lastTick; // guarded by lock
  private final Map<String, LogGroupEntry> seen = new LinkedHashMap<>(16, 0.75f, true) { // guarded by lock
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, LogGroupEntry> eldest) {
      return size() > SEEN_ENTRIES;
    }
  };

  LogGroupRegistry(LogGroupCatalog catalog) {
    this.catalog = catalog;
  }

  /** Creates the group; false when it exists. */
  boolean createGroup(String name, long nowMillis) {
    try {
      observe(catalog.createGroup(name, nowMillis));
      return true;
    } catch (LogGroupCatalog.AlreadyExistsException e) {
      return false;
    }
  }

  /** Creates the stream; null when the group is missing, false when the stream exists. */
  @Nullable
  Boolean createStream(String group, String stream, long nowMillis) {
    try {
      observe(catalog.createStream(group, stream, nowMillis));
      return true;
    } catch (LogGroupCatalog.NotFoundException e) {
      return null;
    } catch (LogGroupCatalog.AlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Deletes the group. Its streams, the catalog's and {@code storeStreams} (the store's names), get
   * the same cutoff, so that a group created again under the name does not adopt its old streams.
   */
  boolean deleteGroup(String name, List<String> storeStreams) {
    try {
      observe(catalog.deleteGroup(name, tickNanos(), storeStreams));
      return true;
    } catch (LogGroupCatalog.NotFoundException e) {
      return false;
    }
  }

  boolean deleteStream(String group, String stream) {
    try {
      observe(catalog.deleteStream(group, stream, tickNanos()));
      return true;
    } catch (LogGroupCatalog.NotFoundException e) {
      return false;
    }
  }

  boolean hasGroup(String name) {
    return group(name) != null;
  }

  boolean hasStream(String group, String stream) {
    LogGroupEntry.Group g = group(group);
    return g != null && g.streams().containsKey(stream);
  }

  /** False when the group is missing. {@code days} null removes the policy. */
  boolean setRetention(String group, @Nullable Integer days) {
    try {
      observe(catalog.putRetention(group, days));
      return true;
    } catch (LogGroupCatalog.NotFoundException e) {
      return false;
    }
  }

  @Nullable
  Integer retention(String group) {
    LogGroupEntry.Group g = group(group);
    return g == null ? null : g.retentionInDays();
  }

  /**
   * Records an accepted batch on the stream and returns the stream's new sequence number (for the
   * deprecated nextSequenceToken), or -1 when the group or stream vanished meanwhile.
   */
  long recordPut(String group, String stream, long firstTs, long lastTs, long bytes, long nowMillis) {
    try {
      return observe(catalog.recordPut(group, stream, firstTs, lastTs, bytes, nowMillis)).group().streams()
          .get(stream).sequence();
    } catch (LogGroupCatalog.NotFoundException e) {
      return -1;
    }
  }

  /**
   * Adds groups and streams the store knows but the catalog does not (OTLP logs, a restart).
   * Names deleted through the API are not brought back: their old records are hidden anyway.
   */
  void adopt(String group, List<String> streams, long nowMillis) {
    observe(catalog.adopt(group, streams, nowMillis));
  }

  List<GroupInfo> groups() {
    List<GroupInfo> out = new ArrayList<>();
    for (LogGroupEntry.Group g : catalog.groups()) {
      out.add(new GroupInfo(g.name(), g.creationTimeMillis(), g.retentionInDays(), g.storedBytes()));
    }
    return out;
  }

  @Nullable
  List<StreamInfo> streams(String group) {
    LogGroupEntry.Group g = group(group);
    if (g == null) {
      return null;
    }
    List<StreamInfo> out = new ArrayList<>(g.streams().size());
    for (LogGroupEntry.Stream s : g.streams().values()) {
      out.add(new StreamInfo(s.name(), s.creationTimeMillis(), s.firstEventTimestamp(), s.lastEventTimestamp(),
          s.lastIngestionTime(), s.sequence(), s.storedBytes()));
    }
    return out;
  }

  /**
   * A strictly increasing wall clock in epoch nanoseconds, used for ingestion times and delete
   * cutoffs. It also passes every cutoff read from the catalog, so a record put after a group was
   * deleted and created again (within one millisecond, or through a node whose clock is behind) is
   * ingested after the cutoff and stays visible.
   */
  long tickNanos() {
    Instant now = Instant.now();
    synchronized (lock) {
      lastTick = Math.max(lastTick + 1, now.getEpochSecond() * 1_000_000_000L + now.getNano());
      return lastTick;
    }
  }

  /** Whether a record ingested at {@code ingestionNanos} is still visible (not under a delete cutoff). */
  boolean visible(String group, String stream, long ingestionNanos) {
    LogGroupEntry e;
    synchronized (lock) {
      e = seen.get(group);
    }
    if (e == null) {
      e = read(group).orElse(null);
    }
    return e == null || e.visible(stream, ingestionNanos);
  }

  @Nullable
  private LogGroupEntry.Group group(String name) {
    return read(name).map(LogGroupEntry::group).orElse(null);
  }

  private Optional<LogGroupEntry> read(String name) {
    Optional<LogGroupEntry> e = catalog.entry(name);
    e.ifPresent(this::observe);
    return e;
  }

  /** Remembers the entry for {@link #visible} and moves the clock past its cutoffs. */
  private LogGroupEntry observe(LogGroupEntry e) {
    synchronized (lock) {
      seen.put(e.name(), e);
      lastTick = Math.max(lastTick, e.latestCutoffNanos());
    }
    return e;
  }
}
