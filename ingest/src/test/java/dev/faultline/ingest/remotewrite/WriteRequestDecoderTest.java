package dev.faultline.ingest.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Write requests encoded here field by field as {@code prompb/types.proto} defines them (not by the
 * decoder's own code), including fields the decoder must skip.
 */
class WriteRequestDecoderTest {

  static byte[] message(Writer w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    w.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] label(String name, String value) throws IOException {
    return message(
        o -> {
          o.writeString(1, name);
          o.writeString(2, value);
        });
  }

  static byte[] sample(double value, long ts) throws IOException {
    return message(
        o -> {
          o.writeDouble(1, value);
          o.writeInt64(2, ts);
        });
  }

  @Test
  void readsLabelsAndSamplesAndSkipsMetadataAndExemplars() throws Exception {
    byte[] series =
        message(
            o -> {
              o.writeByteArray(1, label("__name__", "vllm:request_success_total"));
              o.writeByteArray(1, label("job", "vllm"));
              o.writeByteArray(1, label("finished_reason", "stop"));
              o.writeByteArray(2, sample(42.0, 1_750_601_000_000L));
              o.writeByteArray(2, sample(43.5, 1_750_601_001_000L));
              o.writeByteArray(3, message(e -> e.writeDouble(2, 1.0))); // an exemplar
            });
    byte[] request =
        message(
            o -> {
              o.writeByteArray(1, series);
              o.writeByteArray(3, message(m -> m.writeString(2, "some_metric"))); // metadata
            });

    List<WriteRequestDecoder.Series> decoded = WriteRequestDecoder.decode(request);

    assertEquals(1, decoded.size());
    assertEquals(
        Map.of("__name__", "vllm:request_success_total", "job", "vllm", "finished_reason", "stop"),
        decoded.get(0).labels());
    assertEquals(
        List.of(
            new WriteRequestDecoder.Sample(42.0, 1_750_601_000_000L),
            new WriteRequestDecoder.Sample(43.5, 1_750_601_001_000L)),
        decoded.get(0).samples());
  }

  @Test
  void refusesASeriesWithoutANameOrATruncatedMessage() throws Exception {
    byte[] nameless =
        message(o -> o.writeByteArray(1, message(s -> s.writeByteArray(1, label("job", "x")))));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WriteRequestDecoder.decode(nameless));
    assertEquals("timeseries[0] has no __name__ label", e.getMessage());

    byte[] whole =
        message(
            o -> o.writeByteArray(1, message(s -> s.writeByteArray(1, label("__name__", "up")))));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 2);
    IllegalArgumentException truncated =
        assertThrows(IllegalArgumentException.class, () -> WriteRequestDecoder.decode(cut));
    assertTrue(
        truncated.getMessage().startsWith("not a prometheus.WriteRequest (timeseries[0])"),
        truncated.getMessage());
  }
}
