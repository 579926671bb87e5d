package dev.kansoku.contrib.resourcedetection;

import dev.kansoku.contrib.resourcedetection.Detection.Snapshot;
import dev.kansoku.contrib.resourcedetection.Detector.DetectionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource one {@code resourcedetection} id detected, shared by the processors of every pipeline
 * that names it: detected once, by the first of them to start, and again every refresh interval when
 * one is set (a failed refresh keeps the last good resource, as upstream).
 *
 * <p>Thread-safety: start and shutdown are synchronized; {@link #current} is a volatile read.
 */
final class DetectedResource {
  private static final Logger log = LoggerFactory.getLogger(DetectedResource.class);

  private final String id;
  private final Detection detection;
  private final Duration refreshInterval;
  private volatile Snapshot current = Snapshot.EMPTY;
  private boolean started;
  @Nullable private DetectionException failure;
  @Nullable private ScheduledExecutorService refresher;

  DetectedResource(String id, Detection detection, Duration refreshInterval) {
    this.id = id;
    this.detection = detection;
    this.refreshInterval = refreshInterval;
  }

  /** Detects, the first time; a later call gives the first call's outcome. */
  synchronized void start() throws DetectionException {
    if (started) {
      if (failure != null) {
        throw failure;
      }
      return;
    }
    started = true;
    try {
      current = detection.run();
    } catch (DetectionException e) {
      failure = e;
      throw e;
    }
    if (!refreshInterval.isZero()) {
      refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "resourcedetection-refresh-" + id);
        t.setDaemon(true);
        return t;
      });
      long every = refreshInterval.toMillis();
      refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void refresh() {
    try {
      current = detection.run();
    } catch (DetectionException e) {
      log.warn("resourcedetection {}: resource refresh failed; keeping previous snapshot: {}", id, e.getMessage());
    }
  }

  Snapshot current() {
    return current;
  }

  synchronized void shutdown() {
    if (refresher != null) {
      refresher.shutdownNow();
      refresher = null;
    }
  }
}
