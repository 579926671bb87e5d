package dev.kansoku.prometheus.remotewrite;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decodes remote write 1.0 {@code prometheus.WriteRequest} bodies independently of the encoder, into
 * one readable line per sample, {@code name{label="value",...} value @timestampMs} (labels in wire
 * order, {@code __name__} left out), and one per metadata entry, {@code # TYPE name HELP "help" UNIT "unit"}.
 */
final class WriteRequests {
  private WriteRequests() {}

  static List<String> lines(byte[] protobuf) throws IOException {
    List<String> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(protobuf);
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = tag >>> 3;
      if (field == 1) {
        out.addAll(series(in.readBytes().newCodedInput()));
      } else if (field == 3) {
        out.add(metadata(in.readBytes().newCodedInput()));
      } else {
        throw new IOException("unexpected WriteRequest field " + field);
      }
    }
    return out;
  }

  private static List<String> series(CodedInputStream in) throws IOException {
    List<String[]> labels = new ArrayList<>();
    List<String> samples = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      CodedInputStream m = in.readBytes().newCodedInput();
      if (tag >>> 3 == 1) {
        String name = "";
        String value = "";
        for (int t; (t = m.readTag()) != 0; ) {
          if (t >>> 3 == 1) {
            name = m.readString();
          } else {
            value = m.readString();
          }
        }
        labels.add(new String[] {name, value});
      } else if (tag >>> 3 == 2) {
        double v = 0;
        long ts = 0;
        for (int t; (t = m.readTag()) != 0; ) {
          if (t >>> 3 == 1) {
            v = m.readDouble();
          } else {
            ts = m.readInt64();
          }
        }
        samples.add(value(v) + " @" + ts);
      } else {
        throw new IOException("unexpected TimeSeries field " + (tag >>> 3));
      }
    }
    for (int i = 1; i < labels.size(); i++) {
      if (labels.get(i - 1)[0].compareTo(labels.get(i)[0]) >= 0) {
        throw new IOException("labels not sorted by name: " + labels.get(i - 1)[0] + ", " + labels.get(i)[0]);
      }
    }
    String name = labels.stream().filter(l -> l[0].equals("__name__")).map(l -> l[1]).findFirst().orElse("?");
    String rest = labels.stream().filter(l -> !l[0].equals("__name__")).map(l -> l[0] + "=\"" + l[1] + "\"")
        .collect(Collectors.joining(","));
    String head = name + (rest.isEmpty() ? "" : "{" + rest + "}");
    return samples.stream().map(s -> head + " " + s).toList();
  }

  private static String metadata(CodedInputStream in) throws IOException {
    int type = 0;
    String family = "";
    String help = "";
    String unit = "";
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> type = in.readEnum();
        case 2 -> family = in.readString();
        case 4 -> help = in.readString();
        case 5 -> unit = in.readString();
        default -> throw new IOException("unexpected MetricMetadata field " + (tag >>> 3));
      }
    }
    return "# " + MetricMetadata.Type.values()[type] + " " + family + " HELP \"" + help + "\" UNIT \"" + unit + "\"";
  }

  private static String value(double v) {
    if (Double.doubleToRawLongBits(v) == 0x7ff0000000000002L) {
      return "STALE";
    }
    return RemoteWriteTranslator.format(v);
  }
}
