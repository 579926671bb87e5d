package dev.kansoku.contrib.pprof;

/** The page at /debug/pprof/: what each of Go's profile paths gives here. */
final class PprofIndex {
  private static final String[][] ROWS = {
      {"goroutine?debug=1", "threads grouped by identical stack, with counts"},
      {"goroutine?debug=2", "thread dump: every thread's stack, state and locks"},
      {"heap?debug=1", "heap and non-heap usage, then the class histogram of live objects (runs a full GC)"},
      {"threadcreate?debug=1", "threads started, live, peak and daemon"},
      {"block?debug=1", "time each thread waited (with block_profile_fraction > 0)"},
      {"mutex?debug=1", "time each thread was blocked entering monitors (with mutex_profile_fraction > 0)"},
      {"cmdline", "the JVM's arguments, NUL-separated"},
      {"profile, trace, allocs, symbol", "501: use Java Flight Recorder (save_to_file, or jcmd JFR.start)"},
  };

  private PprofIndex() {}

  static String html() {
    StringBuilder b = new StringBuilder("<html><head><title>/debug/pprof/</title></head><body>\n"
        + "/debug/pprof/<br>\n<p>Kansoku runs on a JVM: the text forms of the profiles it has an equivalent for;"
        + " binary (protobuf) profiles answer 501.</p>\n<table>\n");
    for (String[] r : ROWS) {
      String link = r[0].contains(",") ? r[0] : "<a href=\"" + r[0] + "\">" + r[0] + "</a>";
      b.append("<tr><td>").append(link).append("</td><td>").append(r[1]).append("</td></tr>\n");
    }
    return b.append("</table>\n</body></html>\n").toString();
  }
}
