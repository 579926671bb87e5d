package dev.kansoku.otlp;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.nio.file.Path;
import java.util.Set;

/** {@code file}: traces, metrics and logs into one local file, OTLP/JSON lines or length-prefixed protobuf. */
public final class FileExporterFactory implements ExporterFactory<FileExporterConfig> {
  @Override
  public String type() {
    return "file";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public FileExporterConfig createDefaultConfig() {
    return new FileExporterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Exporter create(FileExporterConfig config, ComponentContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    return new FileExporter(context.id().toString(), Path.of(config.path), config.format.equals("proto"),
        config.append, config.flushInterval);
  }
}
