package dev.kansoku.prometheus.discovery;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The {@code __meta_kubernetes_*} labels that several roles share, named as Prometheus names them. */
final class KubernetesLabels {
  static final String PREFIX = "__meta_kubernetes_";
  static final String ADDRESS = "__address__";
  static final String NAMESPACE = PREFIX + "namespace";

  private KubernetesLabels() {}

  /** {@code <role>_name}, then every label and annotation of the object, each with its {@code _present} twin. */
  static void objectMeta(Map<String, String> labels, ObjectMeta meta, String role) {
    labels.put(PREFIX + role + "_name", value(meta.getName()));
    labelsAndAnnotations(labels, meta, role);
  }

  static void labelsAndAnnotations(Map<String, String> labels, ObjectMeta meta, String resource) {
    if (meta.getLabels() != null) {
      meta.getLabels().forEach((k, v) -> {
        String name = sanitize(k);
        labels.put(PREFIX + resource + "_label_" + name, value(v));
        labels.put(PREFIX + resource + "_labelpresent_" + name, "true");
      });
    }
    if (meta.getAnnotations() != null) {
      meta.getAnnotations().forEach((k, v) -> {
        String name = sanitize(k);
        labels.put(PREFIX + resource + "_annotation_" + name, value(v));
        labels.put(PREFIX + resource + "_annotationpresent_" + name, "true");
      });
    }
  }

  /** The pod's own labels, shared by the pod role and the pod-backed endpoints of the endpoints roles. */
  static Map<String, String> pod(Pod pod) {
    Map<String, String> labels = new HashMap<>();
    labels.put(PREFIX + "pod_ip", value(pod.getStatus() == null ? null : pod.getStatus().getPodIP()));
    labels.put(PREFIX + "pod_ready", ready(pod));
    labels.put(PREFIX + "pod_phase", value(pod.getStatus() == null ? null : pod.getStatus().getPhase()));
    labels.put(PREFIX + "pod_node_name", value(pod.getSpec() == null ? null : pod.getSpec().getNodeName()));
    labels.put(PREFIX + "pod_host_ip", value(pod.getStatus() == null ? null : pod.getStatus().getHostIP()));
    labels.put(PREFIX + "pod_uid", value(pod.getMetadata().getUid()));
    objectMeta(labels, pod.getMetadata(), "pod");
    OwnerReference controller = controller(pod.getMetadata());
    if (controller != null) {
      if (controller.getKind() != null && !controller.getKind().isEmpty()) {
        labels.put(PREFIX + "pod_controller_kind", controller.getKind());
      }
      if (controller.getName() != null && !controller.getName().isEmpty()) {
        labels.put(PREFIX + "pod_controller_name", controller.getName());
      }
    }
    return labels;
  }

  /** The service's labels, on service targets and on the groups of the endpoints it names. */
  static Map<String, String> service(Service service) {
    Map<String, String> labels = new HashMap<>();
    labels.put(NAMESPACE, value(service.getMetadata().getNamespace()));
    objectMeta(labels, service.getMetadata(), "service");
    return labels;
  }

  private static OwnerReference controller(ObjectMeta meta) {
    if (meta.getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference ref : meta.getOwnerReferences()) {
      if (Boolean.TRUE.equals(ref.getController())) {
        return ref;
      }
    }
    return null;
  }

  private static String ready(Pod pod) {
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition condition : pod.getStatus().getConditions()) {
        if ("Ready".equals(condition.getType())) {
          return value(condition.getStatus()).toLowerCase(Locale.ROOT);
        }
      }
    }
    return "unknown";
  }

  /** Prometheus's label-name sanitizing: every character but [a-zA-Z0-9_] becomes an underscore. */
  static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    name.codePoints().forEach(c -> out.append(
        c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' ? (char) c : '_'));
    return out.toString();
  }

  /** Go's zero value: an unset field is an empty label value. */
  static String value(String s) {
    return s == null ? "" : s;
  }

  /** Go's net.JoinHostPort: IPv6 hosts in brackets. */
  static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
