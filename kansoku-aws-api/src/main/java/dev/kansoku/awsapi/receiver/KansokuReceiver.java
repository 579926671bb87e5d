package dev.kansoku.awsapi.receiver;

import dev.kansoku.awsapi.AwsWrites;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Receiver;
import javax.annotation.Nullable;

/** Attaches its pipelines to the extension's AWS write operations while it runs. */
final class KansokuReceiver implements Receiver {
  private final String id;
  private final KansokuReceiverConfig config;
  private final Consumers next;
  @Nullable private AwsWrites.Attachment attachment;

  KansokuReceiver(String id, KansokuReceiverConfig config, Consumers next) {
    this.id = id;
    this.config = config;
    this.next = next;
  }

  @Override
  public synchronized void start(Host host) {
    if (attachment != null) {
      return;
    }
    ComponentId ext = ComponentId.parse(config.extension);
    AwsWrites writes = host.extension(ext, AwsWrites.class).orElseThrow(() -> new IllegalArgumentException(
        "extension: \"" + ext + "\" is not a kansoku extension listed in service::extensions"));
    attachment = writes.attach(id, next);
  }

  @Override
  public synchronized void shutdown() {
    if (attachment != null) {
      attachment.close();
      attachment = null;
    }
  }
}
