package dev.kansoku.prometheus.remotewrite;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * The snappy-compressed remote write bodies the exporter would POST for one OTLP request, with the
 * default settings (and resource_to_telemetry_conversion as chosen), without sending them: for
 * bench/prometheus-remote-write.
 */
public final class RemoteWriteBodies {
  /** The bodies and how many samples they carry. */
  public record Bodies(List<byte[]> bodies, int samples) {}

  private final RemoteWriteTranslator translator;
  private final int maxBatchBytes;

  public RemoteWriteBodies(boolean resourceToTelemetry) {
    PrometheusRemoteWriteConfig config = new PrometheusRemoteWriteConfig();
    config.resourceToTelemetryConversion.enabled = resourceToTelemetry;
    this.translator = new RemoteWriteTranslator(RemoteWriteTranslator.Settings.of(config));
    this.maxBatchBytes = config.maxBatchSizeBytes;
  }

  public Bodies of(ExportMetricsServiceRequest request) {
    RemoteWriteTranslator.Result r = translator.translate(request);
    List<byte[]> out = new ArrayList<>();
    try {
      for (RemoteWriteEncoder.Request q : RemoteWriteEncoder.encode(r.series(), r.metadata(), maxBatchBytes)) {
        out.add(Snappy.compress(q.body()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory compression does not fail
    }
    return new Bodies(out, r.samples());
  }
}
