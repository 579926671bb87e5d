package dev.kansoku.aws.containerinsight;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A recorded ECS container instance for the receiver's tests: its /proc and cgroup tree copied from
 * src/test/resources/containerinsight into a temporary directory (and overlaid with the second
 * reading's counters), a stand-in ECS agent and a stand-in IMDS on loopback, and a clock.
 */
final class HostFixture implements AutoCloseable {
  static final String TOKEN = "AQAEAFTokenForTests==";
  static final Map<String, ProcReader.FsSpace> FILE_SYSTEMS = Map.of(
      "/", new ProcReader.FsSpace(32_212_254_720L, 21_474_836_480L, 20_000_000_000L),
      "/dev/shm", new ProcReader.FsSpace(4_096_000_000L, 4_096_000_000L, 4_096_000_000L),
      "/data", new ProcReader.FsSpace(100_000_000_000L, 75_000_000_000L, 70_000_000_000L));

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-07T03:00:00.123Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final Path proc;
  final Path cgroup;
  final Server agent;
  final Server imds;
  final TestClock clock = new TestClock();
  private final String layout;

  HostFixture(Path dir, String layout) throws IOException {
    this.layout = layout;
    proc = dir.resolve("proc");
    cgroup = dir.resolve("cgroup");
    copy(resource("proc"), proc);
    copy(resource(layout), cgroup);
    String metadata = Files.readString(resource("agent-metadata.json"));
    String tasks = Files.readString(resource("agent-tasks.json"));
    agent = Server.builder().http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).gracefulShutdownTimeoutMillis(0, 0)
        .service("/v1/metadata", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, metadata))
        .service("/v1/tasks", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, tasks))
        .build();
    String document = Files.readString(resource("identity-document.json"));
    // IMDSv2: a token from PUT, required on every GET.
    imds = Server.builder().http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).gracefulShutdownTimeoutMillis(0, 0)
        .service("/latest/api/token", (ctx, req) -> req.method() == HttpMethod.PUT
            && req.headers().contains("X-aws-ec2-metadata-token-ttl-seconds")
            ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, TOKEN)
            : HttpResponse.of(HttpStatus.BAD_REQUEST))
        .service("/latest/dynamic/instance-identity/document", (ctx, req) ->
            TOKEN.equals(req.headers().get("X-aws-ec2-metadata-token"))
                ? HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, document)
                : HttpResponse.of(HttpStatus.UNAUTHORIZED))
        .build();
    agent.start().join();
    imds.start().join();
    warmUp(agentUri().resolve("/v1/tasks"));
  }

  /** One request first, so that a cold server on a busy machine does not miss the agent client's 1 s limit. */
  private static void warmUp(URI uri) throws IOException {
    try {
      java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  URI agentUri() {
    return URI.create("http://127.0.0.1:" + agent.activeLocalPort());
  }

  Map<String, String> env() {
    return Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + imds.activeLocalPort());
  }

  AwsContainerInsightReceiver.HostPaths paths(URI agentUri) {
    return new AwsContainerInsightReceiver.HostPaths(proc, cgroup, mountPoint -> {
      ProcReader.FsSpace s = FILE_SYSTEMS.get(mountPoint);
      if (s == null) {
        throw new IOException("no file system at " + mountPoint);
      }
      return s;
    }, agentUri);
  }

  /** Ten seconds later: the second reading's counters over the first's. */
  void advance() throws IOException {
    clock.now = clock.now.plus(Duration.ofSeconds(10));
    copy(resource("proc-2"), proc);
    copy(resource(layout + "-2"), cgroup);
  }

  @Override
  public void close() {
    agent.stop().join();
    imds.stop().join();
  }

  static Path resource(String name) {
    try {
      return Path.of(HostFixture.class.getResource("/containerinsight/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  // Reading the receiver's output.

  /** A resource's key: its Type, with its device or interface when it has one. */
  static String key(ResourceMetrics rm) {
    Map<String, String> a = attributes(rm);
    String sub = a.containsKey("device") ? a.get("device") : a.getOrDefault("interface", "");
    return sub.isEmpty() ? a.get("Type") : a.get("Type") + " " + sub;
  }

  static Map<String, ResourceMetrics> byKey(Iterable<ResourceMetrics> rms) {
    Map<String, ResourceMetrics> m = new LinkedHashMap<>();
    rms.forEach(rm -> m.put(key(rm), rm));
    return m;
  }

  static Map<String, String> attributes(ResourceMetrics rm) {
    Map<String, String> m = new LinkedHashMap<>();
    for (KeyValue kv : rm.getResource().getAttributesList()) {
      m.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return m;
  }

  /** Metric name → value: a Long for an integer gauge, a Double for a double gauge. */
  static Map<String, Number> values(ResourceMetrics rm) {
    Map<String, Number> m = new LinkedHashMap<>();
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      for (Metric metric : sm.getMetricsList()) {
        NumberDataPoint dp = metric.getGauge().getDataPoints(0);
        m.put(metric.getName(), dp.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (Number) dp.getAsInt()
            : (Number) dp.getAsDouble());
      }
    }
    return m;
  }

  static Map<String, String> units(ResourceMetrics rm) {
    Map<String, String> m = new LinkedHashMap<>();
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      for (Metric metric : sm.getMetricsList()) {
        m.put(metric.getName(), metric.getUnit());
      }
    }
    return m;
  }
}
