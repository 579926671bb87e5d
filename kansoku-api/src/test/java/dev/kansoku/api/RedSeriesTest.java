package dev.kansoku.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.StatusCode;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.InMemoryStorage;
import dev.kansoku.store.ServiceGraph;
import dev.kansoku.store.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedSeriesTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final long T0 = 28_000_000L * MINUTE; // a whole minute, so periods start at T0

  private static SpanRecord server(int n, String service, long start, long durationMillis, boolean fault) {
    SpanRecord.Builder b = SpanRecord.builder()
        .traceId(TraceId.parse(String.format("%032x", n + 1)))
        .spanId(SpanId.parse(String.format("%016x", n + 1)))
        .serviceName(service).name("GET /rolldice").kind(SpanKind.SERVER)
        .startNanos(start).endNanos(start + durationMillis * 1_000_000L);
    if (fault) {
      b.status(StatusCode.ERROR, "boom").httpStatus(500);
    }
    return b.build();
  }

  private static JsonNode query(Storage s, long start, long end, Duration period, String service) {
    return new RedSeries(s.serviceGraph()).query(start, end, period, service);
  }

  @Test
  void perPeriod_rateFaultsAndDurations() {
    Storage s = InMemoryStorage.builder().build();
    s.spanWriter().write(List.of(
        server(1, "dice-server", T0 + 1_000, 10, false),
        server(2, "dice-server", T0 + 2_000, 20, false),
        server(3, "dice-server", T0 + 3_000, 400, true),
        server(4, "dice-roller", T0 + MINUTE + 5, 3, false)));
    JsonNode r = query(s, T0, T0 + 2 * MINUTE, Duration.ofMinutes(1), null);

    assertThat(r.get("periodSeconds").asLong()).isEqualTo(60);
    assertThat(r.get("timestampsMs")).extracting(JsonNode::asLong).containsExactly(T0 / 1_000_000, (T0 + MINUTE) / 1_000_000);
    assertThat(r.get("services")).extracting(n -> n.get("service").asText()).containsExactly("dice-roller", "dice-server");
    JsonNode dice = r.get("services").get(1);
    assertThat(dice.get("requestsPerSecond")).extracting(JsonNode::asDouble).containsExactly(0.05, 0.0);
    assertThat(dice.get("faults")).extracting(JsonNode::asDouble).containsExactly(1.0, 0.0);
    assertThat(dice.get("averageMs").get(0).asDouble()).isEqualTo(143.333);
    assertThat(dice.get("averageMs").get(1).isNull()).as("no requests, no duration").isTrue();
    // Histogram buckets ≤10, ≤20, ≤500 ms hold one span each: the median is halfway into (10, 20].
    assertThat(dice.get("p50Ms").get(0).asDouble()).isEqualTo(15.0);
    assertThat(dice.get("p99Ms").get(0).asDouble()).isEqualTo(491.0);
  }

  @Test
  void oneService_whenAsked() {
    Storage s = InMemoryStorage.builder().build();
    s.spanWriter().write(List.of(server(1, "dice-server", T0, 5, false), server(2, "dice-roller", T0, 5, false)));
    JsonNode r = query(s, T0, T0 + MINUTE, Duration.ofMinutes(1), "dice-roller");
    assertThat(r.get("services")).extracting(n -> n.get("service").asText()).containsExactly("dice-roller");
    assertThat(query(s, T0, T0 + MINUTE, Duration.ofMinutes(1), "nobody").get("services")).isEmpty();
  }

  @Test
  void badPeriods_areRefusedWithTheReason() {
    Storage s = InMemoryStorage.builder().build();
    assertThatThrownBy(() -> query(s, T0, T0 + MINUTE, Duration.ofMillis(500), null))
        .hasMessage("period: 500ms (expected: at least 1s)");
    assertThatThrownBy(() -> query(s, T0, T0 + 7 * 24 * 60 * MINUTE, Duration.ofMinutes(1), null))
        .hasMessage("period: 60s gives 10080 periods (expected: at most 1440; use a longer period or a shorter window)");
  }

  @Test
  void percentile_aboveTheLastBound_isThatBound() {
    List<Long> h = new ArrayList<>(java.util.Collections.nCopies(ServiceGraph.RequestStats.BUCKET_BOUNDS_MILLIS.size() + 1, 0L));
    h.set(h.size() - 1, 4L);
    ServiceGraph.RequestStats stats = new ServiceGraph.RequestStats(4, 0, 0, 0, 4 * 60_000_000_000L, h);
    assertThat(RedSeries.percentile(stats, 0.5)).isEqualTo(30_000.0);
  }
}
