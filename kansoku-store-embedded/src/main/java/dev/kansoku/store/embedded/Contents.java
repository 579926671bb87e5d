package dev.kansoku.store.embedded;

import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the store holds now, shared by its roles: the {@link State} queries read (swapped whole under
 * {@link #lock}, so queries never block writers), the retention floor, and decoded row groups behind
 * a small cache. Thread-safe.
 */
final class Contents {
  /** Guards every change of {@link #state} and {@link #floor}; waited on by writers held back by a flush. */
  final Object lock = new Object();
  private volatile State state;
  /** Records older than this (ns) are deleted: queries skip them, writes drop them. */
  volatile long floor = Long.MIN_VALUE;
  final GroupCache cache = new GroupCache(32);

  /** The current shape; null before the store is opened. */
  State state() {
    return state;
  }

  /** Replaces the shape. Holds {@link #lock}. */
  void set(State s) {
    state = s;
  }

  /** Applies a change under the lock and wakes writers waiting for room. */
  State update(UnaryOperator<State> change) {
    synchronized (lock) {
      state = change.apply(state);
      lock.notifyAll();
      return state;
    }
  }

  @SuppressWarnings("unchecked")
  List<SpanRecord> spanGroup(Block b, int g) {
    return (List<SpanRecord>) cache.get(b, g, () -> Columns.spans(b.group(g), b.groups[g].rows()));
  }

  @SuppressWarnings("unchecked")
  List<Head.StoredLog> logGroup(Block b, int g) {
    return (List<Head.StoredLog>) cache.get(b, g, () -> Columns.logs(b.group(g), b.groups[g].rows()));
  }

  @SuppressWarnings("unchecked")
  List<MetricPoint> pointGroup(Block b, int g) {
    return (List<MetricPoint>) cache.get(b, g, () -> {
      Buf.In in = b.group(g);
      List<MetricPoint> l = new ArrayList<>(b.groups[g].rows());
      for (int i = 0; i < b.groups[g].rows(); i++) {
        l.add(RecordCodec.point(in));
      }
      return l;
    });
  }

  private static long rowTime(Object row) {
    if (row instanceof SpanRecord s) {
      return s.startNanos();
    }
    if (row instanceof Head.StoredLog l) {
      return l.time();
    }
    return ((MetricPoint) row).timeNanos();
  }

  /** Rows of the block at or after {@code f}; decodes only groups straddling it. */
  long countVisible(Block b, long f) {
    long n = 0;
    for (int g = 0; g < b.groups.length; g++) {
      Block.Group gr = b.groups[g];
      if (gr.minTime() >= f) {
        n += gr.rows();
      } else if (gr.maxTime() >= f) {
        List<?> rows = b.kind == Block.KIND_SPANS ? spanGroup(b, g)
            : b.kind == Block.KIND_LOGS ? logGroup(b, g) : pointGroup(b, g);
        for (Object r : rows) {
          if (rowTime(r) >= f) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /** Counts a block's rows against the current floor (a new block, or one read on open). */
  void countVisible(Block b) {
    long f = floor;
    b.visibleRows = countVisible(b, f);
    b.visibleFloor = f;
  }
}
