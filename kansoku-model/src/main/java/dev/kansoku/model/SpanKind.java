package dev.kansoku.model;

/** OTLP span kinds, in OTLP's numbering. */
public enum SpanKind {
  UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

  /** From OTLP's number; unknown numbers become UNSPECIFIED rather than failing a whole batch. */
  public static SpanKind fromOtlp(int number) {
    SpanKind[] all = values();
    return number >= 0 && number < all.length ? all[number] : UNSPECIFIED;
  }

  /** True for the kinds that call out to another process. */
  public boolean isOutgoing() {
    return this == CLIENT || this == PRODUCER;
  }

  /** True for the kinds that receive a call from another process. */
  public boolean isIncoming() {
    return this == SERVER || this == CONSUMER;
  }
}
