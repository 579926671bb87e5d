package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.Validatable;

/**
 * {@code bearertokenauth}: a shared secret. Listeners that name it in {@code auth.authenticator}
 * require {@code Authorization: <scheme> <token>}; exporters that name it send that header.
 */
final class BearerTokenAuthConfig implements Validatable {
  /** Example: Bearer. */
  String scheme = "Bearer";
  /** The token itself; prefer ${env:VAR} or filename over writing it in the file. */
  String token = "";
  /** A file holding the token (read at start; surrounding whitespace ignored). */
  String filename = "";

  @Override
  public void validate() {
    if (token.isEmpty() == filename.isEmpty()) {
      throw new IllegalArgumentException("set exactly one of token or filename");
    }
    if (scheme.isBlank() || scheme.contains(" ")) {
      throw new IllegalArgumentException("scheme: \"" + scheme + "\" (expected: one word such as Bearer)");
    }
  }
}
