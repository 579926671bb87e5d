package dev.kansoku.prometheus.textparse;

/** A body that is not valid exposition: the scrape fails ({@code up} = 0) with this message. */
public final class ExpositionException extends Exception {
  public ExpositionException(String message) {
    super(message);
  }
}
