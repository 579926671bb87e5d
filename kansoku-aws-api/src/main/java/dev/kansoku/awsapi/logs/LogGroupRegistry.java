package dev.kansoku.awsapi.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudWatch's log group and stream metadata (creation time, retention, sequence tokens, stored
 * bytes), which the store SPI does not hold. Groups that only ever arrived through OTLP are adopted
 * from the store's names when first asked for.
 *
 * <p>The store cannot delete one group's records, so deleting a group or stream records a cutoff in
 * ingestion time: records ingested before it stay invisible, also after the name is created again.
 *
 * <p>With a file (embedded storage), the metadata survives restarts: every change of groups, streams,
 * retention or cutoffs is written at once (temporary file, fsync, atomic rename, directory fsync);
 * the per-put statistics (event times, sequence, stored bytes) at most every {@link #STATS_SAVE_MILLIS}
 * and on {@link #close}, so a crash may lose a few seconds of them but no group, stream or deletion.
 * Thread-safe: every method holds the registry's monitor (the maps are small and calls are short).
 */
final class LogGroupRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogGroupRegistry.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final long STATS_SAVE_MILLIS = 5_000;

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
  @Nullable private final Path file;
  private boolean statsDirty;
  private long lastSaveMillis;

  /** Metadata in memory only (memory storage). */
  LogGroupRegistry() {
    this.file = null;
  }

  /**
   * Metadata kept in {@code file}, read now when it exists.
   *
   * @throws UncheckedIOException when the file exists but cannot be read as this class wrote it
   */
  LogGroupRegistry(Path file) {
    this.file = file;
    if (Files.exists(file)) {
      try {
        load(JSON.readTree(file.toFile()));
      } catch (IOException | RuntimeException e) {
        throw new UncheckedIOException(new IOException("log group metadata " + file + " is unreadable: " + e
            + " (move it away to start without it: groups come back from the store's names, without their"
            + " retention and deletions)", e));
      }
    }
  }

  /** Creates the group; false when it exists. */
  synchronized boolean createGroup(String name, long nowMillis) {
    if (groups.containsKey(name)) {
      return false;
    }
    groups.put(name, new Group(nowMillis));
    save();
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
    save();
    return true;
  }

  /**
   * Deletes the group. Its streams, the registry's and {@code storeStreams} (the store's names), get
   * the same cutoff, so that a group created again under the name does not adopt its old streams.
   */
  synchronized boolean deleteGroup(String name, List<String> storeStreams) {
    Group g = groups.remove(name);
    if (g == null) {
      return false;
    }
    long cutoff = tickNanos();
    groupCutoffs.put(name, cutoff);
    for (String s : g.streams.keySet()) {
      streamCutoffs.put(name + '\0' + s, cutoff);
    }
    for (String s : storeStreams) {
      streamCutoffs.put(name + '\0' + s, cutoff);
    }
    save();
    return true;
  }

  synchronized boolean deleteStream(String group, String stream) {
    Group g = groups.get(group);
    if (g == null || g.streams.remove(stream) == null) {
      return false;
    }
    streamCutoffs.put(group + '\0' + stream, tickNanos());
    save();
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
    save();
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
    if (firstTs <= lastTs) { // a batch whose events were all rejected leaves the times alone
      s.first = s.first == null ? firstTs : Math.min(s.first, firstTs);
      s.last = s.last == null ? lastTs : Math.max(s.last, lastTs);
    }
    s.lastIngestion = nowMillis;
    s.sequence++;
    statsDirty = true;
    if (nowMillis - lastSaveMillis >= STATS_SAVE_MILLIS) {
      save();
    }
    return s.sequence;
  }

  /**
   * Adds groups and streams the store knows but the registry does not (OTLP logs, a restart).
   * Names deleted through the API are not brought back: their old records are hidden anyway.
   */
  synchronized void adopt(String group, List<String> streams, long nowMillis) {
    if (groupCutoffs.containsKey(group) && !groups.containsKey(group)) {
      return;
    }
    boolean changed = !groups.containsKey(group);
    Group g = groups.computeIfAbsent(group, k -> new Group(nowMillis));
    for (String s : streams) {
      if (!streamCutoffs.containsKey(group + '\0' + s) && !g.streams.containsKey(s)) {
        g.streams.put(s, new Stream(nowMillis));
        changed = true;
      }
    }
    if (changed) {
      save();
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

  /** Writes pending statistics; the registry stays usable. */
  @Override
  public synchronized void close() {
    if (statsDirty) {
      save();
    }
  }

  /** Writes everything to the file, atomically; a failure is logged and retried on the next change. */
  private void save() {
    if (file == null) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    root.put("lastTick", lastTick);
    ObjectNode gs = root.putObject("groups");
    groups.forEach((name, g) -> {
      ObjectNode o = gs.putObject(name);
      o.put("creationTime", g.creationTime);
      if (g.retentionInDays != null) {
        o.put("retentionInDays", g.retentionInDays);
      }
      o.put("storedBytes", g.storedBytes);
      ObjectNode ss = o.putObject("streams");
      g.streams.forEach((sn, st) -> {
        ObjectNode so = ss.putObject(sn);
        so.put("creationTime", st.creationTime);
        if (st.first != null) {
          so.put("first", st.first).put("last", st.last).put("lastIngestion", st.lastIngestion);
        }
        so.put("sequence", st.sequence).put("storedBytes", st.storedBytes);
      });
    });
    ObjectNode gc = root.putObject("groupCutoffs");
    groupCutoffs.forEach(gc::put);
    ObjectNode sc = root.putObject("streamCutoffs");
    streamCutoffs.forEach(sc::put);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(JSON.writeValueAsBytes(root)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        dir.force(true); // the rename itself must survive a power loss
      }
      statsDirty = false;
      lastSaveMillis = System.currentTimeMillis();
    } catch (IOException e) {
      log.warn("log group metadata: writing {} failed (kept in memory, written again on the next change): {}",
          file, e.toString());
    }
  }

  private void load(JsonNode root) {
    if (root.path("version").asInt() != 1) {
      throw new IllegalArgumentException("version " + root.path("version") + " (expected 1)");
    }
    lastTick = root.path("lastTick").asLong();
    root.path("groups").fields().forEachRemaining(ge -> {
      JsonNode go = ge.getValue();
      Group g = new Group(go.path("creationTime").asLong());
      g.retentionInDays = go.hasNonNull("retentionInDays") ? go.get("retentionInDays").asInt() : null;
      g.storedBytes = go.path("storedBytes").asLong();
      go.path("streams").fields().forEachRemaining(se -> {
        JsonNode so = se.getValue();
        Stream st = new Stream(so.path("creationTime").asLong());
        if (so.hasNonNull("first")) {
          st.first = so.get("first").asLong();
          st.last = so.get("last").asLong();
          st.lastIngestion = so.get("lastIngestion").asLong();
        }
        st.sequence = so.path("sequence").asLong();
        st.storedBytes = so.path("storedBytes").asLong();
        g.streams.put(se.getKey(), st);
      });
      groups.put(ge.getKey(), g);
    });
    root.path("groupCutoffs").fields().forEachRemaining(e -> groupCutoffs.put(e.getKey(), e.getValue().asLong()));
    root.path("streamCutoffs").fields().forEachRemaining(e -> streamCutoffs.put(e.getKey(), e.getValue().asLong()));
  }
}
