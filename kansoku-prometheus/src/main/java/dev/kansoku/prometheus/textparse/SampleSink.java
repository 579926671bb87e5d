package dev.kansoku.prometheus.textparse;

/** Receives what {@link ExpositionParser} reads, in body order, on the parsing thread. */
public interface SampleSink {
  /** The metadata of family {@code name}, given before its samples (again when a later line adds to it). */
  void metadata(String name, Metadata metadata);

  /**
   * One sample. {@code labels} holds {@code labelCount} name/value pairs ({@code 2 * labelCount} entries) and is
   * reused by the parser after the call returns.
   *
   * @param timestampMs the exposed timestamp in milliseconds, or {@link Long#MIN_VALUE} when there is none
   */
  void sample(String name, String[] labels, int labelCount, double value, long timestampMs);

  /** An OpenMetrics {@code <family>_created} sample of a counter, histogram or summary: its start, in seconds. */
  void created(String family, String[] labels, int labelCount, double createdSeconds);
}
