package dev.faultline.ingest.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a remote-write 1.0 {@code prometheus.WriteRequest} with protobuf's {@link CodedInputStream}
 * by hand: the schema is tiny and no maintained Java artifact of it is published, so this spares a
 * code generator in the build. The part used ({@code prompb/remote.proto}, {@code types.proto}):
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; (exemplars = 3, histograms = 4) }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // milliseconds since the epoch
 * </pre>
 *
 * Other fields (metadata, exemplars, native histograms) are skipped, as protobuf readers do.
 */
final class WriteRequestDecoder {

  /** One series: its labels (with {@code __name__}) and samples. */
  record Series(Map<String, String> labels, List<Sample> samples) {}

  /** One sample: value and timestamp in milliseconds. */
  record Sample(double value, long timestampMs) {}

  private WriteRequestDecoder() {}

  /** The series of a decompressed write request; a malformed one throws naming where. */
  static List<Series> decode(byte[] message) {
    List<Series> out = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(message);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (WireFormat.getTagFieldNumber(tag) == 1
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          out.add(series(in, out.size()));
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a prometheus.WriteRequest (timeseries[" + out.size() + "]): " + e.getMessage());
    }
    return out;
  }

  private static Series series(CodedInputStream in, int index) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    Map<String, String> labels = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int field = WireFormat.getTagFieldNumber(tag);
      boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      if (field == 1 && delimited) {
        label(in, labels, index);
      } else if (field == 2 && delimited) {
        samples.add(sample(in));
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(limit);
    if (!labels.containsKey("__name__")) {
      throw new IllegalArgumentException("timeseries[" + index + "] has no __name__ label");
    }
    return new Series(labels, samples);
  }

  private static void label(CodedInputStream in, Map<String, String> labels, int index)
      throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    String name = "";
    String value = "";
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readStringRequireUtf8();
        case 2 -> value = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    if (labels.put(name, value) != null) {
      throw new IllegalArgumentException("timeseries[" + index + "] has label " + name + " twice");
    }
  }

  private static Sample sample(CodedInputStream in) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    double value = 0;
    long timestamp = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> value = in.readDouble();
        case 2 -> timestamp = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    in.popLimit(limit);
    return new Sample(value, timestamp);
  }
}
