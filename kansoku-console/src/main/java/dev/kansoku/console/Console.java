package dev.kansoku.console;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.ServerCacheControl;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * Binds the web console on an Armeria server: {@code index.html} for the console's own pages (so
 * that a bookmarked URL such as {@code /traces/1-…} loads the app, which then reads its state from
 * the URL), the ES modules and CSS under {@code /assets/}, and uPlot from its WebJar under
 * {@code /vendor/uplot/}. Only GET routes, and none under {@code /api} or the AWS paths, so the
 * console never shadows an API. Everything comes from the classpath: no file system, no internet.
 */
public final class Console {
  /** The console's pages; each is a client-side view rendered by {@code app.js}. */
  static final List<String> PAGES = List.of("/", "/traces", "/traces/{id}", "/map", "/metrics", "/logs", "/insights");

  private static final String ROOT = "kansoku-console/";

  private Console() {}

  public static void bind(ServerBuilder sb) {
    requireNonNull(sb, "sb");
    ClassLoader cl = Console.class.getClassLoader();
    // The page itself is small and must be fresh after an upgrade; assets revalidate by ETag.
    HttpService index = HttpFile.builder(cl, ROOT + "index.html").cacheControl(ServerCacheControl.REVALIDATED)
        .build().asService();
    for (String page : PAGES) {
      sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path(page).build(index);
    }
    sb.serviceUnder("/assets/", FileService.builder(cl, ROOT + "assets").cacheControl(ServerCacheControl.REVALIDATED)
        .build());
    // The vendored path carries the version, so the browser may keep it.
    sb.serviceUnder("/vendor/uplot/", FileService.builder(cl, "META-INF/resources/webjars/uplot/" + uplotVersion()
        + "/dist").cacheControl(ServerCacheControl.IMMUTABLE).build());
  }

  static String uplotVersion() {
    try (InputStream in = Console.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("versions.properties is missing from the kansoku-console jar");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("uplot.version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
