package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.PipelineWatcher;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code awsproxy}: the awsxray receiver's sampling proxy on its own (the collector's standalone X-Ray
 * proxy extension), for SDKs that only need sampling rules from the collector: unsigned POST
 * /GetSamplingRules and /SamplingTargets on {@code endpoint}, answered by the kansoku extension or
 * signed and forwarded to X-Ray.
 *
 * <p>Extensions start in configuration order and the kansoku extension offers its rules only once
 * started, so without {@code aws_endpoint} the choice is made per call: Kansoku's rules when the
 * service offers them, else X-Ray. A forward that cannot be set up (no region) then fails the calls,
 * not the start, and is logged once the service is ready. With {@code aws_endpoint} everything is
 * known at start and a bad setting fails it.
 *
 * <p>Thread-safety: start and shutdown are synchronized; shutdown is idempotent.
 */
final class AwsProxyExtension implements Extension, PipelineWatcher {
  private static final Logger log = LoggerFactory.getLogger(AwsProxyExtension.class);

  private final String id;
  private final ProxyConfig config;
  private final Function<String, String> env;
  @Nullable private SamplingProxy proxy;
  @Nullable private Host host;
  @Nullable private SignedForwarder forwarder;
  @Nullable private String noForward;

  AwsProxyExtension(String id, ProxyConfig config, Function<String, String> env) {
    this.id = id;
    this.config = config;
    this.env = env;
  }

  @Override
  public synchronized void start(Host host) throws IOException {
    if (proxy != null) {
      return;
    }
    boolean pinned = !config.awsEndpoint.isEmpty();
    SignedForwarder f = null;
    String why = null;
    try {
      f = new SignedForwarder(config, env, "");
    } catch (IllegalArgumentException e) {
      if (pinned) {
        throw new IllegalStateException("cannot forward to " + config.awsEndpoint + ": " + e.getMessage(), e);
      }
      why = e.getMessage();
    }
    try {
      proxy = SamplingProxy.listen("awsproxy " + id, id, config.bindAddress(""), pinned ? f : this::answer, f);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot start on tcp " + config.endpoint + ": " + e.getMessage(), e);
    }
    this.host = host;
    this.forwarder = f;
    this.noForward = why;
  }

  /** Kansoku's rules when the service offers them, else X-Ray (per call: see the class comment). */
  private LocalSampling.Answer answer(String path, byte[] body) throws IOException {
    Host h;
    SignedForwarder f;
    String why;
    synchronized (this) {
      h = host;
      f = forwarder;
      why = noForward;
    }
    List<LocalSampling> local = h == null ? List.of() : h.extensions(LocalSampling.class);
    if (!local.isEmpty()) {
      return local.get(0).answerSampling(path, body);
    }
    if (f == null) {
      throw new IOException("no kansoku extension answers sampling here, and forwarding to X-Ray is not possible: "
          + why);
    }
    return f.call(path, body);
  }

  @Override
  public void ready() {
    Host h;
    SignedForwarder f;
    String why;
    synchronized (this) {
      if (proxy == null) {
        return;
      }
      h = host;
      f = forwarder;
      why = noForward;
    }
    boolean local = config.awsEndpoint.isEmpty() && h != null && !h.extensions(LocalSampling.class).isEmpty();
    if (local) {
      log.info("awsproxy {}: sampling proxy on tcp {}, answered from Kansoku's own sampling rules", id, port());
    } else if (f != null) {
      log.info("awsproxy {}: sampling proxy on tcp {}, signed and forwarded to {}", id, port(), f.endpoint());
    } else {
      log.error("awsproxy {}: sampling proxy on tcp {} cannot answer: no kansoku extension, and {}", id, port(), why);
    }
  }

  @Override
  public void notReady() {
    // The proxy answers until shutdown, as the collector's does.
  }

  /** The bound TCP port, or -1 when not started. */
  synchronized int port() {
    return proxy == null ? -1 : proxy.port();
  }

  @Override
  public synchronized void shutdown() {
    if (proxy != null) {
      proxy.stop(); // closes the forwarder too
      proxy = null;
      forwarder = null;
      host = null;
    }
  }
}
