package dev.kansoku.pipeline;

import java.util.function.Function;

/**
 * An extension that decides whether a request to a listener may proceed. Listeners name one in
 * their {@code auth.authenticator} key.
 */
public interface Authenticator {
  /**
   * @param header looks up a request header by lower-case name; null when absent
   * @return null when the request may proceed, otherwise why not (sent back to the client)
   */
  String authenticate(Function<String, String> header);
}
