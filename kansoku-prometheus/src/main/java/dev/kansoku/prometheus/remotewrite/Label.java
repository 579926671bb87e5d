package dev.kansoku.prometheus.remotewrite;

/** One label of a series; series keep their labels sorted by name, as remote write requires. */
record Label(String name, String value) implements Comparable<Label> {
  @Override
  public int compareTo(Label o) {
    return name.compareTo(o.name);
  }
}
