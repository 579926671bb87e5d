package dev.kansoku.ship;

import java.io.IOException;

/** Where lines come from: standard input until its end, or a file followed until stopped. */
interface LineSource {
  /**
   * Feeds lines to {@code splitter} until the input ends or {@link #stop} is called; what was written
   * before {@code stop} is still read.
   */
  void run(LineSplitter splitter) throws IOException, InterruptedException;

  /** Asks {@link #run} to return after reading what is there. Thread-safe. */
  void stop();

  /** For log lines: "standard input" or the path. */
  String description();
}
