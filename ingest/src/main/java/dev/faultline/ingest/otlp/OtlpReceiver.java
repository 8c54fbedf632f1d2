package dev.faultline.ingest.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.ingest.http.Call;
import dev.faultline.ingest.http.Endpoint;
import dev.faultline.ingest.http.Reply;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/metrics}: an OTLP/HTTP metrics export, binary protobuf ({@code
 * application/x-protobuf}) or JSON ({@code application/json}), optionally gzip-compressed, mapped
 * by {@link GenAiWindows} into {@code model_window} records. Answers as OTLP/HTTP specifies: 200
 * with an {@code ExportMetricsServiceResponse} in the request's encoding once Kafka acknowledged
 * every window (its {@code partial_success} counting windows refused as invalid or stamped too far
 * ahead, each dead-lettered with its reason); 400 naming the problem for a body that is not an
 * export; 415 for another content type or encoding; 503 with {@code Retry-After} while Kafka is
 * unreachable or failed a send (the exporter retries; the cumulative baselines only move once Kafka
 * acknowledged, so the retry counts again rather than being lost).
 *
 * <p>Exports are mapped one at a time (the cumulative state is shared), each waiting for its acks.
 */
public final class OtlpReceiver implements Endpoint {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "otlp";

  /** Counter of what was ignored, by {@code kind} ({@code metric}, {@code point}). */
  public static final String IGNORED = "faultline_ingest_otlp_ignored";

  private static final Logger LOG = LoggerFactory.getLogger(OtlpReceiver.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RETRY_AFTER_S = 5;
  private static final String TARGET = "http";

  private final TelemetryPublisher publisher;
  private final CollectorHealth health;
  private final KafkaReadiness kafka;
  private final TimeGuard timeGuard;
  private final GenAiWindows mapper;
  private final CumulativeSeries series;
  private final long maxDecodedBytes;

  /**
   * @param source the {@code source} of windows whose resource has no {@code service.name}
   * @param infra layers added to every window
   * @param maxSeries cumulative series remembered at most
   * @param maxDecodedBytes a gzip body larger than this once inflated gets 413
   */
  public OtlpReceiver(
      TelemetryPublisher publisher,
      CollectorHealth health,
      KafkaReadiness kafka,
      TimeGuard timeGuard,
      String source,
      Map<String, String> infra,
      int maxSeries,
      long maxDecodedBytes) {
    this.publisher = publisher;
    this.health = health;
    this.kafka = kafka;
    this.timeGuard = timeGuard;
    this.mapper = new GenAiWindows(source, infra);
    this.series = new CumulativeSeries(maxSeries);
    this.maxDecodedBytes = maxDecodedBytes;
    health.register(COLLECTOR, TARGET);
  }

  private enum Encoding {
    PROTOBUF,
    JSON
  }

  @Override
  public Reply handle(Call call) {
    String contentType = call.headers().apply("Content-Type");
    String mediaType =
        contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    Encoding encoding =
        switch (mediaType) {
          case "application/x-protobuf", "application/protobuf" -> Encoding.PROTOBUF;
          case "application/json" -> Encoding.JSON;
          default -> null;
        };
    if (encoding == null) {
      health.error(COLLECTOR, TARGET, "invalid_payload");
      return Reply.error(
          415,
          "Content-Type "
              + (contentType == null ? "missing" : "\"" + contentType + "\"")
              + ": OTLP/HTTP takes application/x-protobuf or application/json");
    }
    if (!kafka.ready()) {
      health.error(COLLECTOR, TARGET, "kafka");
      return Reply.unavailable("Kafka is unreachable; nothing was taken; retry", RETRY_AFTER_S);
    }
    ExportMetricsServiceRequest export;
    try {
      export = decode(inflate(call), encoding);
    } catch (OtlpFormatException e) {
      health.error(COLLECTOR, TARGET, "invalid_payload");
      return error(encoding, 400, e.getMessage());
    } catch (TooLarge e) {
      health.error(COLLECTOR, TARGET, "too_large");
      return error(encoding, 413, e.getMessage());
    } catch (UnsupportedEncoding e) {
      health.error(COLLECTOR, TARGET, "invalid_payload");
      return error(encoding, 415, e.getMessage());
    }
    synchronized (series) {
      return publish(call, export, encoding);
    }
  }

  private Reply publish(Call call, ExportMetricsServiceRequest export, Encoding encoding) {
    GenAiWindows.Result result = mapper.map(export, series);
    if (result.ignoredMetrics() > 0) {
      LOG.debug("OTLP metrics ignored: {}", result.ignoredNames());
      health.count(
          IGNORED, "OTLP metrics and points not mapped", result.ignoredMetrics(), "kind", "metric");
    }
    if (result.ignoredPoints() > 0) {
      health.count(
          IGNORED, "OTLP metrics and points not mapped", result.ignoredPoints(), "kind", "point");
    }
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (ModelWindow w : result.windows()) {
      String encoded = TelemetryCodec.encode(w);
      try {
        timeGuard.check("model_window.ts", w.ts());
        TelemetryCodec.decode(encoded); // what we emit must pass the contract as consumers check it
      } catch (ContractViolation v) {
        refused.add(w.model() + ": " + v.getMessage());
        health.error(COLLECTOR, TARGET, "invalid_record");
        publisher.deadLetter(
            TelemetryPublisher.deadLetter(w.model(), encoded, v.getMessage(), call.origin()),
            COLLECTOR,
            TARGET);
        continue;
      }
      sends.add(publisher.publish(w, COLLECTOR, TARGET));
    }
    try {
      TelemetryPublisher.awaitAll(sends, TelemetryPublisher.DELIVERY_TIMEOUT.plusSeconds(1));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      series.rollback();
      LOG.warn(
          "OTLP export from {} not fully acknowledged by Kafka: {}", call.remote(), e.toString());
      return Reply.unavailable(
          "Kafka did not acknowledge every window; send the export again", RETRY_AFTER_S);
    }
    series.commit();
    health.success(COLLECTOR, TARGET);
    return success(encoding, refused);
  }

  private static ExportMetricsServiceRequest decode(byte[] body, Encoding encoding) {
    if (encoding == Encoding.PROTOBUF) {
      try {
        return ExportMetricsServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new OtlpFormatException(
            "not an OTLP ExportMetricsServiceRequest (protobuf): " + e.getMessage());
      }
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new OtlpFormatException("not valid JSON: " + m);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new OtlpFormatException("empty body: expected an OTLP ExportMetricsServiceRequest");
    }
    ExportMetricsServiceRequest.Builder builder = ExportMetricsServiceRequest.newBuilder();
    OtlpJson.merge(tree, builder, "");
    return builder.build();
  }

  private byte[] inflate(Call call) throws TooLarge, UnsupportedEncoding {
    String contentEncoding = call.headers().apply("Content-Encoding");
    if (contentEncoding == null
        || contentEncoding.isBlank()
        || contentEncoding.equalsIgnoreCase("identity")) {
      return call.body();
    }
    if (!contentEncoding.equalsIgnoreCase("gzip")) {
      throw new UnsupportedEncoding(
          "Content-Encoding \"" + contentEncoding + "\": only gzip is understood");
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(call.body()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        if (out.size() > maxDecodedBytes) {
          throw new TooLarge("the gzip body inflates beyond " + maxDecodedBytes + " bytes");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new OtlpFormatException(
          "Content-Encoding gzip, but the body is not gzip: " + e.getMessage());
    }
  }

  private Reply success(Encoding encoding, List<String> refused) {
    ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
    String message = null;
    if (!refused.isEmpty()) {
      message = refused.size() + " model windows refused: " + String.join("; ", refused);
      if (message.length() > 1024) {
        message = message.substring(0, 1021) + "...";
      }
      response.setPartialSuccess(
          ExportMetricsPartialSuccess.newBuilder()
              .setRejectedDataPoints(refused.size())
              .setErrorMessage(message));
    }
    if (encoding == Encoding.PROTOBUF) {
      return new Reply(200, "application/x-protobuf", response.build().toByteArray(), Map.of());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (message != null) {
      body.put(
          "partialSuccess",
          Map.of("rejectedDataPoints", Integer.toString(refused.size()), "errorMessage", message));
    }
    return Reply.json(200, body);
  }

  /** An error in the request's encoding: {@code google.rpc.Status} for protobuf, else JSON. */
  private static Reply error(Encoding encoding, int status, String message) {
    if (encoding == Encoding.JSON) {
      return Reply.json(status, Map.of("code", 3, "message", message));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, 3); // INVALID_ARGUMENT
      out.writeString(2, message);
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Reply(status, "application/x-protobuf", bytes.toByteArray(), Map.of());
  }

  private static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message);
    }
  }

  private static final class UnsupportedEncoding extends Exception {
    UnsupportedEncoding(String message) {
      super(message);
    }
  }
}
