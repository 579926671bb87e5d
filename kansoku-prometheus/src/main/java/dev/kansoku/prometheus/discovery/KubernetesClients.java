package dev.kansoku.prometheus.discovery;

import dev.kansoku.prometheus.config.HttpClientConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The fabric8 client for a {@code kubernetes_sd_configs} entry, connected the three ways Prometheus connects:
 * {@code api_server} with the HTTP client settings, a {@code kubeconfig_file}, or the pod's service account.
 */
final class KubernetesClients {
  static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  private static final List<TlsVersion> TLS_VERSIONS =
      List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);

  private KubernetesClients() {}

  static KubernetesClient connect(KubernetesSdConfig settings, Path serviceAccount, Map<String, String> env) {
    Config config;
    if (settings.kubeconfigFile != null) {
      config = kubeconfig(settings.kubeconfigFile);
    } else if (settings.apiServer == null) {
      config = inCluster(serviceAccount, env);
    } else {
      config = apiServer(settings, env);
    }
    // No retries inside one request: the informers retry (and log) on their own, so an unreachable server
    // shows in the log at once instead of after the client's backoff.
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  /** The namespace of the service account, for {@code namespaces.own_namespace}. */
  static String ownNamespace(Path serviceAccount) {
    try {
      String namespace = Files.readString(serviceAccount.resolve("namespace"), StandardCharsets.UTF_8).strip();
      if (namespace.isEmpty()) {
        throw new IllegalStateException("could not read own namespace name (empty file)");
      }
      return namespace;
    } catch (IOException e) {
      throw new IllegalStateException("could not determine the pod's namespace: " + e.getMessage(), e);
    }
  }

  private static Config kubeconfig(String file) {
    if (!Files.isReadable(Path.of(file))) {
      throw new IllegalStateException("kubeconfig_file " + file + " cannot be read");
    }
    try {
      Config config = Config.fromKubeconfig(null, new File(file));
      if (config.getMasterUrl() == null) {
        throw new IllegalStateException("kubeconfig_file " + file + " names no cluster server");
      }
      return config;
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("kubeconfig_file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Config inCluster(Path serviceAccount, Map<String, String> env) {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.get("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isEmpty() || port == null || port.isEmpty()) {
      throw new IllegalStateException("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and"
          + " KUBERNETES_SERVICE_PORT must be defined (or set api_server or kubeconfig_file)");
    }
    Path token = serviceAccount.resolve("token");
    readFile(token.toString());
    String hostPort = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl("https://" + hostPort)
        // The kubelet rotates the projected token: read it for each request, as client-go does.
        .withOauthTokenProvider(() -> readFile(token.toString()));
    // Like client-go, a missing CA file leaves the system's trust store in place.
    Path ca = serviceAccount.resolve("ca.crt");
    if (Files.isReadable(ca)) {
      config.withCaCertFile(ca.toString());
    }
    return config.build();
  }

  private static Config apiServer(KubernetesSdConfig settings, Map<String, String> env) {
    ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(settings.apiServer);
    if (settings.bearerToken != null) {
      config.withOauthToken(settings.bearerToken);
    } else if (settings.bearerTokenFile != null) {
      tokenFile(config, settings.bearerTokenFile);
    } else if (settings.authorization != null) {
      if (settings.authorization.credentialsFile != null) {
        tokenFile(config, settings.authorization.credentialsFile);
      } else {
        config.withOauthToken(settings.authorization.credentials);
      }
    } else if (settings.basicAuth != null) {
      HttpClientConfig.BasicAuth basic = settings.basicAuth;
      config.withUsername(basic.usernameFile != null ? readFile(basic.usernameFile) : basic.username);
      config.withPassword(basic.passwordFile != null ? readFile(basic.passwordFile) : basic.password);
    }
    tls(config, settings.tlsConfig == null ? new HttpClientConfig.TlsConfig() : settings.tlsConfig);
    proxy(config, settings, env);
    if (!settings.enableHttp2) {
      config.withHttp2Disable(true);
    }
    return config.build();
  }

  private static void tokenFile(ConfigBuilder config, String file) {
    readFile(file);
    config.withOauthTokenProvider(() -> readFile(file));
  }

  private static void tls(ConfigBuilder config, HttpClientConfig.TlsConfig tls) {
    if (tls.caFile != null) {
      config.withCaCertFile(tls.caFile);
    } else if (tls.ca != null) {
      config.withCaCertData(base64(tls.ca));
    }
    if (tls.certFile != null) {
      config.withClientCertFile(tls.certFile);
    } else if (tls.cert != null) {
      config.withClientCertData(base64(tls.cert));
    }
    if (tls.keyFile != null) {
      config.withClientKeyFile(tls.keyFile);
    } else if (tls.key != null) {
      config.withClientKeyData(base64(tls.key));
    }
    if (tls.serverName != null) {
      config.withTlsServerName(tls.serverName);
    }
    if (tls.insecureSkipVerify) {
      config.withTrustCerts(true).withDisableHostnameVerification(true);
    }
    if (tls.minVersion != null || tls.maxVersion != null) {
      int min = tls.minVersion == null ? 2 : tlsIndex(tls.minVersion);
      int max = tls.maxVersion == null ? 3 : tlsIndex(tls.maxVersion);
      List<TlsVersion> versions = new ArrayList<>(TLS_VERSIONS.subList(min, Math.max(min, max) + 1));
      config.withTlsVersions(versions.toArray(TlsVersion[]::new));
    }
  }

  private static int tlsIndex(String version) {
    int index = List.of("TLS10", "TLS11", "TLS12", "TLS13").indexOf(version);
    if (index < 0) {
      throw new IllegalStateException("unknown TLS version " + version + " (TLS10, TLS11, TLS12 or TLS13)");
    }
    return index;
  }

  private static void proxy(ConfigBuilder config, KubernetesSdConfig settings, Map<String, String> env) {
    String proxy = settings.proxyUrl;
    String noProxy = settings.noProxy;
    if (settings.proxyFromEnvironment) {
      boolean https = settings.apiServer.startsWith("https:");
      proxy = first(env, https ? "HTTPS_PROXY" : "HTTP_PROXY", https ? "https_proxy" : "http_proxy");
      noProxy = first(env, "NO_PROXY", "no_proxy");
    }
    if (proxy != null && !proxy.isEmpty()) {
      config.withHttpProxy(proxy).withHttpsProxy(proxy);
    }
    if (noProxy != null && !noProxy.isEmpty()) {
      config.withNoProxy(noProxy.split("\\s*,\\s*"));
    }
  }

  private static String first(Map<String, String> env, String name, String otherName) {
    String value = env.get(name);
    return value != null ? value : env.get(otherName);
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  private static String readFile(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e, e);
    }
  }
}
