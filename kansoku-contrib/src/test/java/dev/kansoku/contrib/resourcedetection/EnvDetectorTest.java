package dev.kansoku.contrib.resourcedetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.resourcedetection.Detector.DetectionException;
import dev.kansoku.contrib.resourcedetection.Detector.Detected;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's env detector cases (env_test.go), plus the rules they imply. */
class EnvDetectorTest {
  @Test
  void valid_lists_decode_as_upstream() throws Exception {
    check(" example.org/test-1 =  test $ %3A \\\" ,  Abc=Def  ", Map.of("example.org/test-1", "test $ : \\\"",
        "Abc", "Def"));
    check("single=key", Map.of("single", "key"));
    check("service.name=dice,deployment.environment=prod%20eu", Map.of("service.name", "dice",
        "deployment.environment", "prod eu"));
    check("k=a+b", Map.of("k", "a b"));
    check("k=", Map.of("k", ""));
    check("k=%E6%97%A5", Map.of("k", "日"));
    // the same key twice: its first place, its last value (a map's put)
    assertThat(EnvDetector.parse("a=1,b=2,a=3")).extracting(KeyValue::getKey).containsExactly("a", "b");
    assertThat(EnvDetector.parse("a=1,b=2,a=3").get(0).getValue().getStringValue()).isEqualTo("3");
  }

  @Test
  void malformed_lists_fail_with_upstreams_messages() {
    bad("invalid=url-%3-encoding",
        "invalid resource format in attribute: \"invalid=url-%3-encoding\", err: invalid URL escape \"%3-\"");
    bad("invalid-char-ü=test", "invalid resource format: \"invalid-char-ü=test\"");
    bad("invalid-char=ü-test", "invalid resource format: \"invalid-char=ü-test\"");
    bad("extra=chars, a", "invalid resource format, invalid text: \" a\"");
    bad("invalid=char,übetween=attributes", "invalid resource format, invalid text: \"ü\"");
    bad("key=value,key", "invalid resource format, invalid text: \"key\"");
    bad("k=%4", "invalid resource format in attribute: \"k=%4\", err: invalid URL escape \"%4\"");
  }

  @Test
  void reads_the_variable_then_the_older_one_and_nothing_when_both_are_empty() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    EnvDetector d = new EnvDetector(env::get);
    assertThat(d.detect(Instant.MAX)).isEqualTo(Detected.NONE);
    env.put(EnvDetector.OLD_VARIABLE, "old=1");
    assertThat(d.detect(Instant.MAX).attributes()).extracting(KeyValue::getKey).containsExactly("old");
    env.put(EnvDetector.VARIABLE, "  new=2 ");
    Detected detected = d.detect(Instant.MAX);
    assertThat(detected.attributes()).extracting(KeyValue::getKey).containsExactly("new");
    assertThat(detected.schemaUrl()).isEmpty();
    env.put(EnvDetector.VARIABLE, "a=1,b");
    assertThatThrownBy(() -> d.detect(Instant.MAX)).isInstanceOf(DetectionException.class)
        .satisfies(e -> assertThat(((DetectionException) e).permanent()).isTrue());
  }

  private static void check(String encoded, Map<String, String> expected) throws DetectionException {
    List<KeyValue> parsed = EnvDetector.parse(encoded);
    Map<String, String> got = new LinkedHashMap<>();
    parsed.forEach(kv -> got.put(kv.getKey(), kv.getValue().getStringValue()));
    assertThat(got).as(encoded).isEqualTo(expected);
  }

  private static void bad(String encoded, String message) {
    assertThatThrownBy(() -> EnvDetector.parse(encoded)).as(encoded).isInstanceOf(DetectionException.class)
        .hasMessage(message);
  }
}
