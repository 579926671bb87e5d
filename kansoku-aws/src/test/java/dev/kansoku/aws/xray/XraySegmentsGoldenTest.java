package dev.kansoku.aws.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in {@code src/test/resources/xray/cases}: an input span (with resource and options)
 * and the exact documents expected, compared as JSON trees. Cases named after a test of the
 * collector's translator carry its inputs; their expectations satisfy that test's assertions.
 *
 * <p>"asserts" holds the reference test's assertions as JSON pointers into the documents (null: absent).
 *
 * <p>To write the expectation of a new case (which then must be read and checked by hand), run with
 * {@code -Dxray.golden.write=true}: files without "expected" get the translator's output.
 */
class XraySegmentsGoldenTest {
  private static final Path CASES = Paths.get("src/test/resources/xray/cases");

  @TestFactory
  Stream<DynamicTest> goldenCases() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CASES)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private static void check(Path file) throws Exception {
    ObjectNode c = (ObjectNode) SpanCases.JSON.readTree(file.toFile());
    JsonNode resourceNode = c.has("resource_ref") ? SpanCases.resource(c.get("resource_ref").asText())
        : c.get("resource");
    Map<String, AnyValue> resource = Attrs.of(SpanCases.attributes(resourceNode));
    Span span = SpanCases.span(c.get("span"));
    XrayOptions options = SpanCases.options(c.path("options"));
    if (c.has("expected_error")) {
      assertThatThrownBy(() -> XraySegments.translate(span, resource, options))
          .isInstanceOf(SpansToSegments.TranslationException.class)
          .hasMessage(c.get("expected_error").asText());
      return;
    }
    List<String> docs = XraySegments.translate(span, resource, options);
    ArrayNode actual = SpanCases.JSON.createArrayNode();
    for (String d : docs) {
      actual.add(SpanCases.JSON.readTree(d));
    }
    // The reference test's own assertions, checked independently of the golden document.
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = c.path("asserts").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> a = it.next();
      JsonNode got = actual.at(a.getKey());
      if (a.getValue().isNull()) {
        assertThat(got.isMissingNode() || got.isNull()).as("%s: %s should be absent, is %s", file.getFileName(),
            a.getKey(), got).isTrue();
      } else {
        assertThat(got).as("%s: %s", file.getFileName(), a.getKey()).isEqualTo(a.getValue());
      }
    }
    if (!c.has("expected") && Boolean.getBoolean("xray.golden.write")) {
      c.set("expected", actual);
      SpanCases.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), c);
      return;
    }
    assertThat(c.has("expected")).as("%s has no \"expected\"", file).isTrue();
    String want = SpanCases.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c.get("expected"));
    String got = SpanCases.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual);
    assertThat(actual).as("%s (%s)\nexpected:\n%s\nactual:\n%s", file.getFileName(),
        c.path("reference").asText("own case"), want, got).isEqualTo(c.get("expected"));
  }
}
