package dev.kansoku.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * CloudWatch Logs' metadata of log groups and streams, which the record roles do not hold: creation
 * times, retention policies, stream statistics and deletions (as ingestion-time cutoffs, see
 * {@link LogGroupEntry}). Groups that only ever arrived as records (OTLP logs) are {@link #adopt adopted}
 * from the store's {@link Names}.
 *
 * <p>Contract: every change of one name is atomic, also between processes sharing a backend (two
 * creates of one group: one succeeds, the other gets {@link AlreadyExistsException}); a change is
 * durable and visible to every reader of the backend when its method returns, except the per-put
 * statistics of {@link #recordPut}, which a backend may write within seconds (a crash may lose the
 * last of them, never a group, stream, policy or deletion). Thread-safe. Implementations cache
 * nothing another process could change: a read sees every change that returned before it.
 */
public interface LogGroupCatalog {
  /** The name's entry (its group if it exists, and its cutoffs); empty when the name was never used. */
  Optional<LogGroupEntry> entry(String group);

  /** Every existing group, ordered by name, with its streams. */
  List<LogGroupEntry.Group> groups();

  /** @throws AlreadyExistsException when the group exists */
  LogGroupEntry createGroup(String group, long creationTimeMillis);

  /** @throws NotFoundException for a missing group; {@link AlreadyExistsException} when the stream exists */
  LogGroupEntry createStream(String group, String stream, long creationTimeMillis);

  /**
   * Deletes the group; records of it ingested at or before {@code cutoffNanos} stay hidden, as do
   * records of {@code storeStreams} (the store's stream names of the group) if it is created again.
   *
   * @throws NotFoundException for a missing group
   */
  LogGroupEntry deleteGroup(String group, long cutoffNanos, Collection<String> storeStreams);

  /** @throws NotFoundException for a missing group or stream */
  LogGroupEntry deleteStream(String group, String stream, long cutoffNanos);

  /**
   * Sets the group's retention; null removes the policy.
   *
   * @throws NotFoundException for a missing group
   */
  LogGroupEntry putRetention(String group, @Nullable Integer retentionInDays);

  /**
   * Adds an accepted batch to the stream's statistics (event times in epoch ms; first &gt; last for a
   * batch whose events were all rejected) and counts the put in its sequence.
   *
   * @throws NotFoundException for a missing group or stream
   */
  LogGroupEntry recordPut(String group, String stream, long firstTimestamp, long lastTimestamp, long bytes,
      long ingestionMillis);

  /**
   * Creates the group and the streams that the store knows and the catalog does not; a name deleted
   * through the catalog is not brought back. Writes nothing when nothing is new.
   */
  LogGroupEntry adopt(String group, Collection<String> streams, long creationTimeMillis);

  /** A change refused for what exists: about the group, or about a stream when {@link #stream()} is set. */
  abstract class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String group;
    @Nullable private final String stream;

    RefusedException(String group, @Nullable String stream, String what) {
      super((stream == null ? "log group '" + group + "' " : "log stream '" + stream + "' of log group '" + group
          + "' ") + what);
      this.group = group;
      this.stream = stream;
    }

    public String group() {
      return group;
    }

    /** The stream the refusal is about; null when it is about the group. */
    @Nullable
    public String stream() {
      return stream;
    }
  }

  /** The log group (or the stream) does not exist. */
  final class NotFoundException extends RefusedException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String group, @Nullable String stream) {
      super(group, stream, "does not exist");
    }
  }

  /** The log group (or the stream) exists already. */
  final class AlreadyExistsException extends RefusedException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String group, @Nullable String stream) {
      super(group, stream, "already exists");
    }
  }
}
