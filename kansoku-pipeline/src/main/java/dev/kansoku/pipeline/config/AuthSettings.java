package dev.kansoku.pipeline.config;

/** {@code auth} of a listener or exporter: the id of an authenticator extension, e.g. bearertokenauth. */
public final class AuthSettings {
  /** Example: bearertokenauth. */
  public String authenticator = "";
}
