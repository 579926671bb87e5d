package dev.kansoku.store.opensearch;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javax.annotation.Nullable;

/**
 * Daily index names of one signal, {@code <prefix>-<signal>-YYYY.MM.DD} by the record's own time in
 * UTC (a span's start, a log record's time, a point's timestamp), so retention drops whole indices
 * and a rewritten record lands in the same index as its earlier copy. Immutable.
 */
record IndexNames(String prefix, String signal) {
  static final String SPANS = "spans";
  static final String LOGS = "logs";
  static final String METRICS = "metrics";
  static final String RESOURCES = "resources";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd");
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  /** The index holding records of {@code timeNanos}. */
  String forTime(long timeNanos) {
    return forDay(LocalDate.ofEpochDay(Math.floorDiv(timeNanos, NANOS_PER_DAY)));
  }

  String forDay(LocalDate day) {
    return base() + DAY.format(day);
  }

  /** Matches every daily index of this signal (and nothing of another prefix or signal). */
  String pattern() {
    return base() + "*";
  }

  /** The template's name. */
  String template() {
    return prefix + "-" + signal;
  }

  /** The day an index of this signal holds, or null when {@code index} is not one of them. */
  @Nullable
  LocalDate dayOf(String index) {
    if (!index.startsWith(base())) {
      return null;
    }
    try {
      return LocalDate.parse(index.substring(base().length()), DAY);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Epoch nanoseconds where {@code day} starts (UTC). */
  static long startNanos(LocalDate day) {
    return Math.multiplyExact(day.toEpochDay(), NANOS_PER_DAY);
  }

  private String base() {
    return prefix + "-" + signal + "-";
  }
}
