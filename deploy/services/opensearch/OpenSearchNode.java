import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

import java.nio.file.*;
import java.util.*;

/**
 * Runs a single OpenSearch 2.19 node from Maven Central jars (no distribution tarball), with HTTP on 127.0.0.1.
 *   [OPENSEARCH_HOST=127.0.0.x] java -cp "$(cat cp.txt)" OpenSearchNode.java HOME_DIR [HTTP_PORT] [TRANSPORT_PORT]
 * Node's constructor taking classpath plugins is protected, hence the subclass (the test framework's MockNode does the same).
 */
public class OpenSearchNode {
  static class ClasspathNode extends Node {
    ClasspathNode(Environment env, Collection<Class<? extends Plugin>> plugins) { super(env, plugins, true); }
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] a) throws Exception {
    Path home = Paths.get(a[0]).toAbsolutePath();
    String httpPort = a.length > 1 ? a[1] : "9200";
    String transportPort = a.length > 2 ? a[2] : "9300";
    String host = System.getenv().getOrDefault("OPENSEARCH_HOST", "127.0.0.1");
    if (!host.startsWith("127.")) throw new IllegalArgumentException("only 127.0.0.x may be bound: " + host);
    Files.createDirectories(home.resolve("config"));
    Files.createDirectories(home.resolve("plugins"));
    Files.createDirectories(home.resolve("modules"));
    Settings settings = Settings.builder()
        .put("cluster.name", "kansoku")
        .put("node.name", "node-1")
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("network.host", host)
        .put("http.port", httpPort)
        .put("transport.port", transportPort)
        .put("discovery.type", "single-node")
        .put("http.type", "netty4")
        .put("transport.type", "netty4")
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("node.max_local_storage_nodes", 1)
        .build();
    List<Class<? extends Plugin>> plugins = new ArrayList<>();
    for (String cn : new String[] {
        "org.opensearch.transport.Netty4Plugin",
        "org.opensearch.painless.PainlessPlugin",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "org.opensearch.index.reindex.ReindexPlugin"}) {
      try { plugins.add((Class<? extends Plugin>) Class.forName(cn)); }
      catch (ClassNotFoundException e) { System.err.println("plugin not on classpath: " + cn); }
    }
    long t0 = System.nanoTime();
    Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), home.resolve("config"), () -> "node-1");
    Node node = new ClasspathNode(env, plugins);
    node.start();
    System.out.printf("opensearch node started in %d ms: http://%s:%s%n", (System.nanoTime() - t0) / 1_000_000, host, httpPort);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { try { node.close(); } catch (Exception e) { e.printStackTrace(); } }));
    Thread.currentThread().join();
  }
}
