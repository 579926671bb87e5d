package dev.kansoku.api;

/** Settings of the {@code kansoku} exporter. */
final class KansokuExporterConfig {
  /** The id of the kansoku extension that owns the store. Example: kansoku. */
  String extension = "kansoku";
}
