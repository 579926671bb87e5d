package dev.kansoku.aws.xrayreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The reference's tracesegment util_test.go (SplitHeaderBody), one test each, plus Go's decoding rules. */
class SegmentDatagramTest {
  private static int bodyOffset(String datagram) throws InvalidSegmentException {
    byte[] data = datagram.getBytes(StandardCharsets.UTF_8);
    return SegmentDatagram.bodyOffset(data, data.length);
  }

  private static String body(String datagram) throws InvalidSegmentException {
    return datagram.substring(bodyOffset(datagram));
  }

  /** TestSplitHeaderBodyWithSeparatorExists. */
  @Test
  void separatorExists() throws InvalidSegmentException {
    assertThat(body("{\"format\":\"json\", \"version\":1}\nBody")).isEqualTo("Body");
  }

  /** TestSplitHeaderBodyWithSeparatorDoesNotExist. */
  @Test
  void separatorDoesNotExist() {
    assertThatThrownBy(() -> bodyOffset("{\"format\":\"json\", \"version\":1}"))
        .hasMessageStartingWith("no header line");
  }

  /** TestSplitHeaderBodyNonJsonHeader. */
  @Test
  void nonJsonHeader() {
    assertThatThrownBy(() -> bodyOffset("nonJson\nBody")).hasMessage("header \"nonJson\" is not JSON"
        + " (expected: {\"format\": \"json\", \"version\": 1})");
  }

  /** TestSplitHeaderBodyEmptyBody: Go splits it, then the poller drops the datagram for its missing body. */
  @Test
  void emptyBody() {
    assertThatThrownBy(() -> bodyOffset("{\"format\":\"json\", \"version\":1}\n"))
        .hasMessage("header without a segment document");
  }

  /** TestSplitHeaderBodyInvalidJsonHeader. */
  @Test
  void invalidJsonHeader() {
    assertThatThrownBy(() -> bodyOffset("{\"format\":\"json\", \"version\":20}\nBody"))
        .hasMessageStartingWith("header \"{\"format\":\"json\", \"version\":20}\" (expected:");
  }

  /** Header.IsValid compares the format ignoring case, and Go's decoder matches the keys so. */
  @Test
  void formatAndKeysInAnyCase() throws InvalidSegmentException {
    assertThat(body("{\"Format\": \"JSON\", \"VERSION\": 1}\nBody")).isEqualTo("Body");
  }

  /** json.Unmarshal refuses anything after the header's value. */
  @Test
  void trailingTextAfterHeader_refused() {
    assertThatThrownBy(() -> bodyOffset("{\"format\": \"json\", \"version\": 1} x\nBody"))
        .hasMessageEndingWith("is not JSON (expected: {\"format\": \"json\", \"version\": 1})");
  }
}
