package dev.kansoku.contrib.resourcedetection;

import dev.kansoku.contrib.resourcedetection.Detector.DetectionException;
import dev.kansoku.contrib.resourcedetection.Detector.Detected;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the configured detectors, as upstream runs them: all at once, each retried with a
 * randomised exponential backoff from 1 s until the timeout; the results merged in configuration
 * order, an earlier detector's value winning a conflict; the first non-empty schema URL kept. Any
 * detector still failing at the timeout fails the run, naming it.
 */
final class Detection {
  private static final Logger log = LoggerFactory.getLogger(Detection.class);
  /** How long to wait past the deadline for a detector blocked in a call that ignores it. */
  private static final Duration GRACE = Duration.ofSeconds(1);

  /** The merged resource: attributes in order and the schema URL ("" for none). */
  record Snapshot(List<KeyValue> attributes, String schemaUrl) {
    static final Snapshot EMPTY = new Snapshot(List.of(), "");

    public Snapshot {
      attributes = List.copyOf(attributes);
    }
  }

  private final String id;
  private final Map<String, Detector> detectors;
  private final Duration timeout;
  @Nullable private final Set<String> keep;

  /**
   * @param detectors by name, in configuration order
   * @param keep the deprecated {@code attributes} allow-list, or null to keep everything
   */
  Detection(String id, Map<String, Detector> detectors, Duration timeout, @Nullable Set<String> keep) {
    this.id = id;
    this.detectors = new LinkedHashMap<>(detectors);
    this.timeout = timeout;
    this.keep = keep;
  }

  Snapshot run() throws DetectionException {
    log.info("resourcedetection {}: began detecting resource information", id);
    Instant deadline = Instant.now().plus(timeout);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, detectors.size()), r -> {
      Thread t = new Thread(r, "resourcedetection-" + id);
      t.setDaemon(true);
      return t;
    });
    try {
      Map<String, CompletableFuture<Detected>> running = new LinkedHashMap<>();
      detectors.forEach((name, d) -> running.put(name, CompletableFuture.supplyAsync(() -> {
        try {
          return retried(name, d, deadline);
        } catch (DetectionException e) {
          throw new WrappedFailure(e);
        }
      }, pool)));
      List<KeyValue> merged = new ArrayList<>();
      String schemaUrl = "";
      List<String> failures = new ArrayList<>();
      for (Map.Entry<String, CompletableFuture<Detected>> e : running.entrySet()) {
        Detected d;
        try {
          d = e.getValue().get(Math.max(0, Duration.between(Instant.now(), deadline.plus(GRACE)).toMillis()),
              TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
          failures.add(e.getKey() + ": " + ex.getCause().getMessage());
          continue;
        } catch (TimeoutException ex) {
          failures.add(e.getKey() + ": no answer within " + timeout.toMillis() + "ms");
          continue;
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new DetectionException("interrupted while detecting the resource", true);
        }
        if (schemaUrl.isEmpty()) {
          schemaUrl = d.schemaUrl();
        }
        ResourceMerge.putAbsent(merged, d.attributes());
      }
      if (keep != null) {
        merged.removeIf(kv -> !keep.contains(kv.getKey()));
      }
      log.info("resourcedetection {}: detected resource information: {}", id, merged.stream()
          .map(kv -> kv.getKey() + "=" + ResourceMerge.text(kv)).collect(Collectors.joining(", ", "{", "}")));
      if (!failures.isEmpty()) {
        throw new DetectionException(id + ": " + String.join("; ", failures), true);
      }
      return new Snapshot(merged, schemaUrl);
    } finally {
      pool.shutdownNow();
    }
  }

  private Detected retried(String name, Detector d, Instant deadline) throws DetectionException {
    long interval = 1_000;
    while (true) {
      try {
        return d.detect(deadline);
      } catch (DetectionException e) {
        log.warn("resourcedetection {}: failed to detect resource with {}: {}", id, name, e.getMessage());
        // Go's backoff with randomization 1.5: between 0 and 2.5 times the interval.
        long pause = (long) (interval * ThreadLocalRandom.current().nextDouble(0, 2.5));
        if (e.permanent() || Instant.now().plusMillis(pause).isAfter(deadline)) {
          throw e;
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        interval *= 2;
      }
    }
  }

  /** Carries a detector's failure out of its task. */
  private static final class WrappedFailure extends RuntimeException {
    WrappedFailure(DetectionException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
