package dev.kansoku.prometheus.remotewrite;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Series and metadata as remote write 1.0 {@code prometheus.WriteRequest} protobuf bodies (types.proto
 * and remote.proto of Prometheus), written field by field: the messages are small and fixed, and a
 * generated class would copy every sample once more. Splits at {@code max_batch_size_bytes} of
 * uncompressed protobuf as the collector does: series first, each request sorted by the series'
 * first sample time, then the metadata in requests of their own.
 */
final class RemoteWriteEncoder {
  private static final int WRITE_REQUEST_TIMESERIES = 1;
  private static final int WRITE_REQUEST_METADATA = 3;
  private static final int SERIES_LABELS = 1;
  private static final int SERIES_SAMPLES = 2;
  private static final int LABEL_NAME = 1;
  private static final int LABEL_VALUE = 2;
  private static final int SAMPLE_VALUE = 1;
  private static final int SAMPLE_TIMESTAMP = 2;
  private static final int METADATA_TYPE = 1;
  private static final int METADATA_FAMILY = 2;
  private static final int METADATA_HELP = 4;
  private static final int METADATA_UNIT = 5;

  /** One request to send: its protobuf body and how many samples it carries. */
  record Request(byte[] body, int samples) {}

  private RemoteWriteEncoder() {}

  static List<Request> encode(List<TimeSeries> series, List<MetricMetadata> metadata, int maxBatchBytes) {
    List<Request> out = new ArrayList<>();
    List<TimeSeries> batch = new ArrayList<>();
    int batchBytes = 0;
    for (TimeSeries s : series) {
      int size = embedded(WRITE_REQUEST_TIMESERIES, seriesSize(s));
      if (!batch.isEmpty() && batchBytes + size >= maxBatchBytes) {
        out.add(seriesRequest(batch, batchBytes));
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(s);
      batchBytes += size;
    }
    if (!batch.isEmpty()) {
      out.add(seriesRequest(batch, batchBytes));
    }
    List<MetricMetadata> meta = new ArrayList<>();
    int metaBytes = 0;
    for (MetricMetadata m : metadata) {
      int size = embedded(WRITE_REQUEST_METADATA, metadataSize(m));
      if (!meta.isEmpty() && metaBytes + size >= maxBatchBytes) {
        out.add(metadataRequest(meta, metaBytes));
        meta = new ArrayList<>();
        metaBytes = 0;
      }
      meta.add(m);
      metaBytes += size;
    }
    if (!meta.isEmpty()) {
      out.add(metadataRequest(meta, metaBytes));
    }
    return out;
  }

  private static Request seriesRequest(List<TimeSeries> batch, int bytes) {
    // Prometheus wants samples in time order; across series, the collector orders by first sample.
    batch.sort(Comparator.comparingLong(s -> s.size() == 0 ? Long.MIN_VALUE : s.timestamp(0)));
    byte[] body = new byte[bytes];
    CodedOutputStream out = CodedOutputStream.newInstance(body);
    int samples = 0;
    try {
      for (TimeSeries s : batch) {
        out.writeTag(WRITE_REQUEST_TIMESERIES, 2);
        out.writeUInt32NoTag(seriesSize(s));
        for (Label l : s.labels()) {
          out.writeTag(SERIES_LABELS, 2);
          out.writeUInt32NoTag(labelSize(l));
          writeString(out, LABEL_NAME, l.name());
          writeString(out, LABEL_VALUE, l.value());
        }
        for (int i = 0; i < s.size(); i++) {
          out.writeTag(SERIES_SAMPLES, 2);
          out.writeUInt32NoTag(sampleSize(s.value(i), s.timestamp(i)));
          if (Double.doubleToRawLongBits(s.value(i)) != 0) {
            out.writeDouble(SAMPLE_VALUE, s.value(i));
          }
          if (s.timestamp(i) != 0) {
            out.writeInt64(SAMPLE_TIMESTAMP, s.timestamp(i));
          }
        }
        samples += s.size();
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("the computed size of a WriteRequest is wrong", e);
    }
    return new Request(body, samples);
  }

  private static Request metadataRequest(List<MetricMetadata> batch, int bytes) {
    byte[] body = new byte[bytes];
    CodedOutputStream out = CodedOutputStream.newInstance(body);
    try {
      for (MetricMetadata m : batch) {
        out.writeTag(WRITE_REQUEST_METADATA, 2);
        out.writeUInt32NoTag(metadataSize(m));
        if (m.type().ordinal() != 0) {
          out.writeEnum(METADATA_TYPE, m.type().ordinal());
        }
        writeString(out, METADATA_FAMILY, m.familyName());
        writeString(out, METADATA_HELP, m.help());
        writeString(out, METADATA_UNIT, m.unit());
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("the computed size of a WriteRequest is wrong", e);
    }
    return new Request(body, 0);
  }

  private static void writeString(CodedOutputStream out, int field, String s) throws IOException {
    if (!s.isEmpty()) {
      out.writeString(field, s);
    }
  }

  static int seriesSize(TimeSeries s) {
    int size = 0;
    for (Label l : s.labels()) {
      size += embedded(SERIES_LABELS, labelSize(l));
    }
    for (int i = 0; i < s.size(); i++) {
      size += embedded(SERIES_SAMPLES, sampleSize(s.value(i), s.timestamp(i)));
    }
    return size;
  }

  private static int labelSize(Label l) {
    return stringSize(LABEL_NAME, l.name()) + stringSize(LABEL_VALUE, l.value());
  }

  private static int sampleSize(double value, long timestamp) {
    return (Double.doubleToRawLongBits(value) != 0 ? CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value) : 0)
        + (timestamp != 0 ? CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestamp) : 0);
  }

  private static int metadataSize(MetricMetadata m) {
    return (m.type().ordinal() != 0 ? CodedOutputStream.computeEnumSize(METADATA_TYPE, m.type().ordinal()) : 0)
        + stringSize(METADATA_FAMILY, m.familyName()) + stringSize(METADATA_HELP, m.help())
        + stringSize(METADATA_UNIT, m.unit());
  }

  private static int stringSize(int field, String s) {
    return s.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, s);
  }

  private static int embedded(int field, int size) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }
}
