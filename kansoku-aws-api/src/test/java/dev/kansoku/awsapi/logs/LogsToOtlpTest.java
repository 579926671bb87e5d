package dev.kansoku.awsapi.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.OtlpToModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PutLogEvents' events go through OTLP and come back with what the read operations return. */
class LogsToOtlpTest {
  private static final long INGESTED = 1_764_633_600_123_456_789L;

  @Test
  void groupStreamTimesAndMessages_comeBack_inOrder() {
    List<PutBatch.Event> events = List.of(new PutBatch.Event(1_764_633_599_000L, "GET /rolldice 200", 17),
        new PutBatch.Event(1_764_633_599_000L, "{\"_aws\": {}, \"ünï\": \"\\u0000 x\"}", 30),
        new PutBatch.Event(1_764_633_600_001L, "  trailing spaces  \n", 20));
    OtlpToModel.Converted<LogRecord> back = OtlpToModel.logs(LogsToOtlp.request("/ecs/dice", "dice/a&b", events,
        INGESTED));
    assertThat(back.rejected()).isZero();
    assertThat(back.items()).hasSize(3).allSatisfy(r -> {
      assertThat(r.logGroup()).isEqualTo("/ecs/dice");
      assertThat(r.logStream()).isEqualTo("dice/a&b"); // one-element arrays: & is not ADOT's list separator here
      assertThat(r.observedTimeNanos()).isEqualTo(INGESTED);
    });
    assertThat(back.items()).extracting(LogRecord::body).containsExactly(events.get(0).message(),
        events.get(1).message(), events.get(2).message());
    assertThat(back.items()).extracting(LogRecord::timeNanos).containsExactly(1_764_633_599_000_000_000L,
        1_764_633_599_000_000_000L, 1_764_633_600_001_000_000L);
  }
}
