package dev.kansoku.store;

import java.util.List;

/** Answers metric queries (CloudWatch GetMetricData/GetMetricStatistics, the metrics explorer). Thread-safe. */
public interface MetricSearch {
  /** One series per distinct dimension set that matched, ordered by dimensions; empty when nothing matched. */
  List<MetricSeries> query(MetricQuery query);
}
