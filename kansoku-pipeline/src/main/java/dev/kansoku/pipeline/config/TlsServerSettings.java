package dev.kansoku.pipeline.config;

import dev.kansoku.pipeline.Validatable;

/** {@code tls} of a listener: serve TLS with this certificate and key (PEM files). Absent means plain text. */
public final class TlsServerSettings implements Validatable {
  /** PEM certificate chain. Example: /etc/kansoku/server.crt. */
  public String certFile = "";
  /** PEM private key (PKCS#8). Example: /etc/kansoku/server.key. */
  public String keyFile = "";
  /** When set, clients must present a certificate signed by this PEM CA (mutual TLS). */
  public String clientCaFile = "";

  @Override
  public void validate() {
    if (certFile.isEmpty() || keyFile.isEmpty()) {
      throw new IllegalArgumentException("tls: set both cert_file and key_file");
    }
  }
}
