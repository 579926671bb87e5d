package dev.kansoku.otlp;

/** An OTLP/JSON body that cannot be read. */
public final class InvalidOtlpException extends Exception {
  public InvalidOtlpException(String m) {
    super(m);
  }
}
