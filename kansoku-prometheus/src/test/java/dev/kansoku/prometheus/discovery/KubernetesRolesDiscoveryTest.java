package dev.kansoku.prometheus.discovery;

import static dev.kansoku.prometheus.discovery.KubernetesMock.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesRolesDiscoveryTest {
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

  private List<TargetGroup> start(String role) throws InterruptedException {
    discovery = mock.settings(role).open();
    discovery.start(updates);
    return updates.next();
  }

  private void createService() {
    mock.client.services().inNamespace("shop").resource(new ServiceBuilder()
        .withNewMetadata().withNamespace("shop").withName("cart").addToLabels("team", "checkout").endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10")
        .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
        .addNewPort().withName("metrics").withPort(9100).withProtocol("TCP").endPort()
        .endSpec().build()).create();
  }

  private Pod createPod() {
    return mock.client.pods().inNamespace("shop").resource(new PodBuilder()
        .withNewMetadata().withNamespace("shop").withName("cart-1").endMetadata()
        .withNewSpec().withNodeName("node-1")
        .addNewContainer().withName("cart").withImage("cart:3")
        .addNewPort().withName("web").withContainerPort(8080).withProtocol("TCP").endPort()
        .addNewPort().withName("admin").withContainerPort(8081).withProtocol("TCP").endPort()
        .endContainer().endSpec()
        .withNewStatus().withPodIP("10.1.2.3").withPhase("Running").endStatus()
        .build()).create();
  }

  @Test
  void serviceRoleHasOneTargetPerPortAtTheServicesDnsName() throws Exception {
    createService();
    mock.client.services().inNamespace("shop").resource(new ServiceBuilder()
        .withNewMetadata().withNamespace("shop").withName("legacy").endMetadata()
        .withNewSpec().withType("ExternalName").withExternalName("legacy.example.com")
        .addNewPort().withPort(443).endPort().endSpec().build()).create();
    mock.client.services().inNamespace("shop").resource(new ServiceBuilder()
        .withNewMetadata().withNamespace("shop").withName("edge").endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.11").withLoadBalancerIP("34.1.2.3")
        .addNewPort().withName("https").withPort(443).withProtocol("TCP").endPort().endSpec().build()).create();
    List<TargetGroup> groups = start("service");

    TargetGroup cart = group(groups, "svc/shop/cart");
    assertThat(cart.labels()).isEqualTo(Map.of(
        "__meta_kubernetes_namespace", "shop",
        "__meta_kubernetes_service_name", "cart",
        "__meta_kubernetes_service_label_team", "checkout",
        "__meta_kubernetes_service_labelpresent_team", "true"));
    assertThat(cart.targets()).containsExactly(
        Map.of("__address__", "cart.shop.svc:80",
            "__meta_kubernetes_service_port_name", "http",
            "__meta_kubernetes_service_port_number", "80",
            "__meta_kubernetes_service_port_protocol", "TCP",
            "__meta_kubernetes_service_type", "ClusterIP",
            "__meta_kubernetes_service_cluster_ip", "10.96.0.10"),
        Map.of("__address__", "cart.shop.svc:9100",
            "__meta_kubernetes_service_port_name", "metrics",
            "__meta_kubernetes_service_port_number", "9100",
            "__meta_kubernetes_service_port_protocol", "TCP",
            "__meta_kubernetes_service_type", "ClusterIP",
            "__meta_kubernetes_service_cluster_ip", "10.96.0.10"));
    assertThat(group(groups, "svc/shop/legacy").targets()).containsExactly(Map.of(
        "__address__", "legacy.shop.svc:443",
        "__meta_kubernetes_service_port_name", "",
        "__meta_kubernetes_service_port_number", "443",
        "__meta_kubernetes_service_port_protocol", "",
        "__meta_kubernetes_service_type", "ExternalName",
        "__meta_kubernetes_service_external_name", "legacy.example.com"));
    assertThat(group(groups, "svc/shop/edge").targets().get(0))
        .containsEntry("__meta_kubernetes_service_loadbalancer_ip", "34.1.2.3")
        .containsEntry("__meta_kubernetes_service_cluster_ip", "10.96.0.11");

    mock.client.services().inNamespace("shop").withName("legacy").delete();
    assertThat(updates.next("svc/shop/legacy").targets()).isEmpty();
  }

  @Test
  void endpointsRoleCarriesServiceAndPodLabelsAndTheUncoveredPodPorts() throws Exception {
    createService();
    Pod pod = createPod();
    mock.client.endpoints().inNamespace("shop").resource(new EndpointsBuilder()
        .withNewMetadata().withNamespace("shop").withName("cart").endMetadata()
        .addNewSubset()
        .addNewAddress().withIp("10.1.2.3").withNodeName("node-1")
        .withNewTargetRef().withKind("Pod").withNamespace("shop").withName("cart-1").endTargetRef().endAddress()
        .addNewNotReadyAddress().withIp("10.1.2.4").withHostname("cart-2").endNotReadyAddress()
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .endSubset().build()).create();
    List<TargetGroup> groups = start("endpoints");

    TargetGroup group = group(groups, "endpoints/shop/cart");
    assertThat(group.labels()).isEqualTo(Map.of(
        "__meta_kubernetes_namespace", "shop",
        "__meta_kubernetes_endpoints_name", "cart",
        "__meta_kubernetes_service_name", "cart",
        "__meta_kubernetes_service_label_team", "checkout",
        "__meta_kubernetes_service_labelpresent_team", "true"));
    Map<String, String> podLabels = new HashMap<>(Map.of(
        "__meta_kubernetes_pod_name", "cart-1",
        "__meta_kubernetes_pod_ip", "10.1.2.3",
        "__meta_kubernetes_pod_ready", "unknown",
        "__meta_kubernetes_pod_phase", "Running",
        "__meta_kubernetes_pod_node_name", "node-1",
        "__meta_kubernetes_pod_host_ip", "",
        "__meta_kubernetes_pod_uid", pod.getMetadata().getUid()));
    Map<String, String> ready = new HashMap<>(podLabels);
    ready.putAll(Map.of("__address__", "10.1.2.3:8080",
        "__meta_kubernetes_endpoint_port_name", "http",
        "__meta_kubernetes_endpoint_port_protocol", "TCP",
        "__meta_kubernetes_endpoint_ready", "true",
        "__meta_kubernetes_endpoint_address_target_kind", "Pod",
        "__meta_kubernetes_endpoint_address_target_name", "cart-1",
        "__meta_kubernetes_endpoint_node_name", "node-1"));
    ready.putAll(Map.of("__meta_kubernetes_pod_container_name", "cart",
        "__meta_kubernetes_pod_container_image", "cart:3",
        "__meta_kubernetes_pod_container_port_name", "web",
        "__meta_kubernetes_pod_container_port_number", "8080",
        "__meta_kubernetes_pod_container_port_protocol", "TCP",
        "__meta_kubernetes_pod_container_init", "false"));
    Map<String, String> notReady = Map.of("__address__", "10.1.2.4:8080",
        "__meta_kubernetes_endpoint_port_name", "http",
        "__meta_kubernetes_endpoint_port_protocol", "TCP",
        "__meta_kubernetes_endpoint_ready", "false",
        "__meta_kubernetes_endpoint_hostname", "cart-2");
    Map<String, String> uncovered = new HashMap<>(podLabels);
    uncovered.putAll(Map.of("__address__", "10.1.2.3:8081",
        "__meta_kubernetes_pod_container_name", "cart",
        "__meta_kubernetes_pod_container_image", "cart:3",
        "__meta_kubernetes_pod_container_port_name", "admin",
        "__meta_kubernetes_pod_container_port_number", "8081",
        "__meta_kubernetes_pod_container_port_protocol", "TCP",
        "__meta_kubernetes_pod_container_init", "false"));
    assertThat(group.targets()).containsExactly(ready, notReady, uncovered);

    // A pod's phase change rebuilds the endpoints that point at it.
    mock.client.pods().inNamespace("shop").withName("cart-1")
        .edit(p -> new PodBuilder(p).editStatus().withPhase("Succeeded").endStatus().build());
    assertThat(updates.next("endpoints/shop/cart").targets().get(0))
        .containsEntry("__meta_kubernetes_pod_phase", "Succeeded");
    // So does a change of the service.
    mock.client.services().inNamespace("shop").withName("cart")
        .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("team", "payments").endMetadata().build());
    assertThat(updates.next("endpoints/shop/cart").labels())
        .containsEntry("__meta_kubernetes_service_label_team", "payments");
  }

  @Test
  void endpointSliceRoleHasOneTargetPerAddressAndPort() throws Exception {
    createService();
    createPod();
    mock.client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
        .withNewMetadata().withNamespace("shop").withName("cart-x7")
        .addToLabels("kubernetes.io/service-name", "cart").endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.1.2.3").withNodeName("node-1").withZone("eu-west-1a")
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withNamespace("shop").withName("cart-1").endTargetRef()
        .endEndpoint()
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").withAppProtocol("http").endPort()
        .build()).create();
    List<TargetGroup> groups = start("endpointslice");

    TargetGroup group = group(groups, "endpointslice/shop/cart-x7");
    assertThat(group.labels())
        .containsEntry("__meta_kubernetes_namespace", "shop")
        .containsEntry("__meta_kubernetes_endpointslice_name", "cart-x7")
        .containsEntry("__meta_kubernetes_endpointslice_address_type", "IPv4")
        .containsEntry("__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "cart")
        .containsEntry("__meta_kubernetes_service_name", "cart")
        .containsEntry("__meta_kubernetes_service_label_team", "checkout");
    assertThat(group.targets()).hasSize(2);
    assertThat(group.targets().get(0))
        .containsEntry("__address__", "10.1.2.3:8080")
        .containsEntry("__meta_kubernetes_endpointslice_port", "8080")
        .containsEntry("__meta_kubernetes_endpointslice_port_name", "http")
        .containsEntry("__meta_kubernetes_endpointslice_port_protocol", "TCP")
        .containsEntry("__meta_kubernetes_endpointslice_port_app_protocol", "http")
        .containsEntry("__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true")
        .containsEntry("__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true")
        .containsEntry("__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false")
        .containsEntry("__meta_kubernetes_endpointslice_endpoint_node_name", "node-1")
        .containsEntry("__meta_kubernetes_endpointslice_endpoint_zone", "eu-west-1a")
        .containsEntry("__meta_kubernetes_endpointslice_address_target_kind", "Pod")
        .containsEntry("__meta_kubernetes_endpointslice_address_target_name", "cart-1")
        .containsEntry("__meta_kubernetes_pod_name", "cart-1")
        .containsEntry("__meta_kubernetes_pod_container_port_name", "web");
    assertThat(group.targets().get(1))
        .containsEntry("__address__", "10.1.2.3:8081")
        .containsEntry("__meta_kubernetes_pod_container_port_name", "admin")
        .doesNotContainKey("__meta_kubernetes_endpointslice_port");

    mock.client.services().inNamespace("shop").withName("cart")
        .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("team", "payments").endMetadata().build());
    assertThat(updates.next("endpointslice/shop/cart-x7").labels())
        .containsEntry("__meta_kubernetes_service_label_team", "payments");
  }

  @Test
  void nodeRoleTargetsTheKubeletAtTheFirstAddressByType() throws Exception {
    mock.client.nodes().resource(new NodeBuilder()
        .withNewMetadata().withName("ip-10-0-0-1").addToLabels("kubernetes.io/os", "linux").endMetadata()
        .withNewSpec().withProviderID("aws:///eu-west-1a/i-0abc").endSpec()
        .withNewStatus()
        .addNewAddress().withType("Hostname").withAddress("ip-10-0-0-1.internal").endAddress()
        .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
        .addNewAddress().withType("InternalIP").withAddress("10.0.0.2").endAddress()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
        .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
        .endStatus().build()).create();
    List<TargetGroup> groups = start("node");

    TargetGroup group = group(groups, "node/ip-10-0-0-1");
    assertThat(group.labels()).isEqualTo(Map.of(
        "__meta_kubernetes_node_name", "ip-10-0-0-1",
        "__meta_kubernetes_node_provider_id", "aws:///eu-west-1a/i-0abc",
        "__meta_kubernetes_node_condition_ready", "true",
        "__meta_kubernetes_node_condition_memorypressure", "false",
        "__meta_kubernetes_node_label_kubernetes_io_os", "linux",
        "__meta_kubernetes_node_labelpresent_kubernetes_io_os", "true"));
    assertThat(group.targets()).containsExactly(Map.of(
        "__address__", "10.0.0.1:10250",
        "instance", "ip-10-0-0-1",
        "__meta_kubernetes_node_address_Hostname", "ip-10-0-0-1.internal",
        "__meta_kubernetes_node_address_InternalIP", "10.0.0.1"));

    mock.client.nodes().withName("ip-10-0-0-1").delete();
    assertThat(updates.next("node/ip-10-0-0-1").targets()).isEmpty();
  }

  @Test
  void ingressRoleHasOneTargetPerRulePath() throws Exception {
    mock.client.network().v1().ingresses().inNamespace("shop").resource(new IngressBuilder()
        .withNewMetadata().withNamespace("shop").withName("front").endMetadata()
        .withNewSpec().withIngressClassName("alb")
        .addNewTl().withHosts("*.example.com").endTl()
        .addNewRule().withHost("shop.example.com").withNewHttp()
        .addNewPath().withPath("/cart").withPathType("Prefix").withNewBackend().withNewService().withName("cart")
        .withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
        .endHttp().endRule()
        .addNewRule().withHost("status.internal").endRule()
        .endSpec().build()).create();
    List<TargetGroup> groups = start("ingress");

    TargetGroup group = group(groups, "ingress/shop/front");
    assertThat(group.labels()).isEqualTo(Map.of(
        "__meta_kubernetes_namespace", "shop",
        "__meta_kubernetes_ingress_name", "front",
        "__meta_kubernetes_ingress_class_name", "alb"));
    assertThat(group.targets()).containsExactly(
        Map.of("__address__", "shop.example.com",
            "__meta_kubernetes_ingress_scheme", "https",
            "__meta_kubernetes_ingress_host", "shop.example.com",
            "__meta_kubernetes_ingress_path", "/cart"),
        Map.of("__address__", "status.internal",
            "__meta_kubernetes_ingress_scheme", "http",
            "__meta_kubernetes_ingress_host", "status.internal",
            "__meta_kubernetes_ingress_path", "/"));
  }
}
