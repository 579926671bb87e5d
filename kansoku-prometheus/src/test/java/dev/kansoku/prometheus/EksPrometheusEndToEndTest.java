package dev.kansoku.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.kansoku.contrib.resourceprocessor.ResourceProcessorFactory;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.prometheus.discovery.KubernetesMock;
import dev.kansoku.prometheus.receiver.PrometheusReceiverFactory;
import dev.kansoku.prometheus.remotewrite.PrometheusRemoteWriteExporterFactory;
import dev.kansoku.prometheus.remotewrite.PrometheusServer;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ADOT's EKS Prometheus setup run end to end: a configuration shaped like ADOT's {@code eks/prometheus}
 * ones (pod-role JMX and Fluent Bit jobs, the endpoints-role {@code kubernetes-service-endpoints} job with
 * nginx and HAProxy behind annotated services, their relabel and metric relabel rules) discovers local
 * exporters through fabric8's mock Kubernetes API, and {@code prometheusremotewrite} writes what it scrapes
 * into a real Prometheus, read back through its HTTP API.
 */
@ExtendWith(PrometheusServer.class)
class EksPrometheusEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String NODE = "ip-192-168-12-34.eu-west-1.compute.internal";
  /** Exporters change their values over the first scrapes, then hold them, so the last values are known. */
  private static final int MOVING_SCRAPES = 3;

  /** The pipeline as ADOT ships it for EKS, with the API server, ports and Prometheus of the test. */
  private static final String CONFIG = """
      receivers:
        prometheus:
          config:
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: 'kubernetes-pod-jmx'
                sample_limit: 10000
                metrics_path: /metrics
                kubernetes_sd_configs:
                  - role: pod
                    api_server: ${K8S_API}
                relabel_configs:
                  - source_labels: [ __address__ ]
                    action: keep
                    regex: '.*:${JMX_PORT}$'
                  - action: labelmap
                    regex: __meta_kubernetes_pod_label_(.+)
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_namespace
                    target_label: Namespace
                  - source_labels: [ __meta_kubernetes_pod_name ]
                    action: replace
                    target_label: pod_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_container_name
                    target_label: container_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_controller_name
                    target_label: pod_controller_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_controller_kind
                    target_label: pod_controller_kind
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_phase
                    target_label: pod_phase
                metric_relabel_configs:
                  - source_labels: [ __name__ ]
                    regex: 'jvm_gc_collection_seconds.*'
                    action: drop
              - job_name: 'kubernetes-pod-fluentbit-plugin'
                sample_limit: 10000
                metrics_path: /api/v1/metrics/prometheus
                kubernetes_sd_configs:
                  - role: pod
                    api_server: ${K8S_API}
                relabel_configs:
                  - source_labels: [ __meta_kubernetes_pod_container_name ]
                    action: keep
                    regex: '^fluent-bit.*$'
                  - source_labels: [ __address__ ]
                    action: replace
                    regex: ([^:]+)(?::\\d+)?
                    replacement: $${1}:${FLUENT_BIT_PORT}
                    target_label: __address__
                  - action: labelmap
                    regex: __meta_kubernetes_pod_label_(.+)
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_namespace
                    target_label: Namespace
                  - source_labels: [ __meta_kubernetes_pod_name ]
                    action: replace
                    target_label: pod_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_container_name
                    target_label: container_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_controller_name
                    target_label: pod_controller_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_controller_kind
                    target_label: pod_controller_kind
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_phase
                    target_label: pod_phase
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_node_name
                    target_label: container_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_node_name
              - job_name: kubernetes-service-endpoints
                sample_limit: 10000
                kubernetes_sd_configs:
                  - role: endpoints
                    api_server: ${K8S_API}
                relabel_configs:
                  - action: keep
                    regex: true
                    source_labels:
                      - __meta_kubernetes_service_annotation_prometheus_io_scrape
                  - action: replace
                    regex: (https?)
                    source_labels:
                      - __meta_kubernetes_service_annotation_prometheus_io_scheme
                    target_label: __scheme__
                  - action: replace
                    regex: (.+)
                    source_labels:
                      - __meta_kubernetes_service_annotation_prometheus_io_path
                    target_label: __metrics_path__
                  - action: replace
                    regex: ([^:]+)(?::\\d+)?;(\\d+)
                    replacement: $$1:$$2
                    source_labels:
                      - __address__
                      - __meta_kubernetes_service_annotation_prometheus_io_port
                    target_label: __address__
                  - action: labelmap
                    regex: __meta_kubernetes_service_label_(.+)
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_namespace
                    target_label: Namespace
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_service_name
                    target_label: Service
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_node_name
                    target_label: kubernetes_node
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_name
                    target_label: pod_name
                  - action: replace
                    source_labels:
                      - __meta_kubernetes_pod_container_name
                    target_label: container_name
                metric_relabel_configs:
                  - source_labels: [ __name__ ]
                    regex: 'go_gc_duration_seconds.*'
                    action: drop
                  - source_labels: [ __name__, proxy ]
                    regex: "haproxy_frontend.+;(.+)"
                    target_label: frontend
                    replacement: "$$1"
                  - source_labels: [ __name__, proxy ]
                    regex: "haproxy_server.+;(.+)"
                    target_label: backend
                    replacement: "$$1"
                  - source_labels: [ __name__, proxy ]
                    regex: "haproxy_backend.+;(.+)"
                    target_label: backend
                    replacement: "$$1"
                  - regex: proxy
                    action: labeldrop
      processors:
        resource:
          attributes:
            - key: TaskId
              from_attribute: service.name
              action: insert
            - key: receiver
              value: "prometheus"
              action: insert
      exporters:
        prometheusremotewrite:
          endpoint: ${PROMETHEUS}/api/v1/write
          resource_to_telemetry_conversion:
            enabled: true
      service:
        pipelines:
          metrics:
            receivers: [ prometheus ]
            processors: [ resource ]
            exporters: [ prometheusremotewrite ]
      """;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  @Timeout(90)
  void eksScrapeConfigs_discoverScrapeAndRemoteWrite_thenADeletedPodGoesStale() throws Exception {
    Exporter jmx = open(new Exporter("/metrics", EksPrometheusEndToEndTest::jmxExporter));
    Set<Long> fluentBitTimestamps = ConcurrentHashMap.newKeySet();
    Exporter fluentBit = open(new Exporter("/api/v1/metrics/prometheus", n -> {
      long ms = System.currentTimeMillis();
      fluentBitTimestamps.add(ms);
      return fluentBit(n, ms);
    }));
    Exporter nginx = open(new Exporter("/metrics", EksPrometheusEndToEndTest::nginxExporter));
    Exporter haproxy = open(new Exporter("/haproxy/metrics", EksPrometheusEndToEndTest::haproxyExporter));

    KubernetesMock k8s = open(new KubernetesMock());
    for (String ns : List.of("shop", "amazon-cloudwatch", "ingress-nginx", "haproxy-controller")) {
      k8s.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    Pod tomcat = k8s.client.pods().inNamespace("shop").resource(pod("shop", "tomcat-6d8f7c9b5-x2x7k",
        Map.of("app", "tomcat", "pod-template-hash", "6d8f7c9b5"),
        Map.of("prometheus.io/scrape", "true", "prometheus.io/port", String.valueOf(jmx.port())),
        "ReplicaSet", "tomcat-6d8f7c9b5", "tomcat", Map.of("http", 8080, "jmx-metrics", jmx.port()))).create();
    // Fluent Bit's DaemonSet container declares no port: its target is the bare pod IP.
    k8s.client.pods().inNamespace("amazon-cloudwatch").resource(pod("amazon-cloudwatch", "fluent-bit-7qzkp",
        Map.of("k8s-app", "fluent-bit"), Map.of(), "DaemonSet", "fluent-bit", "fluent-bit", Map.of())).create();
    Pod nginxPod = k8s.client.pods().inNamespace("ingress-nginx").resource(pod("ingress-nginx",
        "ingress-nginx-controller-5c8d66c76d-4kxzp", Map.of("app.kubernetes.io/name", "ingress-nginx"), Map.of(),
        "ReplicaSet", "ingress-nginx-controller-5c8d66c76d", "controller", Map.of("http", 80, "metrics", 10254)))
        .create();
    Pod haproxyPod = k8s.client.pods().inNamespace("haproxy-controller").resource(pod("haproxy-controller",
        "haproxy-ingress-7b6d4b9f5c-lq2mz", Map.of("run", "haproxy-ingress"), Map.of(), "ReplicaSet",
        "haproxy-ingress-7b6d4b9f5c", "haproxy-ingress", Map.of("stat", 1024))).create();
    // The services the endpoints job keeps: scrape annotations naming the exporters' real ports.
    service(k8s, "ingress-nginx", "ingress-nginx-controller-metrics", Map.of("app.kubernetes.io/name", "ingress-nginx"),
        Map.of("prometheus.io/scrape", "true", "prometheus.io/port", String.valueOf(nginx.port())), nginxPod,
        "metrics", 10254);
    service(k8s, "haproxy-controller", "haproxy-ingress-controller-metrics", Map.of("run", "haproxy-ingress"),
        Map.of("prometheus.io/scrape", "true", "prometheus.io/port", String.valueOf(haproxy.port()),
            "prometheus.io/path", "/haproxy/metrics", "prometheus.io/scheme", "http"), haproxyPod, "stat", 1024);
    // A service without the scrape annotation: the keep rule drops its endpoints.
    service(k8s, "shop", "tomcat", Map.of("app", "tomcat"), Map.of(), tomcat, "http", 8080);

    ComponentRegistry registry = new TestComponents().registry(new PrometheusReceiverFactory(),
        new PrometheusRemoteWriteExporterFactory(), new ResourceProcessorFactory());
    Map<String, String> vars = Map.of("K8S_API", k8s.url(), "JMX_PORT", String.valueOf(jmx.port()),
        "FLUENT_BIT_PORT", String.valueOf(fluentBit.port()), "PROMETHEUS", PrometheusServer.url());
    Service service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + CONFIG),
        vars::get)), registry);
    service.start();
    resources.add(service::shutdown);

    String jmxInstance = "127.0.0.1:" + jmx.port();
    String nginxInstance = "127.0.0.1:" + nginx.port();
    String haproxyInstance = "127.0.0.1:" + haproxy.port();
    String fluentBitInstance = "127.0.0.1:" + fluentBit.port();
    // Each discovered target reports up 1, once: the nginx pod's uncovered port 80 relabels to the same target.
    await("up for the four discovered targets", () -> query("up").stream().map(s -> s.get("job") + " "
        + s.get("instance") + " " + s.get("value")).sorted().toList(), Stream.of(
        "kubernetes-pod-fluentbit-plugin " + fluentBitInstance + " 1",
        "kubernetes-pod-jmx " + jmxInstance + " 1",
        "kubernetes-service-endpoints " + haproxyInstance + " 1",
        "kubernetes-service-endpoints " + nginxInstance + " 1").sorted().toList());
    await("the last values the exporters served", () -> List.of(
        value("jvm_classes_loaded_total"), value("nginx_ingress_controller_requests_total{status=\"200\"}"),
        value("haproxy_frontend_http_responses_total{code=\"2xx\"}"), value("fluentbit_input_bytes_total")),
        List.of("9200", "160", "80", "123756"));

    // One series with every label: target labels from relabeling, resource attributes as labels, the
    // resource processor's insertions (no otel_scope_version: classes run from target/classes have no version).
    assertThat(query("jvm_memory_bytes_used{area=\"heap\"}")).containsExactly(new TreeMap<>(Map.ofEntries(
        Map.entry("__name__", "jvm_memory_bytes_used"), Map.entry("area", "heap"),
        Map.entry("app", "tomcat"), Map.entry("pod_template_hash", "6d8f7c9b5"),
        Map.entry("Namespace", "shop"), Map.entry("pod_name", "tomcat-6d8f7c9b5-x2x7k"),
        Map.entry("container_name", "tomcat"), Map.entry("pod_controller_name", "tomcat-6d8f7c9b5"),
        Map.entry("pod_controller_kind", "ReplicaSet"), Map.entry("pod_phase", "Running"),
        Map.entry("job", "kubernetes-pod-jmx"), Map.entry("instance", jmxInstance),
        Map.entry("service_name", "kubernetes-pod-jmx"), Map.entry("service_instance_id", jmxInstance),
        Map.entry("server_port", String.valueOf(jmx.port())), Map.entry("url_scheme", "http"),
        Map.entry("k8s_namespace_name", "shop"), Map.entry("k8s_pod_name", "tomcat-6d8f7c9b5-x2x7k"),
        Map.entry("k8s_pod_uid", tomcat.getMetadata().getUid()), Map.entry("k8s_container_name", "tomcat"),
        Map.entry("k8s_node_name", NODE), Map.entry("k8s_replicaset_name", "tomcat-6d8f7c9b5"),
        Map.entry("otel_scope_name",
            "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver"),
        Map.entry("TaskId", "kubernetes-pod-jmx"), Map.entry("receiver", "prometheus"),
        Map.entry("value", "104857600"))));

    // JMX exporter: gauges, counters (a counter family not ending in _total gets it), a histogram, a summary;
    // the GC summary is dropped by metric_relabel_configs.
    String j = "{job=\"kubernetes-pod-jmx\"}";
    assertThat(values("jvm_memory_bytes_used" + j, "area")).isEqualTo(Map.of("heap", "104857600",
        "nonheap", "52428800"));
    assertThat(values("jvm_memory_pool_bytes_used" + j, "pool")).isEqualTo(Map.of("G1 Eden Space", "20971520",
        "G1 Old Gen", "41943040"));
    assertThat(values("jvm_threads_current" + j, "job")).isEqualTo(Map.of("kubernetes-pod-jmx", "46"));
    assertThat(values("jvm_classes_loaded_total" + j, "job")).isEqualTo(Map.of("kubernetes-pod-jmx", "9200"));
    assertThat(values("catalina_globalrequestprocessor_bytessent_total" + j, "name"))
        .isEqualTo(Map.of("\"http-nio-8080\"", "3072"));
    assertThat(values("catalina_globalrequestprocessor_requestcount" + j, "name"))
        .isEqualTo(Map.of("\"http-nio-8080\"", "1530"));
    assertThat(values("http_server_requests_seconds_bucket{job=\"kubernetes-pod-jmx\",uri=\"/cart\"}", "le"))
        .isEqualTo(Map.of("0.05", "15", "0.1", "21", "0.5", "23", "+Inf", "24"));
    assertThat(values("http_server_requests_seconds_sum" + j, "uri")).isEqualTo(Map.of("/cart", "1.5"));
    assertThat(values("http_server_requests_seconds_count" + j, "uri")).isEqualTo(Map.of("/cart", "24"));
    assertThat(values("tomcat_request_latency_seconds" + j, "quantile")).isEqualTo(Map.of("0.5", "0.012",
        "0.99", "0.21"));
    assertThat(values("tomcat_request_latency_seconds_count" + j, "job")).isEqualTo(Map.of("kubernetes-pod-jmx",
        "624"));
    assertThat(query("{__name__=~\"jvm_gc_collection_seconds.*\"}")).isEmpty();
    assertThat(values("scrape_samples_scraped" + j, "job")).isEqualTo(Map.of("kubernetes-pod-jmx", "22"));
    assertThat(values("scrape_samples_post_metric_relabeling" + j, "job")).isEqualTo(Map.of("kubernetes-pod-jmx",
        "18"));

    // Every value of the counter Prometheus holds was served, in order: the series moved between scrapes.
    assertThat(distinctInOrder(samples("jvm_classes_loaded_total" + j + "[5m]"))).containsExactly("9000", "9100",
        "9200");

    // Fluent Bit: the bare pod IP target re-addressed with ${1}, its exposed timestamps kept, and ADOT's rule that
    // overwrites container_name with the node name.
    Map<String, String> fb = query("fluentbit_input_bytes_total").get(0);
    assertThat(fb).containsEntry("container_name", NODE).containsEntry("pod_name", "fluent-bit-7qzkp")
        .containsEntry("Namespace", "amazon-cloudwatch").containsEntry("k8s_app", "fluent-bit")
        .containsEntry("pod_controller_kind", "DaemonSet").containsEntry("k8s_daemonset_name", "fluent-bit")
        .containsEntry("k8s_container_name", "fluent-bit").containsEntry("name", "tail.0");
    List<String[]> fbSamples = samplesWithTime("fluentbit_input_bytes_total[5m]");
    assertThat(fbSamples).isNotEmpty().allSatisfy(s -> assertThat(fluentBitTimestamps)
        .contains(Math.round(Double.parseDouble(s[0]) * 1000)));
    assertThat(values("fluentbit_output_retries_total", "name")).isEqualTo(Map.of("cloudwatch_logs.0", "3"));

    // nginx behind its annotated service: Service, pod and node labels, the service's labels mapped.
    Map<String, String> requests = query("nginx_ingress_controller_requests_total{status=\"200\"}").get(0);
    assertThat(requests).containsEntry("Service", "ingress-nginx-controller-metrics")
        .containsEntry("Namespace", "ingress-nginx")
        .containsEntry("pod_name", "ingress-nginx-controller-5c8d66c76d-4kxzp")
        .containsEntry("container_name", "controller").containsEntry("kubernetes_node", NODE)
        .containsEntry("app_kubernetes_io_name", "ingress-nginx").containsEntry("job", "kubernetes-service-endpoints")
        .containsEntry("instance", nginxInstance).containsEntry("ingress", "cart").containsEntry("namespace", "shop");
    assertThat(values("nginx_ingress_controller_nginx_process_connections", "state")).isEqualTo(Map.of(
        "active", "7", "waiting", "2"));
    assertThat(query("{__name__=~\"go_gc_duration_seconds.*\"}")).isEmpty();

    // HAProxy: proxy became frontend or backend, then was dropped.
    assertThat(query("haproxy_frontend_http_responses_total")).extracting(s -> s.get("frontend") + " "
        + s.get("code") + " " + s.get("value") + " " + s.containsKey("proxy") + " " + s.get("Service"))
        .containsExactlyInAnyOrder(
            "httpfront-default-backend 2xx 80 false haproxy-ingress-controller-metrics",
            "httpfront-default-backend 5xx 1 false haproxy-ingress-controller-metrics");
    assertThat(query("haproxy_backend_up")).extracting(s -> s.get("backend") + " " + s.get("value")
        + " " + s.containsKey("proxy")).containsExactly("httpback-shared-backend 1 false");
    assertThat(query("haproxy_server_bytes_in_total")).extracting(s -> s.get("backend") + " " + s.get("server")
        + " " + s.get("value")).containsExactly("httpback-shared-backend srv1 4096");

    // Every series name each job wrote, from /api/v1/series: the translated names, the scrape series, target_info,
    // and nothing metric_relabel_configs dropped.
    List<String> internal = List.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added", "target_info");
    assertThat(seriesNames("{job=\"kubernetes-pod-jmx\"}")).containsExactlyInAnyOrderElementsOf(concat(internal,
        "jvm_memory_bytes_used", "jvm_memory_pool_bytes_used", "jvm_threads_current", "jvm_classes_loaded_total",
        "catalina_globalrequestprocessor_bytessent_total", "catalina_globalrequestprocessor_requestcount",
        "http_server_requests_seconds_bucket", "http_server_requests_seconds_sum",
        "http_server_requests_seconds_count", "tomcat_request_latency_seconds", "tomcat_request_latency_seconds_sum",
        "tomcat_request_latency_seconds_count"));
    assertThat(seriesNames("{job=\"kubernetes-pod-fluentbit-plugin\"}")).containsExactlyInAnyOrderElementsOf(
        concat(internal, "fluentbit_input_bytes_total", "fluentbit_output_retries_total"));
    assertThat(seriesNames("{job=\"kubernetes-service-endpoints\"}")).containsExactlyInAnyOrderElementsOf(
        concat(internal, "nginx_ingress_controller_nginx_process_connections", "nginx_ingress_controller_requests_total",
            "haproxy_frontend_http_responses_total", "haproxy_backend_up", "haproxy_server_bytes_in_total"));

    // The tomcat pod goes away: its target stops and its series, up included, get stale markers, so an instant
    // query (5 minutes of lookback) no longer finds them while the other targets carry on.
    k8s.client.pods().inNamespace("shop").withName("tomcat-6d8f7c9b5-x2x7k").delete();
    await("the deleted pod's series stale", () -> List.of(query("up" + j).size(),
        query("jvm_memory_bytes_used" + j).size(), query("http_server_requests_seconds_bucket" + j).size()),
        List.of(0, 0, 0));
    assertThat(query("up").stream().map(s -> s.get("job") + " " + s.get("value")).sorted().toList()).containsExactly(
        "kubernetes-pod-fluentbit-plugin 1", "kubernetes-service-endpoints 1", "kubernetes-service-endpoints 1");
  }

  // ---- exporters: output of the kinds ADOT's EKS configurations target; n = the scrape (1, 2, 3, 3, ...)

  private static String jmxExporter(int n) {
    return """
        # HELP jvm_memory_bytes_used Used bytes of a given JVM memory area.
        # TYPE jvm_memory_bytes_used gauge
        jvm_memory_bytes_used{area="heap",} %d.0
        jvm_memory_bytes_used{area="nonheap",} 5.24288E7
        # HELP jvm_memory_pool_bytes_used Used bytes of a given JVM memory pool.
        # TYPE jvm_memory_pool_bytes_used gauge
        jvm_memory_pool_bytes_used{pool="G1 Eden Space",} 2.097152E7
        jvm_memory_pool_bytes_used{pool="G1 Old Gen",} 4.194304E7
        # HELP jvm_threads_current Current thread count of a JVM
        # TYPE jvm_threads_current gauge
        jvm_threads_current %d.0
        # HELP jvm_classes_loaded_total The total number of classes that have been loaded since the JVM has started
        # TYPE jvm_classes_loaded_total counter
        jvm_classes_loaded_total %d.0
        # HELP jvm_gc_collection_seconds Time spent in a given JVM garbage collector in seconds.
        # TYPE jvm_gc_collection_seconds summary
        jvm_gc_collection_seconds_count{gc="G1 Young Generation",} %d.0
        jvm_gc_collection_seconds_sum{gc="G1 Young Generation",} 0.25
        jvm_gc_collection_seconds_count{gc="G1 Old Generation",} 0.0
        jvm_gc_collection_seconds_sum{gc="G1 Old Generation",} 0.0
        # HELP catalina_globalrequestprocessor_bytessent Bytes sent (Catalina:name="http-nio-8080",type=GlobalRequestProcessor)
        # TYPE catalina_globalrequestprocessor_bytessent counter
        catalina_globalrequestprocessor_bytessent{name="\\"http-nio-8080\\"",} %d.0
        # HELP catalina_globalrequestprocessor_requestcount Request count (Catalina:name="http-nio-8080",type=GlobalRequestProcessor)
        # TYPE catalina_globalrequestprocessor_requestcount untyped
        catalina_globalrequestprocessor_requestcount{name="\\"http-nio-8080\\"",} %d.0
        # HELP http_server_requests_seconds Duration of HTTP server request handling
        # TYPE http_server_requests_seconds histogram
        http_server_requests_seconds_bucket{uri="/cart",le="0.05",} %d.0
        http_server_requests_seconds_bucket{uri="/cart",le="0.1",} %d.0
        http_server_requests_seconds_bucket{uri="/cart",le="0.5",} %d.0
        http_server_requests_seconds_bucket{uri="/cart",le="+Inf",} %d.0
        http_server_requests_seconds_count{uri="/cart",} %d.0
        http_server_requests_seconds_sum{uri="/cart",} %s
        # HELP tomcat_request_latency_seconds Request latency
        # TYPE tomcat_request_latency_seconds summary
        tomcat_request_latency_seconds{quantile="0.5",} 0.012
        tomcat_request_latency_seconds{quantile="0.99",} %s
        tomcat_request_latency_seconds_count %d.0
        tomcat_request_latency_seconds_sum 9.5
        """.formatted(104_857_600 + (n - 3) * 1_048_576, 40 + 2 * n, 8900 + 100 * n, 10 + n,
        1024 * n, 1500 + 10 * n, 5 * n, 7 * n, 7 * n + 2, 8 * n, 8 * n, 0.5 * n, n == 3 ? "0.21" : "0.3",
        600 + 8 * n);
  }

  private static String fluentBit(int n, long timestampMs) {
    return """
        # HELP fluentbit_input_bytes_total Number of input bytes.
        # TYPE fluentbit_input_bytes_total counter
        fluentbit_input_bytes_total{name="tail.0"} %d %d
        # HELP fluentbit_output_retries_total Number of output retries.
        # TYPE fluentbit_output_retries_total counter
        fluentbit_output_retries_total{name="cloudwatch_logs.0"} %d %d
        """.formatted(123_456 + 100 * n, timestampMs, n, timestampMs);
  }

  private static String nginxExporter(int n) {
    return """
        # HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.
        # TYPE go_gc_duration_seconds summary
        go_gc_duration_seconds{quantile="0"} 2.5e-05
        go_gc_duration_seconds{quantile="1"} 0.0011
        go_gc_duration_seconds_sum 0.0123
        go_gc_duration_seconds_count %d
        # HELP nginx_ingress_controller_nginx_process_connections current number of client connections with state {active, reading, writing, waiting}
        # TYPE nginx_ingress_controller_nginx_process_connections gauge
        nginx_ingress_controller_nginx_process_connections{controller_class="k8s.io/ingress-nginx",controller_namespace="ingress-nginx",controller_pod="ingress-nginx-controller-5c8d66c76d-4kxzp",state="active"} %d
        nginx_ingress_controller_nginx_process_connections{controller_class="k8s.io/ingress-nginx",controller_namespace="ingress-nginx",controller_pod="ingress-nginx-controller-5c8d66c76d-4kxzp",state="waiting"} 2
        # HELP nginx_ingress_controller_requests The total number of client requests
        # TYPE nginx_ingress_controller_requests counter
        nginx_ingress_controller_requests{canary="",controller_class="k8s.io/ingress-nginx",controller_namespace="ingress-nginx",controller_pod="ingress-nginx-controller-5c8d66c76d-4kxzp",ingress="cart",method="GET",namespace="shop",path="/",service="cart",status="200"} %d
        nginx_ingress_controller_requests{canary="",controller_class="k8s.io/ingress-nginx",controller_namespace="ingress-nginx",controller_pod="ingress-nginx-controller-5c8d66c76d-4kxzp",ingress="cart",method="GET",namespace="shop",path="/",service="cart",status="503"} 1
        """.formatted(n, 4 + n, 100 + 20 * n);
  }

  private static String haproxyExporter(int n) {
    return """
        # HELP haproxy_frontend_http_responses_total Total number of HTTP responses.
        # TYPE haproxy_frontend_http_responses_total counter
        haproxy_frontend_http_responses_total{proxy="httpfront-default-backend",code="2xx"} %d
        haproxy_frontend_http_responses_total{proxy="httpfront-default-backend",code="5xx"} 1
        # HELP haproxy_backend_up Current health status of the backend (1 = UP, 0 = DOWN).
        # TYPE haproxy_backend_up gauge
        haproxy_backend_up{proxy="httpback-shared-backend"} 1
        # HELP haproxy_server_bytes_in_total Current total of incoming bytes.
        # TYPE haproxy_server_bytes_in_total counter
        haproxy_server_bytes_in_total{proxy="httpback-shared-backend",server="srv1"} %d
        """.formatted(50 + 10 * n, 1024 * (n + 1));
  }

  /** An Armeria endpoint on loopback serving {@code body.apply(scrape)} as the Prometheus text format. */
  private static final class Exporter implements AutoCloseable {
    private final Server server;
    private final AtomicInteger scrapes = new AtomicInteger();

    Exporter(String path, IntFunction<String> body) {
      server = Server.builder().http(new InetSocketAddress("127.0.0.1", 0)).gracefulShutdownTimeoutMillis(0, 0)
          .service(path, (ctx, req) -> HttpResponse.of(HttpStatus.OK,
              MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
              body.apply(Math.min(scrapes.incrementAndGet(), MOVING_SCRAPES))))
          .build();
      server.start().join();
    }

    int port() {
      return server.activeLocalPort();
    }

    @Override
    public void close() {
      server.stop().join();
    }
  }

  // ---- the mock cluster

  private static Pod pod(String namespace, String name, Map<String, String> labels,
      Map<String, String> annotations, String controllerKind,
      String controller, String container, Map<String, Integer> ports) {
    PodBuilder b = new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
        .withAnnotations(annotations).addToAnnotations("kubernetes.io/psp", "eks.privileged")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind(controllerKind).withName(controller)
        .withUid(controller + "-uid").withController(true).withBlockOwnerDeletion(true).endOwnerReference()
        .endMetadata();
    var container0 = b.withNewSpec().withNodeName(NODE).addNewContainer().withName(container)
        .withImage(container + ":latest");
    for (Map.Entry<String, Integer> p : new TreeMap<>(ports).entrySet()) {
      container0 = container0.addNewPort().withName(p.getKey()).withContainerPort(p.getValue()).withProtocol("TCP")
          .endPort();
    }
    return container0.endContainer().endSpec()
        .withNewStatus().withPodIP("127.0.0.1").withHostIP("192.168.12.34").withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName(container).withContainerID("containerd://" + name).withReady(true)
        .endContainerStatus()
        .endStatus().build();
  }

  private static void service(KubernetesMock k8s, String namespace, String name, Map<String, String> labels,
      Map<String, String> annotations, Pod backend, String portName, int port) {
    k8s.client.services().inNamespace(namespace).resource(new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).withAnnotations(annotations)
        .endMetadata()
        .withNewSpec().withType("ClusterIP")
        .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort().endSpec()
        .build()).create();
    k8s.client.endpoints().inNamespace(namespace).resource(new EndpointsBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .addNewSubset()
        .addNewAddress().withIp("127.0.0.1").withNodeName(NODE)
        .withNewTargetRef().withKind("Pod").withNamespace(namespace).withName(backend.getMetadata().getName())
        .withUid(backend.getMetadata().getUid()).endTargetRef().endAddress()
        .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
        .endSubset().build()).create();
  }

  private <T extends AutoCloseable> T open(T resource) {
    resources.add(resource);
    return resource;
  }

  // ---- Prometheus's HTTP API

  /** Instant query now: each series as its labels plus "value". */
  private static List<Map<String, String>> query(String promql) throws Exception {
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonNode r : api(promql)) {
      Map<String, String> series = new TreeMap<>();
      r.path("metric").fields().forEachRemaining(e -> series.put(e.getKey(), e.getValue().asText()));
      series.put("value", r.path("value").get(1).asText());
      out.add(series);
    }
    return out;
  }

  /** The one series' value, or "none". */
  private static String value(String promql) throws Exception {
    List<Map<String, String>> series = query(promql);
    return series.size() == 1 ? series.get(0).get("value") : "none (" + series.size() + " series)";
  }

  /** Values by the given label. */
  private static Map<String, String> values(String promql, String label) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (Map<String, String> s : query(promql)) {
      assertThat(out.put(s.get(label), s.get("value")))
          .as("two series of " + promql + " with " + label + "=" + s.get(label)).isNull();
    }
    return out;
  }

  /** The one series of a range selector, its samples as [seconds, value]. */
  private static List<String[]> samplesWithTime(String rangePromql) throws Exception {
    JsonNode result = api(rangePromql);
    assertThat(result.size()).as(rangePromql).isEqualTo(1);
    List<String[]> out = new ArrayList<>();
    for (JsonNode v : result.get(0).path("values")) {
      out.add(new String[] {v.get(0).asText(), v.get(1).asText()});
    }
    return out;
  }

  private static List<String> samples(String rangePromql) throws Exception {
    return samplesWithTime(rangePromql).stream().map(s -> s[1]).toList();
  }

  /** The distinct metric names of the series /api/v1/series finds for {@code match}. */
  private static Set<String> seriesNames(String match) throws Exception {
    String url = PrometheusServer.url() + "/api/v1/series?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8);
    var res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    Set<String> names = new TreeSet<>();
    JSON.readTree(res.body()).path("data").forEach(series -> names.add(series.path("__name__").asText()));
    return names;
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> out = new ArrayList<>(first);
    out.addAll(List.of(more));
    return out;
  }

  private static List<String> distinctInOrder(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static JsonNode api(String promql) throws Exception {
    String url = PrometheusServer.url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    var res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).path("data").path("result");
  }

  /** Polls until {@code actual} equals {@code expected}, for at most 30 s. */
  private static <T> void await(String what, Callable<T> actual, T expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T last = actual.call();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      last = actual.call();
    }
    assertThat(last).as(what).isEqualTo(expected);
  }
}
