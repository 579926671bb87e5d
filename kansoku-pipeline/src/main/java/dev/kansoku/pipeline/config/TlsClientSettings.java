package dev.kansoku.pipeline.config;

/** {@code tls} of an exporter's connection. */
public final class TlsClientSettings {
  /** Plain text (no TLS) even for an https-less endpoint given without scheme. Example: true. */
  public boolean insecure;
  /** Accept any server certificate (testing only). */
  public boolean insecureSkipVerify;
  /** PEM CA that signs the server's certificate, instead of the system trust store. */
  public String caFile = "";
  /** PEM client certificate and key, for mutual TLS. */
  public String certFile = "";
  public String keyFile = "";
}
