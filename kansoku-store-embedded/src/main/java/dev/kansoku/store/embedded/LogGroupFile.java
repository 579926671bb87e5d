package dev.kansoku.store.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.store.LogGroupEntries;
import dev.kansoku.store.LogGroupEntry;
import dev.kansoku.store.MemoryLogGroupEntries;
import dev.kansoku.store.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's log group entries: in memory, and in {@code log-groups.json} in the store's directory,
 * in the format Kansoku wrote before the catalog became a storage role (version 1, so a directory
 * written by an earlier build keeps its metadata):
 * <pre>
 *   {"version": 1, "lastTick": ns, "groups": {name: group}, "groupCutoffs": {name: ns},
 *    "streamCutoffs": {"group\u0000stream": ns}}
 * </pre>
 * where a group is {@link LogGroupEntry.Group#toMap()}.
 *
 * <p>Durability: a metadata change (group, stream, retention, deletion) returns after the whole file
 * was replaced atomically ({@link SmallFiles#replace}: temporary file, fsync, rename, directory
 * fsync), so it survives {@code kill -9} and power loss; when the disk refuses, the change is undone
 * and the caller gets a {@link StorageException}. Statistics are written with the next change at most
 * every {@link #STATS_SAVE_MILLIS} and on {@link #close()}: a crash may lose the last seconds of them.
 * Thread-safe: every change and write happens under the {@link MemoryLogGroupEntries} lock.
 */
final class LogGroupFile implements LogGroupEntries, MemoryLogGroupEntries.Sink {
  static final String NAME = "log-groups.json";
  static final long STATS_SAVE_MILLIS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(LogGroupFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Disk disk;
  private final Clock clock;
  private final Runnable ensureOpen;
  @Nullable private volatile MemoryLogGroupEntries entries;
  private volatile boolean dirty; // written under the entries' lock, as is lastSaveMillis
  private long lastSaveMillis;

  /** Does no I/O; {@code ensureOpen} opens the store, which {@link #load()}s this file. */
  LogGroupFile(Path directory, Disk disk, Clock clock, Runnable ensureOpen) {
    this.file = directory.resolve(NAME);
    this.disk = disk;
    this.clock = clock;
    this.ensureOpen = ensureOpen;
  }

  /** Reads the file, if any. */
  void load() throws IOException {
    Map<String, LogGroupEntry> read = Map.of();
    if (Files.exists(file)) {
      try {
        read = decode(JSON.readValue(file.toFile(), Map.class));
      } catch (IOException | RuntimeException e) {
        throw new IOException("log group metadata " + file + " is unreadable: " + e + " (move it away to start"
            + " without it: groups come back from the store's names, without their retention and deletions)", e);
      }
    }
    entries = new MemoryLogGroupEntries(read, this);
  }

  @Override
  public Optional<LogGroupEntry> get(String name) {
    return opened().get(name);
  }

  @Override
  public LogGroupEntry update(String name, UnaryOperator<LogGroupEntry> change, Change kind) {
    return opened().update(name, change, kind);
  }

  @Override
  public List<LogGroupEntry> existing() {
    return opened().existing();
  }

  void clear() {
    opened().clear();
  }

  /** Writes statistics not yet written; failures are logged (the groups themselves are on disk). */
  void close() {
    MemoryLogGroupEntries e = entries;
    if (e != null && dirty) {
      try {
        e.flush();
      } catch (StorageException ex) {
        LOG.warn("embedded store: the last log stream statistics are lost: {}", ex.getMessage());
      }
    }
  }

  private MemoryLogGroupEntries opened() {
    ensureOpen.run();
    return entries;
  }

  @Override
  public void changed(SortedMap<String, LogGroupEntry> all, Change kind) {
    long now = clock.millis();
    if (kind == Change.STATISTICS && now - lastSaveMillis < STATS_SAVE_MILLIS) {
      dirty = true;
      return;
    }
    try {
      SmallFiles.replace(disk, file, ByteBuffer.wrap(JSON.writeValueAsBytes(encode(all))));
      dirty = false;
      lastSaveMillis = now;
    } catch (IOException e) {
      if (kind == Change.METADATA) {
        throw new StorageException("embedded store: cannot write " + file + ": " + e, e);
      }
      dirty = true;
      LOG.warn("embedded store: writing log stream statistics to {} failed, tried again with the next change: {}",
          file, e.toString());
    }
  }

  private static Map<String, Object> encode(SortedMap<String, LogGroupEntry> all) {
    Map<String, Object> groups = new LinkedHashMap<>();
    Map<String, Object> groupCutoffs = new LinkedHashMap<>();
    Map<String, Object> streamCutoffs = new LinkedHashMap<>();
    long lastTick = 0;
    for (LogGroupEntry e : all.values()) {
      if (e.group() != null) {
        groups.put(e.name(), e.group().toMap());
      }
      if (e.groupCutoffNanos() != 0) {
        groupCutoffs.put(e.name(), e.groupCutoffNanos());
      }
      e.streamCutoffNanos().forEach((s, c) -> streamCutoffs.put(e.name() + '\0' + s, c));
      lastTick = Math.max(lastTick, e.latestCutoffNanos());
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1);
    root.put("lastTick", lastTick); // read by earlier builds: their clock must pass every cutoff
    root.put("groups", groups);
    root.put("groupCutoffs", groupCutoffs);
    root.put("streamCutoffs", streamCutoffs);
    return root;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, LogGroupEntry> decode(Map<String, Object> root) {
    if (!Integer.valueOf(1).equals(root.get("version"))) {
      throw new IllegalArgumentException("version " + root.get("version") + " (expected 1)");
    }
    Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) root.getOrDefault("groups", Map.of());
    Map<String, Number> groupCutoffs = (Map<String, Number>) root.getOrDefault("groupCutoffs", Map.of());
    Map<String, Map<String, Long>> streamCutoffs = new TreeMap<>();
    ((Map<String, Number>) root.getOrDefault("streamCutoffs", Map.of())).forEach((key, c) -> {
      int at = key.indexOf('\0');
      if (at < 0) {
        throw new IllegalArgumentException("streamCutoffs: key '" + key + "' (expected group\\u0000stream)");
      }
      streamCutoffs.computeIfAbsent(key.substring(0, at), g -> new TreeMap<>()).put(key.substring(at + 1),
          c.longValue());
    });
    Map<String, LogGroupEntry> out = new TreeMap<>();
    Set<String> names = new TreeSet<>(groups.keySet());
    names.addAll(groupCutoffs.keySet());
    names.addAll(streamCutoffs.keySet());
    for (String name : names) {
      Map<String, Object> g = groups.get(name);
      Number cutoff = groupCutoffs.get(name);
      out.put(name, new LogGroupEntry(name, g == null ? null : LogGroupEntry.Group.fromMap(name, g),
          cutoff == null ? 0 : cutoff.longValue(), streamCutoffs.getOrDefault(name, Map.of())));
    }
    return out;
  }

  @Override
  public String toString() {
    return "LogGroupFile{" + file + "}";
  }
}
