package dev.kansoku.contrib.filterprocessor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Copy-on-change filtering of the immutable OTLP lists: a list nothing was dropped from or changed in is returned as is. */
final class Pruning {
  private Pruning() {}

  /**
   * @param keep returns null to drop an item, the item itself to keep it, or a changed copy
   * @return {@code items} itself when {@code keep} returned every item unchanged
   */
  static <E> List<E> prune(List<E> items, UnaryOperator<E> keep) {
    List<E> out = null;
    for (int i = 0; i < items.size(); i++) {
      E e = items.get(i);
      E kept = keep.apply(e);
      if (kept != e && out == null) {
        out = new ArrayList<>(items.subList(0, i));
      }
      if (out != null && kept != null) {
        out.add(kept);
      }
    }
    return out == null ? items : out;
  }
}
