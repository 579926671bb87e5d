package dev.kansoku.prometheus.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kansoku.prometheus.config.HttpClientConfig;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class KubernetesSdConfigTest {
  private static final String PATH = "scrape_configs[0]::kubernetes_sd_configs[0]";

  private static KubernetesSdConfig config(String role) {
    KubernetesSdConfig config = new KubernetesSdConfig();
    config.role = role;
    return config;
  }

  private static KubernetesSdConfig.Selector selector(String role, String label, String field) {
    KubernetesSdConfig.Selector selector = new KubernetesSdConfig.Selector();
    selector.role = role;
    selector.label = label;
    selector.field = field;
    return selector;
  }

  @Test
  void roleIsRequiredAndKnown() {
    assertThatThrownBy(() -> config(null).validate(PATH)).hasMessage(PATH
        + ": role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
    assertThatThrownBy(() -> config("pods").validate(PATH)).hasMessageStartingWith(PATH
        + "::role: unknown Kubernetes SD role \"pods\"");
  }

  @Test
  void connectionSettingsExcludeEachOtherAsInPrometheus() {
    KubernetesSdConfig both = config("pod");
    both.apiServer = "https://k8s.internal:6443";
    both.kubeconfigFile = "/etc/kube/config";
    assertThatThrownBy(() -> both.validate(PATH))
        .hasMessage(PATH + ": cannot use 'kubeconfig_file' and 'api_server' simultaneously");

    KubernetesSdConfig httpWithoutServer = config("pod");
    httpWithoutServer.bearerTokenFile = "/var/run/token";
    assertThatThrownBy(() -> httpWithoutServer.validate(PATH)).hasMessage(PATH
        + ": to use custom HTTP client configuration please provide the 'api_server' URL explicitly");

    KubernetesSdConfig httpWithKubeconfig = config("pod");
    httpWithKubeconfig.kubeconfigFile = "/etc/kube/config";
    httpWithKubeconfig.tlsConfig.insecureSkipVerify = true;
    assertThatThrownBy(() -> httpWithKubeconfig.validate(PATH)).hasMessage(PATH
        + ": cannot use a custom HTTP client configuration together with 'kubeconfig_file'");

    KubernetesSdConfig ownNamespace = config("pod");
    ownNamespace.apiServer = "https://k8s.internal:6443";
    ownNamespace.namespaces.ownNamespace = true;
    assertThatThrownBy(() -> ownNamespace.validate(PATH))
        .hasMessage(PATH + ": cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");

    KubernetesSdConfig notUrl = config("pod");
    notUrl.apiServer = "k8s.internal:6443";
    assertThatThrownBy(() -> notUrl.validate(PATH)).hasMessageStartingWith(PATH + "::api_server: ");

    KubernetesSdConfig basic = config("pod");
    basic.apiServer = "https://k8s.internal:6443";
    basic.authorization = new HttpClientConfig.Authorization();
    basic.authorization.type = "Basic";
    assertThatThrownBy(() -> basic.validate(PATH)).hasMessageStartingWith(PATH + "::authorization: ");
  }

  @Test
  void selectorsMustSuitTheRoleAndParse() {
    KubernetesSdConfig podWithService = config("pod");
    podWithService.selectors = List.of(selector("service", "app=web", null));
    assertThatThrownBy(() -> podWithService.validate(PATH))
        .hasMessage(PATH + "::selectors[0]: pod role supports only pod, node selectors");

    KubernetesSdConfig duplicated = config("endpoints");
    duplicated.selectors = List.of(selector("pod", "a=b", null), selector("pod", "c=d", null));
    assertThatThrownBy(() -> duplicated.validate(PATH))
        .hasMessage(PATH + "::selectors[1]: duplicated selector role: pod");

    KubernetesSdConfig badLabel = config("pod");
    badLabel.selectors = List.of(selector("pod", "app=web,tier in (a,b", null));
    assertThatThrownBy(() -> badLabel.validate(PATH))
        .hasMessageStartingWith(PATH + "::selectors[0]::label: invalid label selector");

    KubernetesSdConfig badField = config("pod");
    badField.selectors = List.of(selector("pod", null, "status.phase"));
    assertThatThrownBy(() -> badField.validate(PATH)).hasMessage(PATH
        + "::selectors[0]::field: invalid selector: 'status.phase'; can't understand 'status.phase'");

    KubernetesSdConfig good = config("endpoints");
    good.selectors = List.of(
        selector("endpoints", "app.kubernetes.io/name=web,tier notin (cache),!canary,release", null),
        selector("pod", null, "status.phase=Running,spec.nodeName!=node-1"));
    good.validate(PATH);
    assertThat(KubernetesSelectors.parseFieldSelector("f", "status.phase==Running,spec.nodeName!=node\\,1"))
        .containsExactly(new KubernetesSelectors.FieldTerm("status.phase", "Running", false),
            new KubernetesSelectors.FieldTerm("spec.nodeName", "node,1", true));
  }

  @Test
  void outsideAClusterWithoutApiServerOpenSaysSo(@TempDir Path dir) {
    KubernetesSdConfig settings = config("pod");
    settings.validate(PATH);
    assertThatThrownBy(() -> KubernetesDiscovery.open(settings, dir, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined");

    settings.namespaces.ownNamespace = true;
    assertThatThrownBy(() -> KubernetesDiscovery.open(settings, dir, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("could not determine the pod's namespace");
  }

  @Test
  void inClusterReadsTheServiceAccount(@TempDir Path dir) throws Exception {
    KubernetesSdConfig settings = config("pod");
    settings.namespaces.ownNamespace = true;
    settings.validate(PATH);
    Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", "1");
    assertThatThrownBy(() -> KubernetesDiscovery.open(settings, dir, env))
        .hasMessageStartingWith("could not determine the pod's namespace");
    Files.writeString(dir.resolve("namespace"), "monitoring");
    assertThatThrownBy(() -> KubernetesDiscovery.open(settings, dir, env))
        .hasMessageStartingWith("cannot read " + dir.resolve("token"));
    Files.writeString(dir.resolve("token"), "sa-token\n");
    try (TargetDiscovery discovery = KubernetesDiscovery.open(settings, dir, env)) {
      assertThat(discovery).isInstanceOf(KubernetesDiscovery.class);
    }
  }

  @Test
  void kubeconfigFileNamesTheServer(@TempDir Path dir) throws Exception {
    try (KubernetesMock mock = new KubernetesMock()) {
      mock.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
          .withNamespace("default").withName("web").endMetadata().withNewStatus().withPodIP("10.1.0.1")
          .endStatus().withNewSpec().addNewContainer().withName("app").endContainer().endSpec().build()).create();
      Path kubeconfig = dir.resolve("config");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster:
              server: %s
          users:
          - name: prometheus
            user:
              token: abc
          contexts:
          - name: mock
            context: {cluster: mock, user: prometheus}
          current-context: mock
          """.formatted(mock.url()));
      KubernetesSdConfig settings = config("pod");
      settings.kubeconfigFile = kubeconfig.toString();
      settings.validate(PATH);
      KubernetesMock.Updates updates = new KubernetesMock.Updates();
      try (TargetDiscovery discovery = settings.open()) {
        discovery.start(updates);
        assertThat(KubernetesMock.group(updates.next(), "pod/default/web").targets())
            .containsExactly(Map.of("__address__", "10.1.0.1",
                "__meta_kubernetes_pod_container_name", "app",
                "__meta_kubernetes_pod_container_id", "",
                "__meta_kubernetes_pod_container_image", "",
                "__meta_kubernetes_pod_container_init", "false"));
      }
    }

    KubernetesSdConfig missing = config("pod");
    missing.kubeconfigFile = dir.resolve("nope").toString();
    assertThatThrownBy(missing::open).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void anUnreachableApiServerIsLoggedAndRetriedWithoutBlockingStart() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    KubernetesSdConfig settings = config("endpoints");
    settings.apiServer = "http://127.0.0.1:" + port;
    settings.validate(PATH);
    Logger logger = (Logger) LoggerFactory.getLogger(KubernetesDiscovery.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    KubernetesMock.Updates updates = new KubernetesMock.Updates();
    try (TargetDiscovery discovery = settings.open()) {
      long began = System.nanoTime();
      discovery.start(updates);
      assertThat(System.nanoTime() - began).as("start does not wait for the server").isLessThan(2_000_000_000L);
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (log.list.stream().noneMatch(e -> e.getLevel() == Level.WARN) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).first()
          .extracting(ILoggingEvent::getFormattedMessage).asString()
          .contains("role endpoints", "http://127.0.0.1:" + port, "retrying");
      assertThat(updates.poll(200)).isNull();
    } finally {
      logger.detachAppender(log);
    }
  }
}
