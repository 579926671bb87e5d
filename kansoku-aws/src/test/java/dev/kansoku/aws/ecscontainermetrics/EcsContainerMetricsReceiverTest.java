package dev.kansoku.aws.ecscontainermetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiver against a stand-in task metadata endpoint on loopback. */
class EcsContainerMetricsReceiverTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final AtomicInteger statsStatus = new AtomicInteger(200);
  private Server server;
  private EcsContainerMetricsReceiver receiver;

  @BeforeEach
  void startStandIn() throws IOException {
    String task = TaskMetricsTest.resource("task.json").toString();
    String stats = TaskMetricsTest.resource("stats.json").toString();
    server = Server.builder().http(0)
        .service("/v4/abc/task", (ctx, req) -> {
          paths.add(ctx.path());
          return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, task);
        })
        .service("/v4/abc/task/stats", (ctx, req) -> {
          paths.add(ctx.path());
          return HttpResponse.of(HttpStatus.valueOf(statsStatus.get()), MediaType.JSON_UTF_8, stats);
        })
        .build();
    server.start().join();
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.shutdown();
    }
    server.stop().join();
  }

  private EcsContainerMetricsReceiver receiver(EcsContainerMetricsConfig config, String endpoint,
      DataConsumer<ExportMetricsServiceRequest> consumer) {
    Map<String, String> env = endpoint == null ? Map.of() : Map.of("ECS_CONTAINER_METADATA_URI_V4", endpoint);
    receiver = new EcsContainerMetricsReceiver("awsecscontainermetrics", config, env::get,
        new Consumers(Map.of(Signal.METRICS, consumer)));
    return receiver;
  }

  private String endpoint() {
    return "http://127.0.0.1:" + server.activeLocalPort() + "/v4/abc";
  }

  @Test
  void pollsTaskAndStatsEveryInterval() throws Exception {
    EcsContainerMetricsConfig config = new EcsContainerMetricsConfig();
    config.collectionInterval = Duration.ofMillis(100);
    LinkedBlockingQueue<ExportMetricsServiceRequest> received = new LinkedBlockingQueue<>();

    receiver(config, endpoint(), received::add).start(null);

    ExportMetricsServiceRequest first = received.poll(10, TimeUnit.SECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(first).isNotNull();
    // Each read's timeout is the interval, so on a busy machine a read may time out and the next
    // collection starts over; what matters is that both documents are read and batches keep coming.
    assertThat(paths).contains("/v4/abc/task", "/v4/abc/task/stats");
    assertThat(TaskMetricsTest.attributes(TaskMetricsTest.task(first))).containsEntry("aws.ecs.task.family", "curltest");
    assertThat(TaskMetricsTest.metrics(TaskMetricsTest.byName(first, "curl"))).containsKey("container.cpu.utilized");
  }

  @Test
  void statsRefused_collectionFailsAndNothingIsConsumed() {
    statsStatus.set(500);
    List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
    EcsContainerMetricsReceiver r = receiver(new EcsContainerMetricsConfig(), endpoint() + "/", received::add);
    r.start(null);

    assertThatThrownBy(r::collect).isInstanceOf(IOException.class).hasMessageContaining("/v4/abc/task/stats")
        .hasMessageContaining("status 500");
    assertThat(received).isEmpty();
  }

  @Test
  void outsideEcs_startFailsAsUpstreamDoes() {
    assertThatThrownBy(() -> receiver(new EcsContainerMetricsConfig(), null, d -> { }).start(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unable to detect task metadata endpoint")
        .hasMessageContaining("ECS_CONTAINER_METADATA_URI_V4");
  }

  @Test
  void outsideEcsWithIgnoreMissingEndpoint_startsAndCollectsNothing() throws Exception {
    EcsContainerMetricsConfig config = new EcsContainerMetricsConfig();
    config.ignoreMissingEndpoint = true;
    List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
    EcsContainerMetricsReceiver r = receiver(config, null, received::add);

    r.start(null);
    r.collect();

    assertThat(received).isEmpty();
    assertThat(paths).isEmpty();
  }

  @Test
  void config_intervalAndEmpty() throws Exception {
    EcsContainerMetricsReceiverFactory factory = new EcsContainerMetricsReceiverFactory();
    EcsContainerMetricsConfig set = ConfigBinder.bind(YAML.readTree("{collection_interval: 40s}"),
        factory.createDefaultConfig(), "receivers::awsecscontainermetrics");
    EcsContainerMetricsConfig empty = ConfigBinder.bind(YAML.readTree("awsecscontainermetrics:").get(
        "awsecscontainermetrics"), factory.createDefaultConfig(), "receivers::awsecscontainermetrics");

    assertThat(set.collectionInterval).isEqualTo(Duration.ofSeconds(40));
    assertThat(empty.collectionInterval).isEqualTo(Duration.ofSeconds(20));
    assertThat(empty.ignoreMissingEndpoint).isFalse();
    assertThat(factory.type()).isEqualTo("awsecscontainermetrics");
    assertThat(factory.signals()).containsExactly(Signal.METRICS);
    assertThatThrownBy(() -> ConfigBinder.bind(YAML.readTree("{collection_interval: 0s}"),
        factory.createDefaultConfig(), "receivers::awsecscontainermetrics"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("collection_interval");
    assertThatThrownBy(() -> ConfigBinder.bind(YAML.readTree("{endpoint: x}"),
        factory.createDefaultConfig(), "receivers::awsecscontainermetrics"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key \"endpoint\"");
  }
}
