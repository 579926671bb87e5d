package dev.kansoku.contrib.pprof;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.contrib.Listeners;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.config.Endpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.annotation.Nullable;
import javax.management.JMException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Go's {@code net/http/pprof} paths answered by the JVM: the text forms ({@code ?debug=1}, and
 * {@code ?debug=2} for goroutine) of the profiles a JVM has an equivalent for, 501 with what to use
 * instead for the rest (binary pprof profiles, CPU profile, execution trace, symbols).
 *
 * <p>Thread-safety: start and shutdown are synchronized; the handlers read the JVM's beans.
 */
final class PprofExtension implements Extension {
  private static final Logger log = LoggerFactory.getLogger(PprofExtension.class);
  static final String PREFIX = "/debug/pprof/";

  private final String id;
  private final PprofConfig config;
  @Nullable private Server server;
  @Nullable private Recording recording;
  private boolean contentionWas;

  PprofExtension(String id, PprofConfig config) {
    this.id = id;
    this.config = config;
  }

  @Override
  public synchronized void start(Host host) throws IOException, ParseException {
    if (server != null) {
      return;
    }
    InetSocketAddress address = Endpoints.bindAddress(config.endpoint);
    Server s = Server.builder().meterRegistry(new SimpleMeterRegistry())
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(1)).http(address)
        .service("/debug/pprof", (ctx, req) -> HttpResponse.ofRedirect(PREFIX))
        // Thread dumps and the class histogram block: off the event loop.
        .serviceUnder(PREFIX, (ctx, req) -> HttpResponse.of(CompletableFuture.supplyAsync(() -> answer(ctx),
            ctx.blockingTaskExecutor())))
        .build();
    Listeners.start(s, config.endpoint);
    if (!config.saveToFile.isEmpty()) {
      Recording r = new Recording(Configuration.getConfiguration("profile"));
      try {
        r.setDestination(Path.of(config.saveToFile));
        r.start();
      } catch (IOException | RuntimeException e) {
        r.close();
        s.stop().join();
        throw new IllegalStateException("save_to_file: cannot record to " + config.saveToFile + ": " + e.getMessage(),
            e);
      }
      recording = r;
    }
    if (config.contention()) {
      contentionWas = JvmProfiles.threads().isThreadContentionMonitoringEnabled();
      JvmProfiles.threads().setThreadContentionMonitoringEnabled(true);
    }
    server = s;
    log.info("pprof {}: http://{}:{}{}{}", id, address.getHostString(), s.activeLocalPort(), PREFIX,
        recording == null ? "" : ", recording to " + config.saveToFile);
  }

  private HttpResponse answer(ServiceRequestContext ctx) {
    String name = ctx.path().substring(PREFIX.length());
    QueryParams query = ctx.queryParams();
    int debug;
    try {
      debug = Integer.parseInt(query.get("debug", "0"));
    } catch (NumberFormatException e) {
      debug = 0;
    }
    switch (name) {
      case "":
        return HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8, PprofIndex.html());
      case "cmdline":
        return text(JvmProfiles.cmdline());
      case "goroutine":
        return debug == 0 ? binary(name) : text(JvmProfiles.goroutines(debug));
      case "threadcreate":
        return debug == 0 ? binary(name) : text(JvmProfiles.threadCreate());
      case "heap":
        if (debug == 0) {
          return binary(name);
        }
        try {
          return text(JvmProfiles.heap());
        } catch (JMException | RuntimeException e) {
          return notImplemented("heap: this JVM has no class histogram (" + e.getMessage() + ")");
        }
      case "block":
      case "mutex":
        if (debug == 0) {
          return binary(name);
        }
        String table = JvmProfiles.contention(name.equals("mutex"));
        return table != null ? text(table) : notImplemented(name + ": contention monitoring is off; set "
            + name + "_profile_fraction above 0 in the pprof extension's settings");
      case "allocs":
        return notImplemented("allocs: the JVM keeps no allocation profile; record one with Java Flight Recorder"
            + " (save_to_file, or jcmd <pid> JFR.start); heap?debug=1 shows live objects by class");
      case "profile":
      case "trace":
        return notImplemented(name + ": the JVM writes no pprof CPU profile or Go trace; record with Java Flight"
            + " Recorder instead (save_to_file, or jcmd <pid> JFR.start duration=30s filename=cpu.jfr)");
      case "symbol":
        return notImplemented("symbol: a JVM has no program counters to look up; stacks already carry names");
      default:
        return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "Unknown profile\n");
    }
  }

  private static HttpResponse text(String body) {
    return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, body);
  }

  private static HttpResponse binary(String name) {
    return notImplemented(name + ": binary (protobuf) pprof profiles are not produced by the JVM; ask for text with"
        + " ?debug=1" + (name.equals("goroutine") ? " or ?debug=2" : ""));
  }

  private static HttpResponse notImplemented(String message) {
    return HttpResponse.of(HttpStatus.NOT_IMPLEMENTED, MediaType.PLAIN_TEXT_UTF_8, message + "\n");
  }

  /** The bound port, or -1 before start. */
  synchronized int port() {
    return server == null ? -1 : server.activeLocalPort();
  }

  @Override
  public synchronized void shutdown() {
    if (recording != null) {
      try {
        recording.stop(); // writes the destination file
      } catch (RuntimeException e) {
        log.warn("pprof {}: writing {} failed", id, config.saveToFile, e);
      }
      recording.close();
      recording = null;
    }
    if (server != null) {
      if (config.contention()) {
        JvmProfiles.threads().setThreadContentionMonitoringEnabled(contentionWas);
      }
      server.stop().join();
      server = null;
    }
  }
}
