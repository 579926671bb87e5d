package dev.kansoku.aws.xrayreceiver;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.nio.charset.StandardCharsets;

/**
 * The public door to {@link SegmentTranslator} for callers outside the receiver, such as the X-Ray
 * API's PutTraceSegments, which gets documents over HTTP instead of UDP. Kept to one method so the
 * translator's internals stay package-private. Stateless and thread-safe.
 */
public final class SegmentDocuments {
  private SegmentDocuments() {}

  /**
   * The spans of one segment (or independent subsegment) document, under one resource.
   *
   * @throws IllegalArgumentException naming the bad field when the document cannot become spans;
   *     sending it again cannot succeed
   */
  public static ResourceSpans translate(String document) {
    byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
    try {
      return SegmentTranslator.translate(bytes, 0, bytes.length);
    } catch (InvalidSegmentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
