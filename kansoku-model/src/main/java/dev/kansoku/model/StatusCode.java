package dev.kansoku.model;

/** OTLP span status codes, in OTLP's numbering. */
public enum StatusCode {
  UNSET, OK, ERROR;

  public static StatusCode fromOtlp(int number) {
    return number == 1 ? OK : number == 2 ? ERROR : UNSET;
  }
}
