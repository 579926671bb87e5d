package dev.kansoku.store;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a backend keeps {@link LogGroupEntry log group entries}: the part of the
 * {@link LogGroupCatalog} that differs per backend. {@link EntryLogGroupCatalog} puts the catalog's
 * rules on top, so every backend applies the same ones. Implementations are thread-safe.
 */
public interface LogGroupEntries {
  /** How soon a change must reach every reader and survive a crash. */
  enum Change {
    /** Groups, streams, retention, deletions: durable and visible to every reader before update returns. */
    METADATA,
    /** Per-put statistics: may be written within seconds (a crash may lose the last of them). */
    STATISTICS
  }

  Optional<LogGroupEntry> get(String name);

  /**
   * Replaces the entry of {@code name} by {@code change} applied to it ({@link LogGroupEntry#unused} when
   * there is none), atomically: no other change of the name comes between the read and the write. A
   * backend may apply {@code change} more than once (after a conflict), so it must be a pure function;
   * its exceptions propagate and nothing is written. When it returns its argument itself, nothing is
   * written.
   *
   * @return the entry now stored
   */
  LogGroupEntry update(String name, UnaryOperator<LogGroupEntry> change, Change kind);

  /** Every entry whose group exists, ordered by name. */
  List<LogGroupEntry> existing();
}
