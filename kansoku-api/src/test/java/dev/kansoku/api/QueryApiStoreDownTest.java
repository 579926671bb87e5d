package dev.kansoku.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import dev.kansoku.store.TraceReader;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** A store that cannot answer (a cluster restarting) gives 503 with Retry-After, not a 500. */
class QueryApiStoreDownTest {
  private static <T> T failing(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
      if (m.getReturnType() == TraceReader.class) {
        return failing(TraceReader.class);
      }
      throw new StorageException("connection refused: 127.0.0.1:9200", null, true);
    }));
  }

  @Test
  void storeDown_is503WithRetryAfter() {
    ServerBuilder sb = Server.builder().http(0);
    new QueryApi(failing(Storage.class)).bind(sb);
    Server server = sb.build();
    server.start().join();
    try {
      AggregatedHttpResponse res = WebClient.of("http://127.0.0.1:" + server.activeLocalPort()).blocking()
          .get("/api/traces/" + "ab".repeat(16));
      assertThat(res.status().code()).isEqualTo(503);
      assertThat(res.headers().get("retry-after")).isEqualTo("5");
      assertThat(res.contentUtf8()).isEqualTo("{\"error\":\"store unavailable: connection refused: 127.0.0.1:9200\"}");
    } finally {
      server.stop().join();
    }
  }
}
