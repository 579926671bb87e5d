package dev.kansoku.store;

import java.util.List;
import javax.annotation.Nullable;

/** One page of log search results; {@code nextPageToken} is null on the last page. */
public record LogPage(List<LogEntry> entries, @Nullable String nextPageToken) {
  public LogPage {
    entries = List.copyOf(entries);
  }
}
