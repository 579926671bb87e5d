package dev.kansoku.store.opensearch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.CheckResult;
import dev.kansoku.store.EntryLogGroupCatalog;
import dev.kansoku.store.Names;
import dev.kansoku.store.Retention;
import dev.kansoku.store.ServiceGraphReader;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import dev.kansoku.store.StorageRoles;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The storage SPI on OpenSearch 2.x or Amazon OpenSearch Service (managed or Serverless): daily
 * indices per signal ({@link IndexNames}), strict mappings put as index templates
 * ({@link IndexTemplates}), bulk writes acknowledged item by item ({@link BulkWriter}), reads that
 * find candidates with OpenSearch queries and leave the final word to the shared matchers.
 *
 * <p>Lifecycle: constructing does no I/O. {@link #open()} puts the index templates and fails with a
 * clear message when the cluster cannot be reached; writers also put them on first use, so data is
 * never indexed with a dynamic mapping. Durability and visibility: a write returns once every item
 * is acknowledged by the primary shard and, with {@code refresh = WAIT_FOR} (the default), is
 * searchable; OpenSearch's translog makes an acknowledged write survive a node crash (its default
 * {@code request} durability fsyncs before acknowledging). Thread-safe.
 */
public final class OpenSearchStorage implements Storage {
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Logger log = LoggerFactory.getLogger(OpenSearchStorage.class);
  /** How often the retention pass runs; daily indices make a finer period pointless. */
  public static final Duration RETENTION_PERIOD = Duration.ofHours(1);

  private final OpenSearchClient client;
  private final IndexNames spanNames;
  private final IndexNames logNames;
  private final IndexNames metricNames;
  private final ResourceIndex resources;
  private final IndexTemplates.Settings indexSettings;
  private final SpanIndex spans;
  private final LogIndex logs;
  private final MetricIndex metrics;
  private final IndexRetention retention;
  private final String description;
  @Nullable private final Duration retentionAge;
  private final Clock clock;
  @Nullable private ScheduledExecutorService retentionTimer; // guarded by lock
  private final Object lock = new Object();
  private volatile boolean templatesPut; // set under lock
  private volatile boolean closed;

  private final LogGroupIndex logGroups;
  private final StorageRoles roles;

  private OpenSearchStorage(Builder b) {
    OpenSearchClient.Auth auth = b.username != null
        ? new OpenSearchClient.Auth.Basic(b.username, b.password)
        : b.awsRegion != null ? new OpenSearchClient.Auth.SigV4(b.awsRegion, b.awsService, b.awsCredentials.get())
        : new OpenSearchClient.Auth.None();
    this.client = new OpenSearchClient(b.endpoints, auth, b.insecureSkipVerify, b.caFile, b.requestTimeout);
    this.spanNames = new IndexNames(b.indexPrefix, IndexNames.SPANS);
    this.logNames = new IndexNames(b.indexPrefix, IndexNames.LOGS);
    this.metricNames = new IndexNames(b.indexPrefix, IndexNames.METRICS);
    this.resources = new ResourceIndex(new IndexNames(b.indexPrefix, IndexNames.RESOURCES), client);
    this.indexSettings = new IndexTemplates.Settings(b.shards, b.replicas, b.refreshInterval, b.codec);
    Search search = new Search(client);
    BulkWriter bulk = new BulkWriter(client, b.bulkMaxActions, b.bulkMaxBytes, b.bulkConcurrency, b.refresh,
        b.requestTimeout.toMillis());
    this.spans = new SpanIndex(spanNames, search, bulk, resources, b.maxTraceCandidates, b.maxDocumentsPerRead);
    this.logs = new LogIndex(logNames, search, bulk, resources, b.maxLogScanPerPage);
    this.metrics = new MetricIndex(metricNames, search, bulk, b.maxDocumentsPerRead);
    this.retention = new IndexRetention(client, spanNames, logNames, metricNames, resources);
    this.logGroups = new LogGroupIndex(b.indexPrefix, client, search, () -> {
      ensureOpen();
      putTemplates();
    });
    this.roles = buildRoles();
    this.retentionAge = b.retention;
    this.clock = b.clock;
    this.description = "OpenSearchStorage{endpoints=" + b.endpoints + ", indexPrefix=" + b.indexPrefix + ", auth="
        + auth.getClass().getSimpleName() + ", refresh=" + b.refresh + "}";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Each role runs through the plumbing below: closed checks, templates before writes, one error type. */
  private StorageRoles buildRoles() {
    TraceReader traceReader = new TraceReader() {
      @Override
      public Optional<Trace> trace(TraceId traceId) {
        return read(() -> spans.trace(traceId));
      }

      @Override
      public List<Trace> traces(Collection<TraceId> traceIds) {
        return read(() -> spans.traces(traceIds));
      }
    };
    ServiceGraphReader serviceGraph = (start, end) -> {
      if (end < start) {
        throw new IllegalArgumentException("end < start: " + end + " < " + start);
      }
      return read(() -> spans.graph(start, end));
    };
    Names names = new Names() {
      @Override public List<String> services() { return read(spans::services); }
      @Override public List<String> operations(String service) { return read(() -> spans.operations(service)); }
      @Override public List<String> logGroups() { return read(logs::groups); }
      @Override public List<String> logStreams(String group) { return read(() -> logs.streams(group)); }
      @Override public List<String> metricNamespaces() { return read(metrics::namespaces); }
      @Override public List<String> metricNames(String ns) { return read(() -> metrics.metricNames(ns)); }
      @Override public List<String> dimensionKeys(String ns, String m) { return read(() -> metrics.dimensionKeys(ns, m)); }
    };
    Retention retentionRole = new Retention() {
      @Override
      public Deleted deleteOlderThan(long cutoffNanos) {
        return read(() -> retention.deleteOlderThan(cutoffNanos));
      }

      @Override
      public StoreSize size() {
        return read(retention::size);
      }
    };
    return new StorageRoles(batch -> writeBatch(() -> spans.write(batch)), batch -> writeBatch(() -> logs.write(batch)),
        batch -> writeBatch(() -> metrics.write(batch)), traceReader, q -> read(() -> spans.search(q)),
        q -> read(() -> logs.search(q)), q -> read(() -> metrics.query(q)), names, serviceGraph,
        q -> read(() -> spans.red(q)), retentionRole, new EntryLogGroupCatalog(logGroups));
  }

  /** Not thread-safe. Defaults suit one small cluster; see the module README for sizing. */
  public static final class Builder {
    private final List<URI> endpoints = new ArrayList<>();
    private String indexPrefix = "kansoku";
    @Nullable private String username;
    private String password = "";
    @Nullable private String awsRegion;
    private String awsService = "es";
    private Supplier<AwsCredentialsProvider> awsCredentials = DefaultCredentialsProvider::create;
    private boolean insecureSkipVerify;
    @Nullable private Path caFile;
    private int bulkMaxActions = 1000;
    private long bulkMaxBytes = 5L << 20;
    private int bulkConcurrency = 4;
    private BulkWriter.Refresh refresh = BulkWriter.Refresh.WAIT_FOR;
    private int shards = 1;
    private int replicas = 1;
    private Duration refreshInterval = Duration.ofSeconds(1);
    private String codec = "best_compression";
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxTraceCandidates = 20_000;
    private long maxDocumentsPerRead = 1_000_000;
    private int maxLogScanPerPage = 10_000;
    @Nullable private Duration retention;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** An http or https URL without a path, e.g. http://localhost:9200. */
    public Builder endpoint(String url) {
      requireNonNull(url, "endpoint");
      URI u;
      try {
        u = URI.create(url.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("endpoints: \"" + url + "\" is not a URL (expected: e.g. http://localhost:9200)");
      }
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException("endpoints: \"" + url + "\" (expected: http://host:port or https://host:port)");
      }
      if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
        throw new IllegalArgumentException("endpoints: \"" + url + "\" has a path (expected: none; indices are named by index_prefix)");
      }
      endpoints.add(u);
      return this;
    }

    /** Lower-case letters, digits, '-' and '_', starting with a letter or digit. */
    public Builder indexPrefix(String v) {
      requireNonNull(v, "indexPrefix");
      if (!PREFIX.matcher(v).matches()) {
        throw new IllegalArgumentException("index_prefix: \"" + v + "\" (expected: lower-case letters, digits, '-'"
            + " and '_', starting with a letter or digit)");
      }
      indexPrefix = v;
      return this;
    }

    public Builder basicAuth(String username, String password) {
      this.username = requireNonNull(username, "username");
      this.password = requireNonNull(password, "password");
      return this;
    }

    /** AWS SigV4 for Amazon OpenSearch Service: service {@code es}, or {@code aoss} for Serverless. */
    public Builder awsSigV4(String region, String service) {
      requireNonNull(region, "region");
      requireNonNull(service, "service");
      if (!service.equals("es") && !service.equals("aoss")) {
        throw new IllegalArgumentException("aws_sigv4::service: \"" + service + "\" (expected: es or aoss)");
      }
      if (region.isBlank()) {
        throw new IllegalArgumentException("aws_sigv4::region: empty (expected: e.g. us-west-2)");
      }
      awsRegion = region;
      awsService = service;
      return this;
    }

    /** Where SigV4 credentials come from; the SDK's default chain unless set. */
    public Builder awsCredentials(AwsCredentialsProvider v) {
      requireNonNull(v, "credentials");
      awsCredentials = () -> v;
      return this;
    }

    public Builder insecureSkipVerify(boolean v) { insecureSkipVerify = v; return this; }
    public Builder caFile(@Nullable Path v) { caFile = v; return this; }
    public Builder bulkMaxActions(int v) { bulkMaxActions = positive("bulk::max_actions", v); return this; }
    public Builder bulkMaxBytes(long v) { bulkMaxBytes = positive("bulk::max_bytes", v); return this; }
    public Builder bulkConcurrency(int v) { bulkConcurrency = positive("bulk::concurrency", v); return this; }

    /** Whether a write waits until its documents are searchable ("wait_for") or not ("false"). */
    public Builder refresh(String v) {
      requireNonNull(v, "refresh");
      refresh = switch (v) {
        case "wait_for" -> BulkWriter.Refresh.WAIT_FOR;
        case "false" -> BulkWriter.Refresh.FALSE;
        default -> throw new IllegalArgumentException("refresh: \"" + v + "\" (expected: wait_for or false)");
      };
      return this;
    }

    public Builder shards(int v) { shards = positive("shards", v); return this; }

    /**
     * Stored-fields compression of new indices: best_compression (about half the bytes per span of
     * default, for about a fifth less indexing throughput, in bench/opensearch-bench) or default (LZ4).
     */
    public Builder codec(String v) {
      if (!"best_compression".equals(v) && !"default".equals(v)) {
        throw new IllegalArgumentException("codec: \"" + v + "\" (expected: best_compression or default)");
      }
      codec = v;
      return this;
    }

    public Builder replicas(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("replicas: " + v + " (expected: >= 0)");
      }
      replicas = v;
      return this;
    }

    /**
     * How often new indices make written documents searchable; a {@code wait_for} write waits up to
     * this long. OpenSearch's default, 1 s, unless set.
     */
    public Builder refreshInterval(Duration v) {
      requireNonNull(v, "refreshInterval");
      if (v.toMillis() <= 0) {
        throw new IllegalArgumentException("refresh_interval: " + v + " (expected: >= 1ms)");
      }
      refreshInterval = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requireNonNull(v, "requestTimeout");
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("request_timeout: " + v + " (expected: > 0)");
      }
      requestTimeout = v;
      return this;
    }

    /**
     * Once opened, delete data older than this every {@link #RETENTION_PERIOD} (none when unset).
     * OpenSearch's ISM could do it inside the cluster, but it is a plugin that not every cluster runs.
     */
    public Builder retention(@Nullable Duration v) {
      if (v != null && (v.isNegative() || v.isZero())) {
        throw new IllegalArgumentException("retention: " + v + " (expected: > 0)");
      }
      retention = v;
      return this;
    }

    /** The clock retention's cutoff is taken from. */
    public Builder clock(Clock v) { clock = requireNonNull(v, "clock"); return this; }

    /** Most traces one trace search or service graph reads before it stops. */
    public Builder maxTraceCandidates(int v) { maxTraceCandidates = positive("max_trace_candidates", v); return this; }

    /** Most documents one RED or metric query reads; more fail the query with a clear message. */
    public Builder maxDocumentsPerRead(long v) { maxDocumentsPerRead = positive("max_documents_per_read", v); return this; }

    private static int positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
      }
      return v;
    }

    private static long positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
      }
      return v;
    }

    public OpenSearchStorage build() {
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("endpoints: empty (expected: at least one, e.g. http://localhost:9200)");
      }
      if (username != null && awsRegion != null) {
        throw new IllegalArgumentException("username and aws_sigv4 are both set (expected: one way to authenticate)");
      }
      return new OpenSearchStorage(this);
    }
  }

  /**
   * Puts the index templates and starts the hourly retention pass (when a retention is set); fails
   * when the cluster cannot be reached or refuses the templates.
   */
  public void open() {
    ensureOpen();
    putTemplates();
    synchronized (lock) {
      if (retentionAge != null && retentionTimer == null) {
        retentionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "kansoku-opensearch-retention");
          t.setDaemon(true);
          return t;
        });
        retentionTimer.scheduleWithFixedDelay(this::applyRetention, 0, RETENTION_PERIOD.toMinutes(),
            TimeUnit.MINUTES);
      }
    }
  }

  private void applyRetention() {
    long cutoff = TimeUnit.MILLISECONDS.toNanos(clock.millis()) - retentionAge.toNanos();
    try {
      Retention.Deleted d = retention.deleteOlderThan(cutoff);
      log.info("opensearch retention: deleted {} spans, {} log records, {} metric points older than {}", d.spans(),
          d.logRecords(), d.metricPoints(), retentionAge);
    } catch (RuntimeException e) {
      log.warn("opensearch retention: pass failed, next in {}", RETENTION_PERIOD, e);
    }
  }

  private void putTemplates() {
    if (templatesPut) {
      return;
    }
    synchronized (lock) {
      if (templatesPut) {
        return;
      }
      try {
        client.put("/_index_template/" + spanNames.template(), IndexTemplates.spans(spanNames, indexSettings));
        client.put("/_index_template/" + logNames.template(), IndexTemplates.logs(logNames, indexSettings));
        client.put("/_index_template/" + metricNames.template(), IndexTemplates.metrics(metricNames, indexSettings));
        client.put("/_index_template/" + resources.names().template(),
            IndexTemplates.resources(resources.names(), indexSettings));
        client.put("/_index_template/" + logGroups.index(), IndexTemplates.logGroups(logGroups.index(), indexSettings));
      } catch (OpenSearchClient.OpenSearchException e) {
        throw new StorageException("opensearch: cannot put the index templates: " + e.getMessage(), e, e.retryable());
      }
      templatesPut = true;
    }
  }

  @Override
  public StorageRoles roles() {
    return roles;
  }

  /** OK while the cluster answers and its health is green or yellow (yellow: replicas unassigned). */
  @Override
  public CheckResult check() {
    if (closed) {
      return CheckResult.failed(new StorageException("opensearch store: closed"));
    }
    try {
      JsonNode health = client.get("/_cluster/health");
      String status = health.path("status").asText();
      return status.equals("red")
          ? CheckResult.failed(new StorageException("opensearch: cluster " + health.path("cluster_name").asText()
              + " is red (some primary shards are unassigned)"))
          : CheckResult.OK;
    } catch (RuntimeException e) {
      return CheckResult.failed(new StorageException("opensearch: " + e.getMessage(), e));
    }
  }

  /** Deletes every index of this prefix, log group metadata included (the templates stay); for tests that reuse one store. */
  public void clear() {
    ensureOpen();
    client.delete("/" + String.join(",", spanNames.pattern(), logNames.pattern(), metricNames.pattern(),
        resources.names().pattern(), logGroups.index())
        + "?ignore_unavailable=true&allow_no_indices=true&expand_wildcards=all");
    resources.forgetWritten();
    logGroups.forget();
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      if (retentionTimer != null) {
        retentionTimer.shutdownNow();
        retentionTimer = null;
      }
    }
    client.close();
  }

  @Override
  public String toString() {
    return description;
  }

  // ---- role plumbing: closed checks, templates before writes, one error type

  private void writeBatch(Runnable body) {
    ensureOpen();
    putTemplates();
    translate(() -> {
      body.run();
      return null;
    });
  }

  private <T> T read(Supplier<T> body) {
    ensureOpen();
    return translate(body);
  }

  static <T> T translate(Supplier<T> body) {
    try {
      return body.get();
    } catch (OpenSearchClient.OpenSearchException e) {
      throw new StorageException("opensearch: " + e.getMessage(), e, e.retryable());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StorageException("opensearch store: closed", null, false);
    }
  }
}
