package dev.kansoku.prometheus.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * fabric8's Kubernetes mock API server in CRUD mode on loopback, and a recorder of a discovery's updates. Public for
 * the pipeline's end-to-end tests in other packages.
 */
public final class KubernetesMock implements AutoCloseable {
  final KubernetesMockServer server;
  public final KubernetesClient client;

  public KubernetesMock() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  KubernetesSdConfig settings(String role) {
    KubernetesSdConfig settings = new KubernetesSdConfig();
    settings.role = role;
    settings.apiServer = url();
    settings.validate("kubernetes_sd_configs[0]");
    return settings;
  }

  @Override
  public void close() {
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // Vert.x sometimes waits out its 10 s close timeout for a watch socket the JDK client has not dropped
      // yet; the next test gets a new server on a new port either way.
      if (!String.valueOf(e.getMessage()).startsWith("Unable to close MockWebServer")) {
        throw e;
      }
    }
  }

  /** Collects the update lists a discovery sends. */
  static final class Updates implements Consumer<List<TargetGroup>> {
    private final BlockingQueue<List<TargetGroup>> lists = new LinkedBlockingQueue<>();

    @Override
    public void accept(List<TargetGroup> groups) {
      lists.add(groups);
    }

    List<TargetGroup> next() throws InterruptedException {
      List<TargetGroup> groups = lists.poll(15, TimeUnit.SECONDS);
      assertThat(groups).as("an update within 15 s").isNotNull();
      return groups;
    }

    /** The next update for {@code source}, skipping updates of other sources. */
    TargetGroup next(String source) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        for (TargetGroup group : next()) {
          if (group.source().equals(source)) {
            return group;
          }
          seen.add(group.source());
        }
        assertThat(seen).as("updates before the one for " + source).hasSizeLessThan(20);
      }
    }

    List<TargetGroup> poll(long millis) throws InterruptedException {
      return lists.poll(millis, TimeUnit.MILLISECONDS);
    }
  }

  static TargetGroup group(List<TargetGroup> groups, String source) {
    return groups.stream().filter(g -> g.source().equals(source)).findFirst()
        .orElseThrow(() -> new AssertionError("no group " + source + " in " + groups));
  }
}
