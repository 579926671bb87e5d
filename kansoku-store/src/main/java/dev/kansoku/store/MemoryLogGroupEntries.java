package dev.kansoku.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Log group entries in a sorted map under one lock: the in-memory store's, and the embedded store's
 * with a {@link Sink} that writes them to disk. Thread-safe; a change and its sink call happen under
 * the lock, so the sink sees changes in order.
 */
public final class MemoryLogGroupEntries implements LogGroupEntries {
  /** Persists the entries after a change; a refusal (exception) undoes the change and propagates. */
  public interface Sink {
    Sink NONE = (all, kind) -> { };

    /** {@code all} is a read-only view, valid during the call. */
    void changed(SortedMap<String, LogGroupEntry> all, Change kind);
  }

  private final Object lock = new Object();
  private final TreeMap<String, LogGroupEntry> entries; // guarded by lock
  private final Sink sink;

  public MemoryLogGroupEntries() {
    this(Map.of(), Sink.NONE);
  }

  public MemoryLogGroupEntries(Map<String, LogGroupEntry> initial, Sink sink) {
    this.entries = new TreeMap<>(initial);
    this.sink = sink;
  }

  @Override
  public Optional<LogGroupEntry> get(String name) {
    synchronized (lock) {
      return Optional.ofNullable(entries.get(name));
    }
  }

  @Override
  public LogGroupEntry update(String name, UnaryOperator<LogGroupEntry> change, Change kind) {
    synchronized (lock) {
      LogGroupEntry before = entries.get(name);
      LogGroupEntry current = before != null ? before : LogGroupEntry.unused(name);
      LogGroupEntry next = change.apply(current);
      if (next == current) {
        return current;
      }
      entries.put(name, next);
      try {
        sink.changed(Collections.unmodifiableSortedMap(entries), kind);
      } catch (RuntimeException e) {
        if (before == null) {
          entries.remove(name);
        } else {
          entries.put(name, before);
        }
        throw e;
      }
      return next;
    }
  }

  @Override
  public List<LogGroupEntry> existing() {
    synchronized (lock) {
      List<LogGroupEntry> out = new ArrayList<>();
      for (LogGroupEntry e : entries.values()) {
        if (e.exists()) {
          out.add(e);
        }
      }
      return out;
    }
  }

  /** Drops every entry (the sink is told, as of a metadata change). */
  public void clear() {
    synchronized (lock) {
      entries.clear();
      sink.changed(Collections.unmodifiableSortedMap(entries), Change.METADATA);
    }
  }

  /** Hands the entries to the sink again as a metadata change, so statistics it deferred are written now. */
  public void flush() {
    synchronized (lock) {
      sink.changed(Collections.unmodifiableSortedMap(entries), Change.METADATA);
    }
  }
}
