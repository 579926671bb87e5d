package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The {@link LogGroupCatalog} of every backend: the rules of {@link LogGroupEntry} applied through the
 * backend's {@link LogGroupEntries}. Thread-safe as the entries are.
 */
public final class EntryLogGroupCatalog implements LogGroupCatalog {
  private final LogGroupEntries entries;

  public EntryLogGroupCatalog(LogGroupEntries entries) {
    this.entries = requireNonNull(entries, "entries");
  }

  @Override
  public Optional<LogGroupEntry> entry(String group) {
    return entries.get(requireNonNull(group, "group"));
  }

  @Override
  public List<LogGroupEntry.Group> groups() {
    return entries.existing().stream().map(LogGroupEntry::group).toList();
  }

  @Override
  public LogGroupEntry createGroup(String group, long creationTimeMillis) {
    return metadata(group, e -> e.withGroupCreated(creationTimeMillis));
  }

  @Override
  public LogGroupEntry createStream(String group, String stream, long creationTimeMillis) {
    requireNonNull(stream, "stream");
    return metadata(group, e -> e.withStreamCreated(stream, creationTimeMillis));
  }

  @Override
  public LogGroupEntry deleteGroup(String group, long cutoffNanos, Collection<String> storeStreams) {
    List<String> streams = List.copyOf(storeStreams);
    return metadata(group, e -> e.withGroupDeleted(cutoffNanos, streams));
  }

  @Override
  public LogGroupEntry deleteStream(String group, String stream, long cutoffNanos) {
    requireNonNull(stream, "stream");
    return metadata(group, e -> e.withStreamDeleted(stream, cutoffNanos));
  }

  @Override
  public LogGroupEntry putRetention(String group, @Nullable Integer retentionInDays) {
    return metadata(group, e -> e.withRetention(retentionInDays));
  }

  @Override
  public LogGroupEntry recordPut(String group, String stream, long firstTimestamp, long lastTimestamp, long bytes,
      long ingestionMillis) {
    requireNonNull(stream, "stream");
    return entries.update(requireNonNull(group, "group"),
        e -> e.withPut(stream, firstTimestamp, lastTimestamp, bytes, ingestionMillis), LogGroupEntries.Change.STATISTICS);
  }

  @Override
  public LogGroupEntry adopt(String group, Collection<String> streams, long creationTimeMillis) {
    List<String> names = List.copyOf(streams);
    return metadata(group, e -> e.withAdopted(names, creationTimeMillis));
  }

  private LogGroupEntry metadata(String group, java.util.function.UnaryOperator<LogGroupEntry> change) {
    return entries.update(requireNonNull(group, "group"), change, LogGroupEntries.Change.METADATA);
  }

  @Override
  public String toString() {
    return "EntryLogGroupCatalog{" + entries + "}";
  }
}
