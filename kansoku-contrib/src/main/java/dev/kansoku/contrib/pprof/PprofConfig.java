package dev.kansoku.contrib.pprof;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.Endpoints;

/** {@code pprof} extension: the collector's profiling endpoint, serving what a JVM can show in pprof's text forms. */
final class PprofConfig implements Validatable {
  /** host:port to listen on; loopback unless you say otherwise. Example: localhost:1777. */
  String endpoint = "localhost:1777";
  /**
   * Go's block profile rate; here any value above 0 turns on the JVM's thread contention monitoring,
   * which /debug/pprof/block?debug=1 reports (time threads waited). Example: 1.
   */
  int blockProfileFraction;
  /**
   * Go's mutex profile fraction; here any value above 0 turns on the JVM's thread contention
   * monitoring, which /debug/pprof/mutex?debug=1 reports (time threads were blocked on monitors). Example: 5.
   */
  int mutexProfileFraction;
  /**
   * Record a profile for the whole run into this file, written at shutdown. Here it is a Java Flight
   * Recorder recording (open it with JDK Mission Control or {@code jfr print}), not a pprof CPU profile.
   * Example: /tmp/kansoku.jfr.
   */
  String saveToFile = "";

  @Override
  public void validate() {
    Endpoints.check("endpoint", endpoint);
  }

  boolean contention() {
    return blockProfileFraction > 0 || mutexProfileFraction > 0;
  }
}
