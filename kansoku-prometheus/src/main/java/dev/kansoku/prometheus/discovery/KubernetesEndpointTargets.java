package dev.kansoku.prometheus.discovery;

import static dev.kansoku.prometheus.discovery.KubernetesLabels.ADDRESS;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.NAMESPACE;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.PREFIX;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.hostPort;
import static dev.kansoku.prometheus.discovery.KubernetesLabels.value;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints and endpointslice roles: one target per address and port, with the service's labels on the
 * group and the pod's labels on pod-backed targets, plus one target per pod container port that no endpoint
 * port covers — as Prometheus builds them.
 */
final class KubernetesEndpointTargets {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final KubernetesTargets targets;

  KubernetesEndpointTargets(KubernetesTargets targets) {
    this.targets = targets;
  }

  TargetGroup endpoints(Endpoints eps) {
    String namespace = eps.getMetadata().getNamespace();
    Map<String, String> labels = new HashMap<>();
    labels.put(NAMESPACE, value(namespace));
    Service svc = targets.objects.service(namespace, eps.getMetadata().getName());
    if (svc != null) {
      labels.putAll(KubernetesLabels.service(svc));
    }
    KubernetesLabels.objectMeta(labels, eps.getMetadata(), "endpoints");
    targets.addNamespace(labels, namespace);

    PodTargets pods = new PodTargets();
    for (EndpointSubset subset : eps.getSubsets()) {
      for (EndpointPort port : subset.getPorts()) {
        for (EndpointAddress address : subset.getAddresses()) {
          pods.add(endpointTarget(address, port, "true"), address.getTargetRef(), port.getPort(), false);
        }
        for (EndpointAddress address : subset.getNotReadyAddresses()) {
          pods.add(endpointTarget(address, port, "false"), address.getTargetRef(), port.getPort(), false);
        }
      }
    }
    return new TargetGroup("endpoints/" + namespace + "/" + eps.getMetadata().getName(), pods.all(), labels);
  }

  private Map<String, String> endpointTarget(EndpointAddress address, EndpointPort port, String ready) {
    Map<String, String> target = new LinkedHashMap<>();
    target.put(ADDRESS, hostPort(value(address.getIp()), port.getPort() == null ? 0 : port.getPort()));
    target.put(PREFIX + "endpoint_port_name", value(port.getName()));
    target.put(PREFIX + "endpoint_port_protocol", value(port.getProtocol()));
    target.put(PREFIX + "endpoint_ready", ready);
    ObjectReference ref = address.getTargetRef();
    if (ref != null) {
      target.put(PREFIX + "endpoint_address_target_kind", value(ref.getKind()));
      target.put(PREFIX + "endpoint_address_target_name", value(ref.getName()));
    }
    if (address.getNodeName() != null) {
      target.put(PREFIX + "endpoint_node_name", address.getNodeName());
    }
    if (address.getHostname() != null && !address.getHostname().isEmpty()) {
      target.put(PREFIX + "endpoint_hostname", address.getHostname());
    }
    if (address.getNodeName() != null) {
      targets.addNode(target, address.getNodeName());
    } else if (ref != null && "Node".equals(ref.getKind())) {
      targets.addNode(target, ref.getName());
    }
    return target;
  }

  TargetGroup endpointSlice(EndpointSlice slice) {
    String namespace = slice.getMetadata().getNamespace();
    Map<String, String> labels = new HashMap<>();
    labels.put(NAMESPACE, value(namespace));
    labels.put(PREFIX + "endpointslice_address_type", value(slice.getAddressType()));
    KubernetesLabels.objectMeta(labels, slice.getMetadata(), "endpointslice");
    Service svc = null;
    Map<String, String> sliceLabels = slice.getMetadata().getLabels();
    if (sliceLabels != null && sliceLabels.containsKey(SERVICE_NAME_LABEL)) {
      svc = targets.objects.service(namespace, sliceLabels.get(SERVICE_NAME_LABEL));
      if (svc != null) {
        labels.putAll(KubernetesLabels.service(svc));
      }
    }
    targets.addNamespace(labels, namespace);
    String source = "endpointslice/" + namespace + "/" + slice.getMetadata().getName();
    if (nonPrimaryIpFamily(svc, slice)) {
      // A dual-stack service's other family would scrape every pod twice.
      return new TargetGroup(source, List.of(), labels);
    }

    PodTargets pods = new PodTargets();
    for (Endpoint endpoint : slice.getEndpoints()) {
      for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port : slice.getPorts()) {
        for (String address : endpoint.getAddresses()) {
          pods.add(sliceTarget(address, endpoint, port), endpoint.getTargetRef(), port.getPort(), true);
        }
      }
    }
    return new TargetGroup(source, pods.all(), labels);
  }

  private Map<String, String> sliceTarget(String address, Endpoint endpoint,
      io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port) {
    Map<String, String> target = new LinkedHashMap<>();
    target.put(ADDRESS, port.getPort() == null ? address : hostPort(address, port.getPort()));
    if (port.getName() != null) {
      target.put(PREFIX + "endpointslice_port_name", port.getName());
    }
    if (port.getProtocol() != null) {
      target.put(PREFIX + "endpointslice_port_protocol", port.getProtocol());
    }
    if (port.getPort() != null) {
      target.put(PREFIX + "endpointslice_port", Integer.toString(port.getPort()));
    }
    if (port.getAppProtocol() != null) {
      target.put(PREFIX + "endpointslice_port_app_protocol", port.getAppProtocol());
    }
    if (endpoint.getConditions() != null) {
      condition(target, "ready", endpoint.getConditions().getReady());
      condition(target, "serving", endpoint.getConditions().getServing());
      condition(target, "terminating", endpoint.getConditions().getTerminating());
    }
    if (endpoint.getHostname() != null) {
      target.put(PREFIX + "endpointslice_endpoint_hostname", endpoint.getHostname());
    }
    ObjectReference ref = endpoint.getTargetRef();
    if (ref != null) {
      target.put(PREFIX + "endpointslice_address_target_kind", value(ref.getKind()));
      target.put(PREFIX + "endpointslice_address_target_name", value(ref.getName()));
    }
    if (endpoint.getNodeName() != null) {
      target.put(PREFIX + "endpointslice_endpoint_node_name", endpoint.getNodeName());
    }
    if (endpoint.getZone() != null) {
      target.put(PREFIX + "endpointslice_endpoint_zone", endpoint.getZone());
    }
    if (endpoint.getDeprecatedTopology() != null) {
      endpoint.getDeprecatedTopology().forEach((k, v) -> {
        String name = KubernetesLabels.sanitize(k);
        target.put(PREFIX + "endpointslice_endpoint_topology_" + name, value(v));
        target.put(PREFIX + "endpointslice_endpoint_topology_present_" + name, "true");
      });
    }
    targets.addNode(target, ref != null && "Node".equals(ref.getKind()) ? ref.getName() : endpoint.getNodeName());
    return target;
  }

  private static void condition(Map<String, String> target, String name, Boolean value) {
    if (value != null) {
      target.put(PREFIX + "endpointslice_endpoint_conditions_" + name, value.toString());
    }
  }

  private static boolean nonPrimaryIpFamily(Service svc, EndpointSlice slice) {
    if (svc == null || svc.getSpec().getIpFamilyPolicy() == null) {
      return false;
    }
    String policy = svc.getSpec().getIpFamilyPolicy();
    if (!"PreferDualStack".equals(policy) && !"RequireDualStack".equals(policy)
        || svc.getSpec().getIpFamilies().isEmpty()) {
      return false;
    }
    return !value(slice.getAddressType()).equals(svc.getSpec().getIpFamilies().get(0));
  }

  /** The targets of one group, and the pods behind them with the ports the endpoints already cover. */
  private final class PodTargets {
    private final List<Map<String, String>> all = new ArrayList<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Map<String, List<Integer>> coveredPorts = new HashMap<>();

    /**
     * Adds an endpoint's target, with its pod's labels when a pod backs it.
     *
     * @param containerProtocol whether the container port's protocol label comes from the container port
     *     (endpointslice role) or from the endpoint port (endpoints role)
     */
    void add(Map<String, String> target, ObjectReference ref, Integer port, boolean containerProtocol) {
      Pod pod = ref == null || !"Pod".equals(ref.getKind()) ? null
          : targets.objects.pod(ref.getNamespace(), ref.getName());
      all.add(target);
      if (pod == null) {
        return;
      }
      String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
      pods.putIfAbsent(key, pod);
      target.putAll(KubernetesLabels.pod(pod));
      List<Container> containers = KubernetesTargets.containers(pod);
      int regular = pod.getSpec().getContainers().size();
      search:
      for (int i = 0; i < containers.size(); i++) {
        for (ContainerPort cport : containers.get(i).getPorts()) {
          if (port == null || !port.equals(cport.getContainerPort())) {
            continue;
          }
          Container c = containers.get(i);
          target.put(PREFIX + "pod_container_name", value(c.getName()));
          target.put(PREFIX + "pod_container_image", value(c.getImage()));
          target.put(PREFIX + "pod_container_port_name", value(cport.getName()));
          target.put(PREFIX + "pod_container_port_number", Integer.toString(port));
          target.put(PREFIX + "pod_container_port_protocol", containerProtocol
              ? value(cport.getProtocol()) : target.get(PREFIX + "endpoint_port_protocol"));
          target.put(PREFIX + "pod_container_init", Boolean.toString(i >= regular));
          break search;
        }
      }
      coveredPorts.computeIfAbsent(key, k -> new ArrayList<>()).add(port);
    }

    /** The endpoint targets, then one per container port of each pod that no endpoint port covers. */
    List<Map<String, String>> all() {
      pods.forEach((key, pod) -> {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || ip.isEmpty()) {
          return;
        }
        List<Integer> covered = coveredPorts.get(key);
        List<Container> containers = KubernetesTargets.containers(pod);
        int regular = pod.getSpec().getContainers().size();
        for (int i = 0; i < containers.size(); i++) {
          Container c = containers.get(i);
          for (ContainerPort cport : c.getPorts()) {
            if (covered.contains(cport.getContainerPort())) {
              continue;
            }
            int number = cport.getContainerPort() == null ? 0 : cport.getContainerPort();
            Map<String, String> target = new LinkedHashMap<>();
            target.put(ADDRESS, hostPort(ip, number));
            target.put(PREFIX + "pod_container_name", value(c.getName()));
            target.put(PREFIX + "pod_container_image", value(c.getImage()));
            target.put(PREFIX + "pod_container_port_name", value(cport.getName()));
            target.put(PREFIX + "pod_container_port_number", Integer.toString(number));
            target.put(PREFIX + "pod_container_port_protocol", value(cport.getProtocol()));
            target.put(PREFIX + "pod_container_init", Boolean.toString(i >= regular));
            target.putAll(KubernetesLabels.pod(pod));
            all.add(target);
          }
        }
      });
      return all;
    }
  }
}
