package dev.kansoku.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaReceiverConfigTest {
  private static final KafkaReceiverFactory FACTORY = new KafkaReceiverFactory();

  private static KafkaReceiverConfig bind(String yaml) throws ConfigException {
    return KafkaTesting.bind(FACTORY, "receivers::kafka", yaml);
  }

  private static void check(String yaml, String message) {
    assertThatThrownBy(() -> bind(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void defaults_commitAfterAcceptance_manualCommits() throws Exception {
    KafkaReceiverConfig c = bind("");
    assertThat(c.topics(Signal.TRACES)).containsExactly("otlp_spans");
    assertThat(c.messageMarking.after).isTrue();
    assertThat(c.messageMarking.skipPermanent()).isTrue();
    assertThat(c.errorBackoff.maxElapsedTime).isEqualTo(Duration.ZERO);
    assertThat(c.consumerProperties()).containsEntry("group.id", "otel-collector")
        .containsEntry("enable.auto.commit", false).containsEntry("auto.offset.reset", "latest")
        .containsEntry("session.timeout.ms", 10000).containsEntry("heartbeat.interval.ms", 3000);
  }

  @Test
  void topics_perSignalOverTopLevel() throws Exception {
    KafkaReceiverConfig c = bind("topic: shared\ntraces: {topics: [a, b]}\nmetrics: {topic: m}\n");
    assertThat(c.topics(Signal.TRACES)).isEqualTo(List.of("a", "b"));
    assertThat(c.topics(Signal.METRICS)).isEqualTo(List.of("m"));
    assertThat(c.topics(Signal.LOGS)).isEqualTo(List.of("shared"));
  }

  @Test
  void contribKeys_accepted() throws Exception {
    KafkaReceiverConfig c = bind("protocol_version: 2.0.0\ngroup_id: ingest\ninitial_offset: earliest\n"
        + "autocommit: {enable: false, interval: 5s}\nmessage_marking: {after: true, on_error: true, "
        + "on_permanent_error: false}\nerror_backoff: {enabled: true, initial_interval: 100ms, max_elapsed_time: 1m}\n"
        + "group_instance_id: ingester-1\nrack_id: az1\nmax_fetch_size: 2000000\n");
    assertThat(c.messageMarking.skipPermanent()).isFalse();
    assertThat(c.consumerProperties()).containsEntry("group.id", "ingest").containsEntry("auto.offset.reset", "earliest")
        .containsEntry("group.instance.id", "ingester-1").containsEntry("client.rack", "az1")
        .containsEntry("fetch.max.bytes", 2000000);
  }

  @Test
  void badValues_allReportedWithKeys() {
    check("initial_offset: oldest\ntraces: {topic: a, topics: [b]}\nlogs: {topics: ['^otlp.*']}\n"
        + "heartbeat_interval: 20s\nmetrics: {encoding: raw}\n",
        "receivers::kafka: traces: topic and topics cannot both be set (expected: topics); metrics::encoding: \"raw\" "
        + "is not supported by Kansoku (expected: one of [otlp_proto, otlp_json]); logs::topics: regular expressions "
        + "are not supported by Kansoku (expected: topic names); initial_offset: \"oldest\" (expected: latest or "
        + "earliest); heartbeat_interval: PT20S (expected: < session_timeout PT10S)");
    check("message_marking: {afterr: true}",
        "receivers::kafka::message_marking: unknown key \"afterr\", did you mean \"after\"?");
  }
}
