package dev.kansoku.pipeline;

import java.util.Map;

/** An extension that gives an exporter the headers that authenticate it to its endpoint. */
public interface ClientAuthenticator {
  Map<String, String> headers();
}
