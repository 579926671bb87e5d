package dev.kansoku.pipeline;

import java.net.URI;
import java.util.Map;

/**
 * An extension that gives an exporter the headers that authenticate one request: a fixed token
 * (bearertokenauth) or a signature over the request (sigv4auth).
 */
public interface ClientAuthenticator {
  /** The parts of an outgoing request that a signature may cover. Header names are lower case. */
  record ClientRequest(String method, URI url, Map<String, String> headers, byte[] body) {}

  /** Headers to add to {@code request}; called once per attempt, so tokens and signatures stay fresh. */
  Map<String, String> headers(ClientRequest request);
}
