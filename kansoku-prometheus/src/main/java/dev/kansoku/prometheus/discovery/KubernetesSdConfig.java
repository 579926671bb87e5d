package dev.kansoku.prometheus.discovery;

import dev.kansoku.prometheus.config.HttpClientConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code kubernetes_sd_configs} entry of a scrape job, with Prometheus's keys: targets from the
 * Kubernetes API, one per pod container port, service port, endpoint, endpoint slice, ingress or node.
 */
public class KubernetesSdConfig extends HttpClientConfig {
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
  /** Adds the node's labels and annotations to pod (and endpoints) targets. */
  public AttachMetadata attachMetadata = new AttachMetadata();

  public static class Namespaces {
    /** Also watches the namespace the collector runs in (read from the service account). */
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
    public boolean node;
  }

  /** Checks the settings; the message names {@code path}. */
  public void validate(String path) {
    super.validate(path);
    throw new UnsupportedOperationException("kubernetes_sd_configs: being built");
  }

  /** Opens a discovery for these settings; it starts watching on {@link TargetDiscovery#start}. */
  public TargetDiscovery open() {
    throw new UnsupportedOperationException("kubernetes_sd_configs: being built");
  }
}
