package dev.kansoku.aws.ecscontainermetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.aws.PollingTimer;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code /task} and {@code /task/stats} under the task metadata endpoint every
 * {@code collection_interval} (the first read one interval after the start, as the collector's
 * ticker does) and hands the translated metrics to the metrics pipelines.
 */
final class EcsContainerMetricsReceiver implements Receiver {
  static final String ENDPOINT_VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";
  private static final Logger LOG = LoggerFactory.getLogger(EcsContainerMetricsReceiver.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The endpoint is on the task's local link; one that does not connect in a second is not there. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private final String id;
  private final EcsContainerMetricsConfig config;
  private final Function<String, String> env;
  @Nullable private final DataConsumer<ExportMetricsServiceRequest> next;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  @Nullable private URI endpoint;
  @Nullable private ScheduledExecutorService timer;

  EcsContainerMetricsReceiver(String id, EcsContainerMetricsConfig config, Function<String, String> env,
      Consumers next) {
    this.id = id;
    this.config = config;
    this.env = env;
    this.next = next.get(Signal.METRICS).orElse(null);
  }

  @Override
  public synchronized void start(Host host) {
    endpoint = endpoint(env.apply(ENDPOINT_VARIABLE));
    if (endpoint == null) {
      if (!config.ignoreMissingEndpoint) {
        throw new IllegalStateException(id + ": unable to detect task metadata endpoint: " + ENDPOINT_VARIABLE
            + " is not set to an absolute URL (is this an ECS task? ignore_missing_endpoint: true starts anyway)");
      }
      LOG.warn("{}: {} is not set; ignore_missing_endpoint is on, so no ECS metrics will be collected", id,
          ENDPOINT_VARIABLE);
      return;
    }
    timer = PollingTimer.start(id, config.collectionInterval, this::collectAndLog);
  }

  @Override
  public synchronized void shutdown() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  private void collectAndLog() {
    try {
      collect();
    } catch (IOException e) {
      LOG.warn("{}: failed to collect ECS task metadata and stats: {}", id, e.toString());
    } catch (ConsumeException e) {
      LOG.warn("{}: the metrics pipeline refused ECS metrics: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; one bad answer must not stop the collection.
      LOG.warn("{}: could not translate ECS task metadata and stats", id, e);
    }
  }

  /** One collection: both documents read, translated and consumed. */
  void collect() throws IOException, ConsumeException {
    if (endpoint == null || next == null) {
      return;
    }
    JsonNode task = get("/task");
    JsonNode stats = get("/task/stats");
    next.consume(TaskMetrics.translate(task, stats, Instant.now()));
  }

  private JsonNode get(String path) throws IOException {
    URI uri = URI.create(endpoint + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.collectionInterval).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("GET " + uri + ": interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET " + uri + ": status " + response.statusCode());
    }
    JsonNode node = JSON.readTree(response.body());
    if (node == null || !node.isObject()) {
      throw new IOException("GET " + uri + ": not a JSON object");
    }
    return node;
  }

  /** The endpoint when the variable holds an absolute URL, without a trailing slash; else none. */
  @Nullable
  static URI endpoint(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      URI uri = new URI(v);
      return uri.isAbsolute() ? uri : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
