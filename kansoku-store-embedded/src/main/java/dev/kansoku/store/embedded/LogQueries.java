package dev.kansoku.store.embedded;

import static java.util.Objects.requireNonNull;

import dev.kansoku.store.LogCursor;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogPage;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.LogSearch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Log search: by trace id through the blocks' trace index, else by time, reading row groups in query
 * order and skipping those whose word blooms cannot hold the query's terms; a page is the first
 * {@code limit} matches in order, with a cursor for the next. Thread-safe.
 */
final class LogQueries implements LogSearch {
  private final Contents contents;
  private final Supplier<State> opened;

  /** {@code opened} gives the current state, opening the store first. */
  LogQueries(Contents contents, Supplier<State> opened) {
    this.contents = contents;
    this.opened = opened;
  }

  @Override
  public LogPage search(LogQuery q) {
    requireNonNull(q, "query");
    LogCursor cursor = q.pageToken() == null ? null : LogCursor.decode(q.pageToken());
    State st = opened.get();
    long f = contents.floor;
    boolean oldestFirst = q.order() == LogQuery.Order.OLDEST_FIRST;
    Comparator<Head.StoredLog> order = oldestFirst ? Head.LOG_ORDER : Head.LOG_ORDER.reversed();
    // Keeps the first limit+1 matches in query order: a max-heap by that order, bounded.
    PriorityQueue<Head.StoredLog> best = new PriorityQueue<>(q.limit() + 2, order.reversed());
    Consumer<Head.StoredLog> offer = s -> {
      if (s.time() < f || !q.matches(s.record())) {
        return;
      }
      if (cursor != null && !cursor.isBefore(s.time(), s.seq(), q.order())) {
        return;
      }
      if (best.size() <= q.limit()) {
        best.add(s);
      } else if (order.compare(s, best.peek()) < 0) {
        best.poll();
        best.add(s);
      }
    };
    long lo = Math.max(q.startNanos(), f);
    if (q.traceId() != null) {
      for (Block b : st.logs()) {
        if (!b.overlaps(lo, q.endNanos())) {
          continue;
        }
        for (int g : b.groupsOf(q.traceId())) {
          contents.logGroup(b, g).forEach(offer);
        }
      }
      for (Head h : st.heads()) {
        List<Head.StoredLog> l = new ArrayList<>();
        h.logsOf(q.traceId(), l);
        l.forEach(offer);
      }
    } else {
      long[] words = Words.required(q.text());
      // On a later page, only records on the unread side of the cursor (or at its time) can be offered.
      long headLo = cursor != null && oldestFirst ? Math.max(lo, cursor.timeNanos()) : lo;
      long headHi = cursor != null && !oldestFirst ? Math.min(q.endNanos(), cursor.timeNanos() + 1) : q.endNanos();
      for (Head h : st.heads()) {
        h.forEachLog(headLo, headHi, offer);
      }
      // Groups in query order: once the page is full, a group wholly behind its last entry cannot
      // change it, nor can any group after it (a newest-first search of an hour reads the last minutes).
      List<int[]> groups = new ArrayList<>();
      List<Block> blocks = st.logs();
      for (int bi = 0; bi < blocks.size(); bi++) {
        Block b = blocks.get(bi);
        if (!b.overlaps(lo, q.endNanos())) {
          continue;
        }
        for (int g = 0; g < b.groups.length; g++) {
          Block.Group gr = b.groups[g];
          if (gr.maxTime() >= lo && gr.minTime() < q.endNanos()) {
            groups.add(new int[] {bi, g});
          }
        }
      }
      Comparator<int[]> groupOrder = oldestFirst
          ? Comparator.comparingLong(x -> blocks.get(x[0]).groups[x[1]].minTime())
          : Comparator.comparingLong((int[] x) -> blocks.get(x[0]).groups[x[1]].maxTime()).reversed();
      groups.sort(groupOrder);
      for (int[] x : groups) {
        Block b = blocks.get(x[0]);
        Block.Group gr = b.groups[x[1]];
        if (best.size() > q.limit()
            && (oldestFirst ? gr.minTime() > best.peek().time() : gr.maxTime() < best.peek().time())) {
          break;
        }
        // A later page: a group wholly on the read side of the cursor has nothing left to give.
        boolean behindCursor = cursor != null
            && (oldestFirst ? gr.maxTime() < cursor.timeNanos() : gr.minTime() > cursor.timeNanos());
        if (!behindCursor && b.mayContain(x[1], words)) {
          contents.logGroup(b, x[1]).forEach(offer);
        }
      }
    }
    List<Head.StoredLog> page = new ArrayList<>(best);
    page.sort(order);
    String token = null;
    if (page.size() > q.limit()) {
      page = page.subList(0, q.limit());
      Head.StoredLog last = page.get(page.size() - 1);
      token = new LogCursor(last.time(), last.seq()).encode();
    }
    List<LogEntry> entries = new ArrayList<>(page.size());
    for (Head.StoredLog s : page) {
      entries.add(new LogEntry(Long.toString(s.seq()), s.record()));
    }
    return new LogPage(entries, token);
  }
}
