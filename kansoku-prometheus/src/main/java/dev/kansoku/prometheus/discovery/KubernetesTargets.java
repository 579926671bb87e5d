package dev.kansoku.prometheus.discovery;

import static dev.kansoku.prometheus.discovery.KubernetesLabels.ADDRESS;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.NAMESPACE;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.PREFIX;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.hostPort;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.value;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the target group of one Kubernetes object for the pod, service, node and ingress roles, with the
 * targets and labels Prometheus's kubernetes discovery gives it (v3.14).
 */
class KubernetesTargets {
  /** Node address types in the order Prometheus picks the target's address from. */
  private static final List<String> ADDRESS_ORDER =
      List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname");

  /** The watched objects that a target's labels draw on besides its own. */
  interface Objects {
    Pod pod(String namespace, String name);

    Service service(String namespace, String name);

    /** Null when attach_metadata.node is off or the node is not (yet) known. */
    Node node(String name);

    /** Null when attach_metadata.namespace is off or the namespace is not (yet) known. */
    Namespace namespace(String name);
  }

  final Objects objects;
  final boolean attachNode;

  KubernetesTargets(Objects objects, boolean attachNode) {
    this.objects = objects;
    this.attachNode = attachNode;
  }

  TargetGroup pod(Pod pod) {
    String source = "pod/" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    // A pod that is starting or evicted has no IP yet; so has one on a node the node selectors left out.
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (ip == null || ip.isEmpty() || attachNode && objects.node(value(nodeName)) == null) {
      return new TargetGroup(source, List.of(), Map.of());
    }
    Map<String, String> labels = KubernetesLabels.pod(pod);
    labels.put(NAMESPACE, pod.getMetadata().getNamespace());
    addNode(labels, nodeName);
    addNamespace(labels, pod.getMetadata().getNamespace());

    List<Map<String, String>> targets = new ArrayList<>();
    List<Container> containers = containers(pod);
    int regular = pod.getSpec().getContainers().size();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      boolean init = i >= regular;
      List<ContainerStatus> statuses = init ? pod.getStatus().getInitContainerStatuses()
          : pod.getStatus().getContainerStatuses();
      Map<String, String> base = new LinkedHashMap<>();
      base.put(PREFIX + "pod_container_name", value(c.getName()));
      base.put(PREFIX + "pod_container_id", containerId(statuses, c.getName()));
      base.put(PREFIX + "pod_container_image", value(c.getImage()));
      base.put(PREFIX + "pod_container_init", Boolean.toString(init));
      if (c.getPorts() == null || c.getPorts().isEmpty()) {
        // No port: the address is the bare pod IP, for relabeling to add one.
        Map<String, String> target = new LinkedHashMap<>(base);
        target.put(ADDRESS, ip);
        targets.add(target);
        continue;
      }
      for (ContainerPort port : c.getPorts()) {
        int number = port.getContainerPort() == null ? 0 : port.getContainerPort();
        Map<String, String> target = new LinkedHashMap<>(base);
        target.put(ADDRESS, hostPort(ip, number));
        target.put(PREFIX + "pod_container_port_number", Integer.toString(number));
        target.put(PREFIX + "pod_container_port_name", value(port.getName()));
        target.put(PREFIX + "pod_container_port_protocol", value(port.getProtocol()));
        targets.add(target);
      }
    }
    return new TargetGroup(source, targets, labels);
  }

  TargetGroup service(Service svc) {
    String namespace = svc.getMetadata().getNamespace();
    String name = svc.getMetadata().getName();
    Map<String, String> labels = KubernetesLabels.service(svc);
    addNamespace(labels, namespace);
    String type = value(svc.getSpec().getType());
    List<Map<String, String>> targets = new ArrayList<>();
    for (ServicePort port : svc.getSpec().getPorts()) {
      int number = port.getPort() == null ? 0 : port.getPort();
      Map<String, String> target = new LinkedHashMap<>();
      target.put(ADDRESS, hostPort(name + "." + namespace + ".svc", number));
      target.put(PREFIX + "service_port_name", value(port.getName()));
      target.put(PREFIX + "service_port_number", Integer.toString(number));
      target.put(PREFIX + "service_port_protocol", value(port.getProtocol()));
      target.put(PREFIX + "service_type", type);
      if ("ExternalName".equals(type)) {
        target.put(PREFIX + "service_external_name", value(svc.getSpec().getExternalName()));
      } else {
        target.put(PREFIX + "service_cluster_ip", value(svc.getSpec().getClusterIP()));
      }
      if ("LoadBalancer".equals(type)) {
        target.put(PREFIX + "service_loadbalancer_ip", value(svc.getSpec().getLoadBalancerIP()));
      }
      targets.add(target);
    }
    return new TargetGroup("svc/" + namespace + "/" + name, targets, labels);
  }

  /** The node's group, or null when the node has no address yet (Prometheus then sends nothing). */
  TargetGroup node(Node node) {
    Map<String, String> labels = new HashMap<>();
    labels.put(PREFIX + "node_provider_id", value(node.getSpec() == null ? null : node.getSpec().getProviderID()));
    Map<String, String> firstAddress = new LinkedHashMap<>();
    int kubeletPort = 0;
    if (node.getStatus() != null) {
      for (NodeCondition condition : node.getStatus().getConditions()) {
        labels.put(PREFIX + "node_condition_" + KubernetesLabels.sanitize(value(condition.getType())
            .toLowerCase(Locale.ROOT)), value(condition.getStatus()).toLowerCase(Locale.ROOT));
      }
      for (NodeAddress address : node.getStatus().getAddresses()) {
        firstAddress.putIfAbsent(value(address.getType()), value(address.getAddress()));
      }
      if (node.getStatus().getDaemonEndpoints() != null
          && node.getStatus().getDaemonEndpoints().getKubeletEndpoint() != null
          && node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort() != null) {
        kubeletPort = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
      }
    }
    KubernetesLabels.objectMeta(labels, node.getMetadata(), "node");
    String address = ADDRESS_ORDER.stream().filter(firstAddress::containsKey).findFirst()
        .map(firstAddress::get).orElse(null);
    if (address == null) {
      return null;
    }
    Map<String, String> target = new LinkedHashMap<>();
    target.put(ADDRESS, hostPort(address, kubeletPort));
    target.put("instance", value(node.getMetadata().getName()));
    firstAddress.forEach((type, first) ->
        target.put(KubernetesLabels.sanitize(PREFIX + "node_address_" + type), first));
    return new TargetGroup("node/" + node.getMetadata().getName(), List.of(target), labels);
  }

  TargetGroup ingress(Ingress ingress) {
    String namespace = ingress.getMetadata().getNamespace();
    Map<String, String> labels = new HashMap<>();
    labels.put(NAMESPACE, value(namespace));
    if (ingress.getSpec().getIngressClassName() != null) {
      labels.put(PREFIX + "ingress_class_name", ingress.getSpec().getIngressClassName());
    }
    KubernetesLabels.objectMeta(labels, ingress.getMetadata(), "ingress");
    addNamespace(labels, namespace);
    List<Map<String, String>> targets = new ArrayList<>();
    for (IngressRule rule : ingress.getSpec().getRules()) {
      String host = value(rule.getHost());
      String scheme = "http";
      for (IngressTLS tls : ingress.getSpec().getTls()) {
        if (tls.getHosts().stream().anyMatch(pattern -> matchesHost(pattern, host))) {
          scheme = "https";
          break;
        }
      }
      for (String path : paths(rule)) {
        Map<String, String> target = new LinkedHashMap<>();
        target.put(ADDRESS, host);
        target.put(PREFIX + "ingress_scheme", scheme);
        target.put(PREFIX + "ingress_host", host);
        target.put(PREFIX + "ingress_path", path);
        targets.add(target);
      }
    }
    return new TargetGroup("ingress/" + namespace + "/" + ingress.getMetadata().getName(), targets, labels);
  }

  /** A rule without an http section stands for "/"; an empty path too. */
  private static List<String> paths(IngressRule rule) {
    if (rule.getHttp() == null) {
      return List.of("/");
    }
    List<String> paths = new ArrayList<>();
    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
      paths.add(path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath());
    }
    return paths;
  }

  /** A TLS host matches itself, and "*.example.com" matches one more leading label. */
  private static boolean matchesHost(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    String[] patternParts = pattern.split("\\.", -1);
    String[] hostParts = host.split("\\.", -1);
    if (!"*".equals(patternParts[0]) || patternParts.length != hostParts.length) {
      return false;
    }
    for (int i = 1; i < patternParts.length; i++) {
      if (!patternParts[i].equals(hostParts[i])) {
        return false;
      }
    }
    return true;
  }

  static List<Container> containers(Pod pod) {
    List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
    containers.addAll(pod.getSpec().getInitContainers());
    return containers;
  }

  private static String containerId(List<ContainerStatus> statuses, String name) {
    for (ContainerStatus status : statuses) {
      if (status.getName() != null && status.getName().equals(name)) {
        return value(status.getContainerID());
      }
    }
    return "";
  }

  /** attach_metadata.node: the node's name, labels and annotations. */
  void addNode(Map<String, String> labels, String nodeName) {
    if (!attachNode || nodeName == null) {
      return;
    }
    Node node = objects.node(nodeName);
    if (node != null) {
      KubernetesLabels.objectMeta(labels, node.getMetadata(), "node");
    }
  }

  /** attach_metadata.namespace: the namespace's labels and annotations. */
  void addNamespace(Map<String, String> labels, String namespace) {
    Namespace ns = objects.namespace(namespace);
    if (ns != null) {
      KubernetesLabels.labelsAndAnnotations(labels, ns.getMetadata(), "namespace");
    }
  }
}
