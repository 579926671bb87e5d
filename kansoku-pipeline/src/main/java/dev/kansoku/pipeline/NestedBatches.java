package dev.kansoku.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Splits an OTLP request of the shape request → resources → scopes → items (spans, log records)
 * into requests of at most {@code max} items, keeping every item under its own resource and scope
 * and the order of everything. Resources and scopes without items are dropped.
 *
 * @param <Q> the request, {@code <R>} a resource entry, {@code <S>} a scope entry, {@code <I>} an item
 */
final class NestedBatches<Q, R, S, I> {
  private final Function<Q, List<R>> resources;
  private final Function<R, List<S>> scopes;
  private final Function<S, List<I>> items;
  private final BiFunction<R, List<S>, R> resourceWith;
  private final BiFunction<S, List<I>, S> scopeWith;
  private final Function<List<R>, Q> request;

  NestedBatches(Function<Q, List<R>> resources, Function<R, List<S>> scopes, Function<S, List<I>> items,
      BiFunction<R, List<S>, R> resourceWith, BiFunction<S, List<I>, S> scopeWith, Function<List<R>, Q> request) {
    this.resources = resources;
    this.scopes = scopes;
    this.items = items;
    this.resourceWith = resourceWith;
    this.scopeWith = scopeWith;
    this.request = request;
  }

  int count(Q req) {
    int n = 0;
    for (R r : resources.apply(req)) {
      for (S s : scopes.apply(r)) {
        n += items.apply(s).size();
      }
    }
    return n;
  }

  Q merge(List<Q> batches) {
    List<R> all = new ArrayList<>();
    batches.forEach(b -> all.addAll(resources.apply(b)));
    return request.apply(all);
  }

  List<Q> split(Q req, int max) {
    if (count(req) <= max) {
      return List.of(req);
    }
    List<Q> out = new ArrayList<>();
    List<R> batch = new ArrayList<>();
    int inBatch = 0;
    for (R r : resources.apply(req)) {
      List<S> scopeParts = new ArrayList<>();
      for (S s : scopes.apply(r)) {
        List<I> itemPart = new ArrayList<>();
        for (I item : items.apply(s)) {
          if (inBatch == max) {
            // Close the batch: the resource and scope go on in the next one.
            if (!itemPart.isEmpty()) {
              scopeParts.add(scopeWith.apply(s, itemPart));
              itemPart = new ArrayList<>();
            }
            if (!scopeParts.isEmpty()) {
              batch.add(resourceWith.apply(r, scopeParts));
              scopeParts = new ArrayList<>();
            }
            out.add(request.apply(batch));
            batch = new ArrayList<>();
            inBatch = 0;
          }
          itemPart.add(item);
          inBatch++;
        }
        if (!itemPart.isEmpty()) {
          scopeParts.add(scopeWith.apply(s, itemPart));
        }
      }
      if (!scopeParts.isEmpty()) {
        batch.add(resourceWith.apply(r, scopeParts));
      }
    }
    if (inBatch > 0) {
      out.add(request.apply(batch));
    }
    return out;
  }
}
