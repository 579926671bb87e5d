package dev.kansoku.otlp;

import dev.kansoku.pipeline.Validatable;
import java.time.Duration;
import java.util.List;

/** {@code file}: writes every export request to one local file, as the collector's file exporter does. */
final class FileExporterConfig implements Validatable {
  static final List<String> FORMATS = List.of("json", "proto");

  /** The file to write; required. Its directory must exist. Example: ./data/telemetry.jsonl. */
  String path = "";
  /**
   * json: one OTLP/JSON export request per line; proto: each request as a 4-byte big-endian length
   * followed by its protobuf bytes. Example: proto.
   */
  String format = "json";
  /** Keep what the file already holds and write after it; by default the file is truncated at start. Example: true. */
  boolean append;
  /** The longest time written data may stay in Kansoku's buffer before it reaches the OS. Example: 5s. */
  Duration flushInterval = Duration.ofSeconds(1);

  @Override
  public void validate() {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("path: must be set (expected: a file path such as ./telemetry.jsonl)");
    }
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException("format: \"" + format + "\" (expected one of " + FORMATS + ")");
    }
    if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
      String shown = flushInterval == null ? "null" : flushInterval.toMillis() + "ms";
      throw new IllegalArgumentException("flush_interval: " + shown + " (expected: > 0, such as 1s)");
    }
  }
}
