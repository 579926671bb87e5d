package dev.kansoku.prometheus.config;

/**
 * The HTTP client settings that Prometheus's scrape configs and its service discoveries share
 * ({@code basic_auth}, {@code authorization}, {@code bearer_token_file}, {@code tls_config}, ...), with
 * Prometheus's key names. Public fields: the scrape code and the Kubernetes discovery both read them.
 */
public class HttpClientConfig {
  /** Example: {username: prom, password_file: /etc/prom/pass}. */
  public BasicAuth basicAuth;
  /** Example: {type: Bearer, credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token}. */
  public Authorization authorization;
  /** The older form of authorization: a bearer token. */
  public String bearerToken;
  /** The older form of authorization: a file holding the bearer token, read on each request. */
  public String bearerTokenFile;
  public TlsConfig tlsConfig = new TlsConfig();
  /** Example: http://proxy.internal:3128. */
  public String proxyUrl;
  public String noProxy;
  public boolean proxyFromEnvironment;
  public boolean followRedirects = true;
  public boolean enableHttp2 = true;

  /** Checks the combinations Prometheus refuses. */
  public void validate(String path) {
    int ways = (basicAuth != null ? 1 : 0) + (authorization != null ? 1 : 0)
        + (bearerToken != null || bearerTokenFile != null ? 1 : 0);
    if (ways > 1) {
      throw new IllegalArgumentException(path + ": at most one of basic_auth, authorization and bearer_token"
          + " (bearer_token_file) may be set");
    }
    if (bearerToken != null && bearerTokenFile != null) {
      throw new IllegalArgumentException(path + ": at most one of bearer_token and bearer_token_file may be set");
    }
    if (basicAuth != null && basicAuth.password != null && basicAuth.passwordFile != null) {
      throw new IllegalArgumentException(path + "::basic_auth: at most one of password and password_file may be set");
    }
    if (authorization != null && authorization.credentials != null && authorization.credentialsFile != null) {
      throw new IllegalArgumentException(path
          + "::authorization: at most one of credentials and credentials_file may be set");
    }
  }

  public static class BasicAuth {
    public String username;
    public String usernameFile;
    public String password;
    public String passwordFile;
  }

  public static class Authorization {
    /** The scheme; Prometheus's default is Bearer. */
    public String type = "Bearer";
    public String credentials;
    public String credentialsFile;
  }

  public static class TlsConfig {
    public String caFile;
    public String ca;
    public String certFile;
    public String cert;
    public String keyFile;
    public String key;
    public String serverName;
    public boolean insecureSkipVerify;
    /** TLS10 to TLS13. */
    public String minVersion;
    public String maxVersion;
  }
}
