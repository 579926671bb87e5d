package dev.kansoku.prometheus.discovery;

import static dev.kansoku.prometheus.discovery.KubernetesMock.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesPodDiscoveryTest {
  private KubernetesMock mock;
  private TargetDiscovery discovery;
  private final KubernetesMock.Updates updates = new KubernetesMock.Updates();

  @BeforeEach
  void startServer() {
    mock = new KubernetesMock();
  }

  @AfterEach
  void stop() {
    if (discovery != null) {
      discovery.close();
    }
    mock.close();
  }

  static Pod pod(String namespace, String name, String ip) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name)
        .addToLabels("app.kubernetes.io/name", "web").addToAnnotations("prometheus.io/scrape", "true")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-5d8f")
        .withUid("rs-uid").withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withNodeName("node-1")
        .addNewContainer().withName("app").withImage("web:1.2")
        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
        .addNewPort().withName("metrics").withContainerPort(9102).withProtocol("TCP").endPort()
        .endContainer()
        .addNewContainer().withName("sidecar").withImage("envoy:1").endContainer()
        .addNewInitContainer().withName("init").withImage("busybox")
        .addNewPort().withContainerPort(7000).withProtocol("UDP").endPort().endInitContainer()
        .endSpec()
        .withNewStatus().withPodIP(ip).withHostIP("10.0.0.1").withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("app").withContainerID("containerd://abc").endContainerStatus()
        .addNewInitContainerStatus().withName("init").withContainerID("containerd://def").endInitContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void onePodTargetPerContainerPortAndOnePerContainerWithoutPorts() throws Exception {
    Pod created = mock.client.pods().inNamespace("default").resource(pod("default", "web-1", "10.1.0.5")).create();
    discovery = mock.settings("pod").open();
    discovery.start(updates);

    TargetGroup group = group(updates.next(), "pod/default/web-1");
    assertThat(group.labels()).isEqualTo(Map.ofEntries(
        Map.entry("__meta_kubernetes_namespace", "default"),
        Map.entry("__meta_kubernetes_pod_name", "web-1"),
        Map.entry("__meta_kubernetes_pod_ip", "10.1.0.5"),
        Map.entry("__meta_kubernetes_pod_ready", "true"),
        Map.entry("__meta_kubernetes_pod_phase", "Running"),
        Map.entry("__meta_kubernetes_pod_node_name", "node-1"),
        Map.entry("__meta_kubernetes_pod_host_ip", "10.0.0.1"),
        Map.entry("__meta_kubernetes_pod_uid", created.getMetadata().getUid()),
        Map.entry("__meta_kubernetes_pod_controller_kind", "ReplicaSet"),
        Map.entry("__meta_kubernetes_pod_controller_name", "web-5d8f"),
        Map.entry("__meta_kubernetes_pod_label_app_kubernetes_io_name", "web"),
        Map.entry("__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true"),
        Map.entry("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"),
        Map.entry("__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true")));
    assertThat(group.targets()).containsExactly(
        Map.of("__address__", "10.1.0.5:8080",
            "__meta_kubernetes_pod_container_name", "app",
            "__meta_kubernetes_pod_container_id", "containerd://abc",
            "__meta_kubernetes_pod_container_image", "web:1.2",
            "__meta_kubernetes_pod_container_init", "false",
            "__meta_kubernetes_pod_container_port_number", "8080",
            "__meta_kubernetes_pod_container_port_name", "http",
            "__meta_kubernetes_pod_container_port_protocol", "TCP"),
        Map.of("__address__", "10.1.0.5:9102",
            "__meta_kubernetes_pod_container_name", "app",
            "__meta_kubernetes_pod_container_id", "containerd://abc",
            "__meta_kubernetes_pod_container_image", "web:1.2",
            "__meta_kubernetes_pod_container_init", "false",
            "__meta_kubernetes_pod_container_port_number", "9102",
            "__meta_kubernetes_pod_container_port_name", "metrics",
            "__meta_kubernetes_pod_container_port_protocol", "TCP"),
        Map.of("__address__", "10.1.0.5",
            "__meta_kubernetes_pod_container_name", "sidecar",
            "__meta_kubernetes_pod_container_id", "",
            "__meta_kubernetes_pod_container_image", "envoy:1",
            "__meta_kubernetes_pod_container_init", "false"),
        Map.of("__address__", "10.1.0.5:7000",
            "__meta_kubernetes_pod_container_name", "init",
            "__meta_kubernetes_pod_container_id", "containerd://def",
            "__meta_kubernetes_pod_container_image", "busybox",
            "__meta_kubernetes_pod_container_init", "true",
            "__meta_kubernetes_pod_container_port_number", "7000",
            "__meta_kubernetes_pod_container_port_name", "",
            "__meta_kubernetes_pod_container_port_protocol", "UDP"));
  }

  @Test
  void addedChangedAndDeletedPodsReplaceTheirGroup() throws Exception {
    discovery = mock.settings("pod").open();
    discovery.start(updates);
    assertThat(updates.next()).isEmpty();

    mock.client.pods().inNamespace("default").resource(pod("default", "web-2", "10.1.0.6")).create();
    TargetGroup added = updates.next("pod/default/web-2");
    assertThat(added.targets()).hasSize(4);

    mock.client.pods().inNamespace("default").withName("web-2")
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("tier", "front").endMetadata().build());
    TargetGroup changed = updates.next("pod/default/web-2");
    assertThat(changed.labels()).containsEntry("__meta_kubernetes_pod_label_tier", "front");

    mock.client.pods().inNamespace("default").withName("web-2").delete();
    TargetGroup deleted = updates.next("pod/default/web-2");
    assertThat(deleted.targets()).isEmpty();
    assertThat(deleted.labels()).isEmpty();
  }

  @Test
  void aPodWithoutIpHasNoTargets() throws Exception {
    mock.client.pods().inNamespace("default").resource(pod("default", "pending", null)).create();
    discovery = mock.settings("pod").open();
    discovery.start(updates);

    TargetGroup group = group(updates.next(), "pod/default/pending");
    assertThat(group.targets()).isEmpty();
  }

  @Test
  void namespacesNamesWatchOnlyThoseNamespaces() throws Exception {
    mock.client.pods().inNamespace("a").resource(pod("a", "p1", "10.1.0.1")).create();
    mock.client.pods().inNamespace("b").resource(pod("b", "p2", "10.1.0.2")).create();
    mock.client.pods().inNamespace("c").resource(pod("c", "p3", "10.1.0.3")).create();
    KubernetesSdConfig settings = mock.settings("pod");
    settings.namespaces.names = List.of("a", "c");
    discovery = settings.open();
    discovery.start(updates);

    assertThat(updates.next()).extracting(TargetGroup::source)
        .containsExactlyInAnyOrder("pod/a/p1", "pod/c/p3");
    mock.client.pods().inNamespace("b").resource(pod("b", "p4", "10.1.0.4")).create();
    mock.client.pods().inNamespace("c").resource(pod("c", "p5", "10.1.0.5")).create();
    assertThat(updates.next()).extracting(TargetGroup::source).containsExactly("pod/c/p5");
  }

  @Test
  void labelAndFieldSelectorsGoToTheApi() throws Exception {
    mock.client.pods().inNamespace("default").resource(pod("default", "web-1", "10.1.0.1")).create();
    mock.client.pods().inNamespace("default").resource(new PodBuilder(pod("default", "web-2", "10.1.0.2"))
        .editMetadata().addToLabels("canary", "yes").endMetadata().build()).create();
    mock.client.pods().inNamespace("default").resource(new PodBuilder(pod("default", "db-1", "10.1.0.3"))
        .editMetadata().withLabels(Map.of("app.kubernetes.io/name", "db")).endMetadata().build()).create();
    KubernetesSdConfig settings = mock.settings("pod");
    KubernetesSdConfig.Selector selector = new KubernetesSdConfig.Selector();
    selector.role = "pod";
    selector.label = "app.kubernetes.io/name=web";
    selector.field = "metadata.name!=web-2";
    settings.selectors = List.of(selector);
    settings.validate("kubernetes_sd_configs[0]");
    discovery = settings.open();
    discovery.start(updates);

    assertThat(updates.next()).extracting(TargetGroup::source).containsExactly("pod/default/web-1");
  }

  @Test
  void attachMetadataNodeAddsTheNodesLabelsAndDropsPodsOfUnknownNodes() throws Exception {
    mock.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1")
        .addToLabels("topology.kubernetes.io/zone", "eu-west-1a").endMetadata().build()).create();
    mock.client.pods().inNamespace("default").resource(pod("default", "web-1", "10.1.0.1")).create();
    mock.client.pods().inNamespace("default").resource(new PodBuilder(pod("default", "web-2", "10.1.0.2"))
        .editSpec().withNodeName("node-2").endSpec().build()).create();
    KubernetesSdConfig settings = mock.settings("pod");
    settings.attachMetadata.node = true;
    discovery = settings.open();
    discovery.start(updates);

    List<TargetGroup> groups = updates.next();
    assertThat(group(groups, "pod/default/web-1").labels())
        .containsEntry("__meta_kubernetes_node_name", "node-1")
        .containsEntry("__meta_kubernetes_node_label_topology_kubernetes_io_zone", "eu-west-1a")
        .containsEntry("__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone", "true");
    assertThat(group(groups, "pod/default/web-2").targets()).isEmpty();

    mock.client.nodes().withName("node-1").edit(n -> new NodeBuilder(n).editMetadata()
        .addToLabels("topology.kubernetes.io/zone", "eu-west-1b").endMetadata().build());
    assertThat(updates.next("pod/default/web-1").labels())
        .containsEntry("__meta_kubernetes_node_label_topology_kubernetes_io_zone", "eu-west-1b");
  }
}
