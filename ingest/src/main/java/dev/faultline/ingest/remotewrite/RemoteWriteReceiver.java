package dev.faultline.ingest.remotewrite;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.ingest.http.Call;
import dev.faultline.ingest.http.Endpoint;
import dev.faultline.ingest.http.Reply;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.scrape.Emitted;
import dev.faultline.ingest.scrape.Exposition;
import dev.faultline.ingest.scrape.ForwardedScrape;
import dev.faultline.ingest.scrape.Sample;
import dev.faultline.ingest.scrape.ScrapeWindow;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * {@code POST /api/v1/write}: Prometheus remote-write 1.0 (a snappy-compressed, block format,
 * protobuf {@code prometheus.WriteRequest}). Each series goes to the {@link RemoteWriteMapping} of
 * its {@code job} (and {@code instance}) label; series of no mapping are ignored and counted.
 *
 * <p>Prometheus stamps every sample of one scrape with the scrape's time, so the samples of one
 * {@code (mapping, instance)} with one timestamp are one scrape. Remote-write shards may deliver a
 * scrape in several requests, so a scrape is held until the receiving clock is {@code grace} past
 * its timestamp, then read by the scraper's own engine mapper against a {@link ScrapeWindow} per
 * {@code (mapping, instance)}, exactly as the scraper reads its own scrapes (the first one only
 * sets the counters' baseline, a reset counts whole). A sample for a scrape already mapped (a
 * retried request) is dropped and counted {@code late}; Prometheus' staleness markers are skipped.
 *
 * <p>Answers: 204 when the samples are held; 400 naming the problem for a body that is not snappy
 * or not a write request (Prometheus does not retry a 4xx); 415 for another encoding; 503 with
 * {@code Retry-After} while Kafka is unreachable or more than {@code maxPendingSamples} would be
 * held (Prometheus retries). Records are published when their scrape is mapped; as with the
 * scraper, one Kafka refuses is counted ({@code kafka}) and not sent again.
 */
public final class RemoteWriteReceiver implements Endpoint, AutoCloseable {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "remote_write";

  /** Counter of samples not used, by {@code reason} ({@code unmatched}, {@code late}). */
  public static final String IGNORED = "faultline_ingest_remote_write_ignored_samples";

  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteReceiver.class);
  private static final long STALE_NAN = 0x7ff0000000000002L;
  private static final int RETRY_AFTER_S = 5;

  private final List<RemoteWriteMapping> mappings;
  private final TelemetryPublisher publisher;
  private final CollectorHealth health;
  private final KafkaReadiness kafka;
  private final Clock clock;
  private final Duration grace;
  private final int maxPendingSamples;
  private final long maxDecodedBytes;
  private final Map<TargetKey, Target> targets = new LinkedHashMap<>();
  private int pendingSamples;
  private ScheduledExecutorService flusher;

  public RemoteWriteReceiver(
      List<RemoteWriteMapping> mappings,
      TelemetryPublisher publisher,
      CollectorHealth health,
      KafkaReadiness kafka,
      Clock clock,
      Duration grace,
      int maxPendingSamples,
      long maxDecodedBytes) {
    this.mappings = List.copyOf(mappings);
    this.publisher = publisher;
    this.health = health;
    this.kafka = kafka;
    this.clock = clock;
    this.grace = grace;
    this.maxPendingSamples = maxPendingSamples;
    this.maxDecodedBytes = maxDecodedBytes;
    for (RemoteWriteMapping m : mappings) {
      health.register(COLLECTOR, m.name());
    }
  }

  /** One mapped (job, instance): its window and its scrapes waiting for their grace. */
  private record TargetKey(RemoteWriteMapping mapping, String instance) {}

  private static final class Target {
    final ScrapeWindow window = new ScrapeWindow();
    final TreeMap<Long, List<Sample>> scrapes = new TreeMap<>();
    long lastMappedMs = Long.MIN_VALUE;
  }

  @Override
  public Reply handle(Call call) {
    String encoding = call.headers().apply("Content-Encoding");
    if (encoding == null || !encoding.trim().equalsIgnoreCase("snappy")) {
      health.error(COLLECTOR, "http", "invalid_payload");
      return Reply.error(
          415,
          "Content-Encoding "
              + (encoding == null ? "missing" : "\"" + encoding + "\"")
              + ": remote-write 1.0 bodies are snappy-compressed");
    }
    if (!kafka.ready()) {
      health.error(COLLECTOR, "http", "kafka");
      return Reply.unavailable("Kafka is unreachable; nothing was taken; retry", RETRY_AFTER_S);
    }
    List<WriteRequestDecoder.Series> series;
    try {
      series = WriteRequestDecoder.decode(uncompress(call.body()));
    } catch (IllegalArgumentException e) {
      health.error(COLLECTOR, "http", "invalid_payload");
      return Reply.error(400, e.getMessage());
    } catch (TooLarge e) {
      health.error(COLLECTOR, "http", "too_large");
      return Reply.error(413, e.getMessage());
    }
    synchronized (targets) {
      return hold(series);
    }
  }

  private Reply hold(List<WriteRequestDecoder.Series> series) {
    int incoming = series.stream().mapToInt(s -> s.samples().size()).sum();
    if (pendingSamples + incoming > maxPendingSamples) {
      health.error(COLLECTOR, "http", "busy");
      return Reply.unavailable(
          pendingSamples + " samples are waiting to be mapped; nothing was taken; retry",
          RETRY_AFTER_S);
    }
    long unmatched = 0;
    long late = 0;
    for (WriteRequestDecoder.Series s : series) {
      String job = s.labels().get("job");
      String instance = s.labels().get("instance");
      RemoteWriteMapping mapping =
          mappings.stream().filter(m -> m.matches(job, instance)).findFirst().orElse(null);
      if (mapping == null) {
        unmatched += s.samples().size();
        continue;
      }
      Target target = targets.computeIfAbsent(new TargetKey(mapping, instance), k -> new Target());
      Map<String, String> labels = new LinkedHashMap<>(s.labels());
      String name = labels.remove("__name__");
      labels.remove("job");
      labels.remove("instance");
      for (WriteRequestDecoder.Sample sample : s.samples()) {
        if (Double.doubleToRawLongBits(sample.value()) == STALE_NAN) {
          continue;
        }
        if (sample.timestampMs() <= target.lastMappedMs) {
          late++;
          continue;
        }
        target
            .scrapes
            .computeIfAbsent(sample.timestampMs(), t -> new ArrayList<>())
            .add(new Sample(name, labels, sample.value()));
        pendingSamples++;
      }
    }
    if (unmatched > 0) {
      health.count(IGNORED, "Remote-write samples not used", unmatched, "reason", "unmatched");
    }
    if (late > 0) {
      health.count(IGNORED, "Remote-write samples not used", late, "reason", "late");
    }
    return new Reply(204, "text/plain", new byte[0], Map.of());
  }

  private byte[] uncompress(byte[] body) throws TooLarge {
    try {
      if (!Snappy.isValidCompressedBuffer(body)) {
        throw new IllegalArgumentException("the body is not snappy-compressed (block format)");
      }
      long length = Snappy.uncompressedLength(body);
      if (length > maxDecodedBytes) {
        throw new TooLarge(
            "the body uncompresses to " + length + " bytes; at most " + maxDecodedBytes);
      }
      return Snappy.uncompress(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the body is not snappy-compressed (block format): " + e.getMessage());
    }
  }

  /**
   * Maps and publishes every held scrape whose timestamp is at least {@code grace} before the
   * clock's now, oldest first; returns what was published (for tests).
   */
  public List<Emitted> flush() {
    long due = clock.instant().minus(grace).toEpochMilli();
    List<Emitted> out = new ArrayList<>();
    synchronized (targets) {
      for (Map.Entry<TargetKey, Target> e : targets.entrySet()) {
        Target target = e.getValue();
        while (!target.scrapes.isEmpty() && target.scrapes.firstKey() <= due) {
          Map.Entry<Long, List<Sample>> scrape = target.scrapes.pollFirstEntry();
          pendingSamples -= scrape.getValue().size();
          target.lastMappedMs = scrape.getKey();
          out.addAll(map(e.getKey(), target, scrape.getKey(), scrape.getValue()));
        }
      }
    }
    return out;
  }

  private List<Emitted> map(TargetKey key, Target target, long timestampMs, List<Sample> samples) {
    RemoteWriteMapping mapping = key.mapping();
    ForwardedScrape.Result result =
        ForwardedScrape.map(
            mapping.asTarget(),
            new Exposition(Map.of(), samples),
            target.window,
            Instant.ofEpochMilli(timestampMs));
    if (!result.missing().isEmpty()) {
      health.error(COLLECTOR, mapping.name(), "missing_metric");
      LOG.warn(
          "remote-write of {} ({}) lacks expected metrics: {}",
          mapping.name(),
          key.instance(),
          result.missing());
    }
    List<Emitted> published = new ArrayList<>();
    for (Emitted e : result.records()) {
      Emitted record = withDeployment(e, mapping, key.instance());
      String encoded = TelemetryCodec.encode(record.record());
      try {
        TelemetryCodec.decode(encoded);
      } catch (ContractViolation v) {
        health.error(COLLECTOR, mapping.name(), "invalid_record");
        publisher.deadLetter(
            TelemetryPublisher.deadLetter(
                mapping.name(), encoded, v.getMessage(), "remote-write job " + mapping.job()),
            COLLECTOR,
            mapping.name());
        continue;
      }
      publisher.publish(record.record(), record.extensions(), COLLECTOR, mapping.name());
      published.add(record);
    }
    health.success(COLLECTOR, mapping.name());
    return published;
  }

  /** A mapping for every instance of a job tells the instances' model windows apart. */
  private static Emitted withDeployment(Emitted e, RemoteWriteMapping mapping, String instance) {
    Telemetry t = e.record();
    if (mapping.instance() != null
        || instance == null
        || !(t instanceof ModelWindow w)
        || w.deployment() != null) {
      return e;
    }
    return new Emitted(
        new ModelWindow(
            w.ts(),
            w.source(),
            w.model(),
            w.windowS(),
            w.requests(),
            w.errors(),
            w.errorsByCode(),
            w.latencyMs(),
            w.ttftMs(),
            w.tokensOut(),
            w.infra(),
            instance),
        e.extensions());
  }

  /** Maps due scrapes every {@code period}. */
  public void start(Duration period) {
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ingest-remote-write-flush");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(
        () -> {
          try {
            flush();
          } catch (RuntimeException e) {
            LOG.warn("remote-write flush failed", e);
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Held samples (for tests and the health endpoint). */
  public int pendingSamples() {
    synchronized (targets) {
      return pendingSamples;
    }
  }

  @Override
  public void close() {
    if (flusher != null) {
      flusher.shutdownNow();
    }
  }

  private static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message);
    }
  }
}
