package dev.kansoku.aws.emf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.pipeline.config.ConfigBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases in src/test/resources/emf/cases: each file names the reference test it is ported from,
 * the exporter options (YAML keys), the wall clock ("now", which an export may move on), and one or
 * more exports (OTLP/JSON) with the EMF events expected after each (log group, stream, timestamp and the message as a JSON tree, compared
 * exactly, numbers included). Consecutive exports share one translator, so delta conversion shows.
 *
 * <p>Run with -Demf.golden.update=true to write the actual events into files whose "expected" is
 * missing; review them against the reference test before committing.
 */
class EmfGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static Stream<String> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(EmfGoldenTest.class.getResource("/emf/cases").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(String file) throws Exception {
    Path path = Path.of(EmfGoldenTest.class.getResource("/emf/cases/" + file).toURI());
    ObjectNode c = (ObjectNode) JSON.readTree(path.toFile());
    assertThat(c.path("reference").asText()).as("every case names its reference test").isNotEmpty();
    AwsEmfExporterConfig config = ConfigBinder.bind(c.get("config"), new AwsEmfExporterConfig(), "exporters::awsemf");
    StepClock clock = new StepClock(c.path("now").asLong(1596151098037L));
    EmfTranslator translator = new EmfTranslator(config, clock, "otel-stream-test");
    boolean update = Boolean.getBoolean("emf.golden.update");
    boolean changed = false;
    for (JsonNode export : c.get("exports")) {
      clock.millis = export.path("now").asLong(clock.millis);
      ArrayNode actual = JSON.createArrayNode();
      for (EmfEvent e : translator.translateEvents(OtlpJsonMetrics.read(export.get("input")))) {
        ObjectNode n = actual.addObject();
        n.put("logGroup", e.logGroup());
        n.put("logStream", e.logStream());
        n.set("timestamp", parse(Long.toString(e.timestampMs())));
        n.set("message", parse(e.message()));
      }
      if (!export.has("expected") && update) {
        ((ObjectNode) export).set("expected", actual);
        changed = true;
        continue;
      }
      assertThat(export.has("expected")).as("case has expected events").isTrue();
      assertThat(actual).isEqualTo(export.get("expected"));
    }
    if (changed) {
      Path src = Path.of("src/test/resources/emf/cases", file);
      JSON.writeValue(src.toFile(), c);
    }
  }

  /** The wall clock: the case's "now", moved by an export's own "now" (delta expiry needs time to pass). */
  private static final class StepClock extends Clock {
    long millis;

    StepClock(long millis) {
      this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + s, e);
    }
  }

}
