package dev.kansoku.contrib;

import com.linecorp.armeria.server.Server;

/** Starting the HTTP listeners of this module's extensions, with one error shape. */
public final class Listeners {
  private Listeners() {}

  /**
   * Starts {@code server}, bound to the setting {@code endpoint}.
   *
   * @throws IllegalStateException {@code endpoint: cannot listen on <endpoint>: <why>}
   */
  public static void start(Server server, String endpoint) {
    try {
      server.start().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("endpoint: cannot listen on " + endpoint + ": " + cause.getMessage(), cause);
    }
  }
}
