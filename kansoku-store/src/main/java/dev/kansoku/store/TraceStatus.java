package dev.kansoku.store;

import dev.kansoku.model.SpanRecord;

/** The outcomes a trace search filters on, as X-Ray names them; see {@link SpanRecord#isFault()} and friends. */
public enum TraceStatus {
  /** Neither error nor fault. */
  OK,
  /** HTTP 4xx. */
  ERROR,
  /** HTTP 5xx or status ERROR. */
  FAULT,
  /** HTTP 429. */
  THROTTLE;

  public boolean test(SpanRecord s) {
    return switch (this) {
      case OK -> s.isOk();
      case ERROR -> s.isError();
      case FAULT -> s.isFault();
      case THROTTLE -> s.isThrottle();
    };
  }
}
