package dev.kansoku.contrib.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.config.ConfigBinder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PprofExtensionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Host NO_HOST = new Host() {
    @Override
    public <E> Optional<E> extension(ComponentId id, Class<E> type) {
      return Optional.empty();
    }
  };

  @Test
  void text_profiles_the_jvm_has_and_501_for_the_rest() throws Exception {
    PprofExtension ext = extension(Map.of("endpoint", "127.0.0.1:0"));
    ext.start(NO_HOST);
    try {
      int port = ext.port();
      HttpResponse<String> index = get(port, "/debug/pprof/");
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("<a href=\"goroutine?debug=2\">").contains("heap?debug=1");
      assertThat(get(port, "/debug/pprof").statusCode()).isEqualTo(200); // redirected to the index

      HttpResponse<String> dump = get(port, "/debug/pprof/goroutine?debug=2");
      assertThat(dump.statusCode()).isEqualTo(200);
      assertThat(dump.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      // this test's own thread, waiting in the HTTP client, with its stack
      assertThat(dump.body()).contains("\"" + Thread.currentThread().getName() + "\" #")
          .contains("java.lang.Thread.State: ").contains("\tat " + PprofExtensionTest.class.getName());
      String grouped = get(port, "/debug/pprof/goroutine?debug=1").body();
      assertThat(grouped).startsWith("goroutine profile: total ").contains(" @\n#\t");

      HttpResponse<String> heap = get(port, "/debug/pprof/heap?debug=1");
      assertThat(heap.statusCode()).isEqualTo(200);
      assertThat(heap.body()).contains("# heap: used=").contains("java.lang.String");
      assertThat(get(port, "/debug/pprof/threadcreate?debug=1").body()).startsWith("threadcreate profile: total ");
      assertThat(get(port, "/debug/pprof/cmdline").body().split("\0")[0]).isEqualTo("java");

      for (String binary : new String[] {"goroutine", "heap", "threadcreate", "block", "mutex"}) {
        HttpResponse<String> r = get(port, "/debug/pprof/" + binary);
        assertThat(r.statusCode()).as(binary).isEqualTo(501);
        assertThat(r.body()).as(binary).contains("binary (protobuf) pprof profiles are not produced by the JVM");
      }
      HttpResponse<String> cpu = get(port, "/debug/pprof/profile?seconds=5");
      assertThat(cpu.statusCode()).isEqualTo(501);
      assertThat(cpu.body()).contains("Java Flight Recorder");
      assertThat(get(port, "/debug/pprof/mutex?debug=1").body()).contains("set mutex_profile_fraction above 0");
      HttpResponse<String> unknown = get(port, "/debug/pprof/nothing");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).isEqualTo("Unknown profile\n");
    } finally {
      ext.shutdown();
    }
    assertThat(ext.port()).isEqualTo(-1);
  }

  @Test
  void contention_fractions_turn_on_the_block_and_mutex_tables() throws Exception {
    PprofExtension ext = extension(Map.of("endpoint", "127.0.0.1:0", "mutex_profile_fraction", 5,
        "block_profile_fraction", 1));
    boolean before = JvmProfiles.threads().isThreadContentionMonitoringEnabled();
    ext.start(NO_HOST);
    try {
      Thread.sleep(5); // a wait of this thread, counted by the block table
      HttpResponse<String> block = get(ext.port(), "/debug/pprof/block?debug=1");
      assertThat(block.statusCode()).isEqualTo(200);
      assertThat(block.body()).startsWith("--- block").contains("\t" + Thread.currentThread().getName() + "\n");
      assertThat(get(ext.port(), "/debug/pprof/mutex?debug=1").body()).startsWith("--- mutex");
    } finally {
      ext.shutdown();
    }
    assertThat(JvmProfiles.threads().isThreadContentionMonitoringEnabled()).isEqualTo(before);
  }

  @Test
  void save_to_file_records_the_run_with_flight_recorder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kansoku.jfr");
    PprofExtension ext = extension(Map.of("endpoint", "127.0.0.1:0", "save_to_file", file.toString()));
    ext.start(NO_HOST);
    ext.shutdown();
    byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
    assertThat(head).containsExactly('F', 'L', 'R', 0); // a JFR chunk's magic
  }

  @Test
  void settings_are_upstreams_and_errors_name_them() throws Exception {
    PprofConfig defaults = new PprofExtensionFactory().createDefaultConfig();
    assertThat(defaults.endpoint).isEqualTo("localhost:1777");
    assertThatThrownBy(() -> extension(Map.of("endpoint", "1777"))).hasMessageContaining("endpoint:");
    assertThatThrownBy(() -> extension(Map.of("save_to_fil", "x"))).hasMessageContaining("unknown key \"save_to_fil\"")
        .hasMessageContaining("save_to_file");
  }

  private static PprofExtension extension(Map<String, Object> settings) throws Exception {
    PprofConfig c = ConfigBinder.bind(JSON.valueToTree(settings), new PprofConfig(), "extensions::pprof");
    return new PprofExtension("pprof", c);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(HttpRequest
        .newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
