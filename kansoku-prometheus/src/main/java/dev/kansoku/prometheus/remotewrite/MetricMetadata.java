package dev.kansoku.prometheus.remotewrite;

/** prometheus.MetricMetadata of send_metadata: one per OTLP metric, as the collector sends them. */
record MetricMetadata(Type type, String familyName, String help, String unit) {
  /** prometheus.MetricMetadata.MetricType; the ordinal is the protobuf number. */
  enum Type { UNKNOWN, COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET }
}
