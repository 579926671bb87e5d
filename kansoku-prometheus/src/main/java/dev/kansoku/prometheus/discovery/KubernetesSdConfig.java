package dev.kansoku.prometheus.discovery;

import dev.kansoku.prometheus.config.HttpClientConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code kubernetes_sd_configs} entry of a scrape job, with Prometheus's keys: targets from the
 * Kubernetes API, one per pod container port, service port, endpoint, endpoint slice, ingress or node.
 */
public class KubernetesSdConfig extends HttpClientConfig {
  static final List<String> ROLES = List.of("pod", "service", "endpoints", "endpointslice", "node", "ingress");

  /** Which selector roles each role accepts, as Prometheus allows them. */
  private static final Map<String, List<String>> SELECTOR_ROLES = Map.of(
      "pod", List.of("pod", "node"),
      "service", List.of("service"),
      "endpointslice", List.of("pod", "service", "endpointslice"),
      "endpoints", List.of("pod", "service", "endpoints"),
      "node", List.of("node"),
      "ingress", List.of("ingress"));

  /** node, service, pod, endpoints, endpointslice or ingress. Required. */
  public String role;
  /** The API server's URL; unset means in-cluster (the service account) or kubeconfig_file. */
  public String apiServer;
  /** A kubeconfig file to read the API server and credentials from; excludes api_server. */
  public String kubeconfigFile;
  /** Which namespaces to watch; unset means all. */
  public Namespaces namespaces = new Namespaces();
  /** Label and field selectors per role, passed to the API's list and watch calls. */
  public List<Selector> selectors = new ArrayList<>();
  /** Adds the node's and the namespace's labels and annotations to the targets. */
  public AttachMetadata attachMetadata = new AttachMetadata();

  public static class Namespaces {
    /** Also watches the namespace the collector runs in (read from the service account; in-cluster only). */
    public boolean ownNamespace;
    public List<String> names = new ArrayList<>();
  }

  public static class Selector {
    public String role;
    /** Example: app=web,tier!=cache. */
    public String label;
    /** Example: metadata.name=web. */
    public String field;
  }

  public static class AttachMetadata {
    /** The node's labels and annotations on pod, endpoints and endpointslice targets. */
    public boolean node;
    /** The namespace's labels and annotations on every role's targets but node. */
    public boolean namespace;
  }

  /** Checks the settings as Prometheus does; the message names {@code path}. */
  public void validate(String path) {
    if (role == null || role.isEmpty()) {
      throw new IllegalArgumentException(path + ": role missing (one of: " + String.join(", ", ROLES) + ")");
    }
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException(path + "::role: unknown Kubernetes SD role \"" + role + "\" (one of: "
          + String.join(", ", ROLES) + ")");
    }
    super.validate(path);
    if (apiServer != null) {
      checkUrl(path + "::api_server", apiServer);
    }
    boolean customHttp = customHttp();
    if (apiServer != null && kubeconfigFile != null) {
      throw new IllegalArgumentException(path + ": cannot use 'kubeconfig_file' and 'api_server' simultaneously");
    }
    if (kubeconfigFile != null && customHttp) {
      throw new IllegalArgumentException(path
          + ": cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
    }
    if (apiServer == null && customHttp) {
      throw new IllegalArgumentException(path
          + ": to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
    }
    if (apiServer != null && namespaces.ownNamespace) {
      throw new IllegalArgumentException(path
          + ": cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
    }
    if (kubeconfigFile != null && namespaces.ownNamespace) {
      throw new IllegalArgumentException(path
          + ": cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
    }
    if (authorization != null && !"bearer".equalsIgnoreCase(authorization.type)) {
      throw new IllegalArgumentException(path + "::authorization: the Kubernetes discovery supports only the"
          + " Bearer type, not \"" + authorization.type + "\"");
    }
    validateSelectors(path);
  }

  private void validateSelectors(String path) {
    Set<String> seen = new HashSet<>();
    List<String> allowed = SELECTOR_ROLES.get(role);
    for (int i = 0; i < selectors.size(); i++) {
      Selector selector = selectors.get(i);
      String at = path + "::selectors[" + i + "]";
      if (!seen.add(String.valueOf(selector.role))) {
        throw new IllegalArgumentException(at + ": duplicated selector role: " + selector.role);
      }
      if (!allowed.contains(selector.role)) {
        throw new IllegalArgumentException(at + ": " + role + " role supports only "
            + String.join(", ", allowed) + " selectors");
      }
      KubernetesSelectors.checkLabelSelector(at + "::label", selector.label);
      KubernetesSelectors.parseFieldSelector(at + "::field", selector.field);
    }
  }

  private static void checkUrl(String path, String url) {
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(path + ": \"" + url + "\" is not an http:// or https:// URL with a host");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(path + ": \"" + url + "\" is not a URL: " + e.getMessage());
    }
  }

  /** Whether any HTTP client setting differs from Prometheus's defaults. */
  boolean customHttp() {
    TlsConfig tls = tlsConfig == null ? new TlsConfig() : tlsConfig;
    return basicAuth != null || authorization != null || bearerToken != null || bearerTokenFile != null
        || proxyUrl != null || noProxy != null || proxyFromEnvironment || !followRedirects || !enableHttp2
        || tls.caFile != null || tls.ca != null || tls.certFile != null || tls.cert != null || tls.keyFile != null
        || tls.key != null || tls.serverName != null || tls.insecureSkipVerify || tls.minVersion != null
        || tls.maxVersion != null;
  }

  /**
   * Opens a discovery for these validated settings; it starts watching on {@link TargetDiscovery#start}.
   *
   * @throws IllegalStateException when the connection settings cannot be read (no in-cluster service account,
   *     an unreadable kubeconfig, token or certificate file)
   */
  public TargetDiscovery open() {
    return KubernetesDiscovery.open(this, KubernetesClients.SERVICE_ACCOUNT_DIR, System.getenv());
  }
}
