package dev.kansoku.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's routes on a real Armeria server, read with a real client. */
class ConsoleTest {
  private static Server server;
  private static BlockingWebClient client;

  @BeforeAll
  static void start() {
    ServerBuilder sb = Server.builder().http(new InetSocketAddress("127.0.0.1", 0));
    Console.bind(sb);
    // An API beside the console, as on the kansoku endpoint: the console must not shadow it.
    sb.service("/api/services", (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of("{}"));
    server = sb.build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort()).blocking();
  }

  @AfterAll
  static void stop() {
    server.stop().join();
  }

  @Test
  void deepLinks_loadTheApp() {
    for (String path : new String[] {"/", "/traces", "/traces/1-655415c5-f8ce3ffe767daf7d6ef94d72", "/map",
        "/metrics", "/logs", "/insights"}) {
      AggregatedHttpResponse res = client.get(path + "?start=15m");
      assertThat(res.status()).as(path).isEqualTo(HttpStatus.OK);
      assertThat(res.contentType()).as(path).isEqualTo(MediaType.HTML_UTF_8);
      assertThat(res.contentUtf8()).as(path).contains("<script type=\"module\" src=\"/assets/app.js\"></script>");
      assertThat(res.headers().get(HttpHeaderNames.CACHE_CONTROL)).as(path).contains("no-cache");
    }
  }

  @Test
  void assets_areServedFromTheJar() {
    AggregatedHttpResponse js = client.get("/assets/views/trace.js");
    assertThat(js.status()).isEqualTo(HttpStatus.OK);
    assertThat(js.contentType().subtype()).isEqualTo("javascript");
    assertThat(js.contentUtf8()).contains("export async function render(");
    assertThat(js.headers().get(HttpHeaderNames.ETAG)).isNotBlank();
    assertThat(client.get("/assets/app.css").contentType().subtype()).isEqualTo("css");
    assertThat(client.get("/assets/no-such-view.js").status()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void uplot_fromItsWebJar_isCachedForGood() {
    AggregatedHttpResponse res = client.get("/vendor/uplot/uPlot.esm.js");
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(res.contentUtf8()).contains("export { uPlot as default }");
    assertThat(res.headers().get(HttpHeaderNames.CACHE_CONTROL)).contains("immutable");
    assertThat(Console.uplotVersion()).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void unknownPaths_andApis_areNotTheConsole() {
    assertThat(client.get("/api/services").contentUtf8()).isEqualTo("{}");
    assertThat(client.get("/tracesx").status()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(client.get("/traces/a/b").status()).isEqualTo(HttpStatus.NOT_FOUND);
  }
}
