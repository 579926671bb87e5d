package dev.kansoku.store;

import java.util.List;

/**
 * RED — rate, errors, duration — of the requests each service served, per time bucket, for the
 * console's service charts and the service map. A request is an entry span: a SERVER or CONSUMER
 * span, or a root span of any kind; its operation is the span's name.
 */
@FunctionalInterface
public interface ServiceStats {
  /** One series per service (per service and operation with {@link RedQuery#byOperation()}), sorted by name. */
  List<RedSeries> red(RedQuery query);
}
