package dev.kansoku.ship;

import java.io.IOException;
import java.io.InputStream;

/**
 * Lines from a stream (standard input) until its end. {@link #stop} cannot interrupt a blocked read;
 * the shipper stops waiting for this source instead.
 */
final class StreamSource implements LineSource {
  private final InputStream in;
  private volatile boolean stopped;

  StreamSource(InputStream in) {
    this.in = in;
  }

  @Override
  public void run(LineSplitter splitter) throws IOException {
    byte[] buf = new byte[64 * 1024];
    int n;
    while (!stopped && (n = in.read(buf)) >= 0) {
      splitter.accept(buf, 0, n);
    }
    splitter.finish();
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public String description() {
    return "standard input";
  }
}
