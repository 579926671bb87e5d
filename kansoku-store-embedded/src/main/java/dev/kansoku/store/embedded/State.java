package dev.kansoku.store.embedded;

import java.util.ArrayList;
import java.util.List;

/**
 * The store's shape at one moment, what a query reads: the current head, heads waiting for their
 * blocks, and the blocks of each signal. Immutable lists, replaced whole; blocks and heads oldest first.
 */
record State(Head current, List<Head> frozen, List<Block> spans, List<Block> logs, List<Block> metrics) {
  List<Head> heads() {
    List<Head> h = new ArrayList<>(frozen);
    h.add(current);
    return h;
  }

  State with(Head current, List<Head> frozen) {
    return new State(current, frozen, spans, logs, metrics);
  }
}
