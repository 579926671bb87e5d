package dev.kansoku.awsapi.receiver;

import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Validatable;

/** {@code kansoku} receiver: the AWS write operations of a {@code kansoku} extension's endpoint. */
final class KansokuReceiverConfig implements Validatable {
  /** The kansoku extension whose endpoint this receiver takes data from. Example: kansoku/edge. */
  String extension = "kansoku";

  @Override
  public void validate() {
    try {
      ComponentId.parse(extension);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("extension: " + e.getMessage());
    }
  }
}
