package dev.kansoku.aws.xrayreceiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each segment document in {@code xrayreceiver/segments/} against its expected spans in
 * {@code xrayreceiver/golden/} ({@link SpanText}), or against {@code error: <message>} when the
 * document must be refused. See the segments README for where the inputs come from.
 *
 * <p>After a deliberate mapping change, {@code -Dxrayreceiver.golden.write=true} rewrites the golden
 * files from the source tree for review in the diff.
 */
class SegmentsToSpansGoldenTest {
  private static final Path GOLDEN_SOURCE = Path.of("src/test/resources/xrayreceiver/golden");

  static Stream<String> cases() {
    return Stream.of(
        // the reference's inputs
        "serverSample",
        "ddbSample",
        "awsMissingAwsField",
        "awsValidAwsFields",
        "minCauseIsExceptionId",
        "minCauseIsInvalid",
        "minInProgress",
        "minOtherFields",
        "segmentWithParentId",
        "segmentValidationFailed",
        "indepSubsegment",
        "indepSubsegmentWithContentLengthString",
        "indepSubsegmentWithLocalNamespace",
        "indepSubsegmentWithSql",
        "indepSubsegmentWithInvalidSqlUrl",
        "invalidNamespace",
        // the reference's unit tests as documents, each named by its test (see the segments README)
        "refAddAnnotations",
        "refAwsToResourceWithCloudWatchLogs",
        "refAwsToResourceWithEC2",
        "refAwsToResourceWithECS",
        "refAwsToResourceWithEKS",
        "refAwsToResourceWithBeanstalk",
        "refConvertStackFramesToStackTraceStr",
        "refSQLURL",
        // ours
        "kansokuAllBlocks",
        "kansokuBadTraceId",
        "kansokuBadSpanId",
        "kansokuMissingTraceId",
        "kansokuSubsegmentMissingName",
        "kansokuWrongFieldType",
        "kansokuArray",
        "kansokuTruncated",
        "kansokuEndBeforeStart",
        "kansokuOwnParent",
        "kansokuZeroTraceId",
        "kansokuAwsBlocks",
        "kansokuSqlUrlForms",
        "kansokuHttpStatusBounds",
        "kansokuZeroParentId",
        "kansokuMetadataGoJson",
        "kansokuMetadataNotObject",
        "kansokuNumberOutOfRange",
        "kansokuUnreadFieldWrongType",
        "kansokuKeyCase",
        "kansokuCauseEdges");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void translate_golden(String name) throws IOException {
    byte[] doc = segment(name);
    String actual;
    try {
      actual = SpanText.render(SegmentsToSpans.translate(doc, 0, doc.length));
    } catch (InvalidSegmentException e) {
      actual = "error: " + e.getMessage() + "\n";
    }

    if (Boolean.getBoolean("xrayreceiver.golden.write")) {
      Files.writeString(GOLDEN_SOURCE.resolve(name + ".txt"), actual);
    }
    assertThat(actual).as(name).isEqualTo(resource("golden/" + name + ".txt"));
  }

  static byte[] segment(String name) throws IOException {
    if (name.equals("invalidNamespace")) {
      // The reference's invalidNamespace.txt is ddbSample with one namespace changed.
      return resource("segments/ddbSample.json").replaceFirst("\"namespace\": \"aws\"", "\"namespace\": \"invalidNs\"")
          .getBytes(StandardCharsets.UTF_8);
    }
    return resource("segments/" + name + ".json").getBytes(StandardCharsets.UTF_8);
  }

  static String resource(String path) throws IOException {
    try (InputStream in = SegmentsToSpansGoldenTest.class.getResourceAsStream("/xrayreceiver/" + path)) {
      if (in == null) {
        return "(no file xrayreceiver/" + path + ")";
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
