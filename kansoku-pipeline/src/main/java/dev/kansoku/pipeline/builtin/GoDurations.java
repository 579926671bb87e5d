package dev.kansoku.pipeline.builtin;

import java.time.Duration;

/** Prints durations as the configuration writes them (5s, 200ms). */
final class GoDurations {
  private GoDurations() {}

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
