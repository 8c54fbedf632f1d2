package dev.faultline.ingest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.KafkaRecords;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Confirming probes, end to end in virtual time: the prober is configured from YAML, probes a local
 * server standing in for the Anthropic Messages and OpenAI chat completions APIs that fails when
 * the test says so, publishes to the real broker, and waits only through a {@link ProbeScheduler}
 * that moves the injected clock. Each request the server receives is recorded with the clock's time
 * and the model asked; expectations come from the parsed configuration.
 */
class ProbeConfirmIT {

  static final Instant T0 = Instant.parse("2026-06-22T14:00:00Z");

  /** How long the fake API takes to answer, by the injected clock. */
  static final Duration LATENCY = Duration.ofMillis(100);

  static final ObjectMapper JSON = new ObjectMapper();
  static EmbeddedKafka kafka;
  static HttpServer api;
  static TelemetryPublisher publisher;
  static CollectorHealth publisherHealth;

  /** What the server received: model and time. */
  record Received(String model, Instant at, boolean failed) {}

  static final List<Received> received = new ArrayList<>();
  static volatile ManualClock clock;

  /** Whether the API fails a request for this model at this time. */
  static volatile BiPredicate<String, Instant> failing = (m, t) -> false;

  SyntheticProber prober;
  CollectorHealth health;

  @BeforeAll
  static void start() throws IOException {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext("/v1/messages", ex -> answer(ex, true));
    api.createContext("/v1/chat/completions", ex -> answer(ex, false));
    api.setExecutor(Executors.newFixedThreadPool(2));
    api.start();
    publisherHealth = new CollectorHealth(new ManualClock(T0));
    publisher = new TelemetryPublisher(kafka.bootstrapServers(), publisherHealth);
  }

  @AfterAll
  static void stop() {
    publisher.close();
    api.stop(0);
  }

  @AfterEach
  void closeProber() {
    if (prober != null) {
      prober.close();
    }
  }

  static void answer(HttpExchange ex, boolean anthropic) throws IOException {
    try (ex) {
      String model = JSON.readTree(ex.getRequestBody().readAllBytes()).path("model").asText();
      Instant at = clock.instant();
      boolean fail = failing.test(model, at);
      synchronized (received) {
        received.add(new Received(model, at, fail));
      }
      clock.advance(LATENCY);
      String body;
      int status;
      if (fail) {
        status = anthropic ? 529 : 503;
        body =
            anthropic
                ? "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                : "{\"error\":{\"type\":\"server_error\",\"message\":\"unavailable\"}}";
      } else {
        status = 200;
        body =
            anthropic
                ? "{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"p\"}]}"
                : "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"p\"}}]}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
  }

  /** Runs the prober's steps in order of their due time, moving the clock to each. */
  static final class VirtualTime implements ProbeScheduler {
    private record Due(Instant at, long seq, Runnable task) {}

    private final PriorityQueue<Due> queue =
        new PriorityQueue<>(Comparator.comparing(Due::at).thenComparingLong(Due::seq));
    private long seq;
    private boolean closed;

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
      if (!closed) {
        queue.add(new Due(clock.instant().plus(delay), seq++, task));
      }
    }

    void runUntil(Instant end) {
      while (true) {
        Due next;
        synchronized (this) {
          next = queue.peek();
          if (next == null || next.at().isAfter(end)) {
            return;
          }
          queue.poll();
        }
        if (clock.instant().isBefore(next.at())) {
          clock.set(next.at());
        }
        next.task().run();
      }
    }

    @Override
    public synchronized void close() {
      closed = true;
      queue.clear();
    }
  }

  /** Parses {@code yaml} (with {@code BASE} for the fake API's URL) and starts a prober on it. */
  IngestConfig startProber(String source, String yaml, BiPredicate<String, Instant> failWhen) {
    IngestConfig config =
        IngestConfig.parse(
            yaml.replace("BASE", "http://127.0.0.1:" + api.getAddress().getPort())
                + "\nsource: "
                + source
                + "\n");
    clock = new ManualClock(T0);
    failing = failWhen;
    synchronized (received) {
      received.clear();
    }
    health = new CollectorHealth(clock);
    prober =
        new SyntheticProber(
            config.probes(),
            config.source(),
            publisher,
            health,
            clock,
            HttpClient.newHttpClient(),
            name -> null,
            config.confirmBounds());
    return config;
  }

  VirtualTime run(Duration howLong) {
    VirtualTime time = new VirtualTime();
    prober.start(time);
    time.runUntil(T0.plus(howLong));
    return time;
  }

  static List<Received> receivedFor(String model) {
    synchronized (received) {
      return received.stream().filter(r -> r.model().equals(model)).toList();
    }
  }

  static List<Duration> gaps(List<Received> requests) {
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < requests.size(); i++) {
      gaps.add(Duration.between(requests.get(i - 1).at(), requests.get(i).at()));
    }
    return gaps;
  }

  /**
   * The confirming requests among a target's: those that came sooner than its normal interval after
   * the one before (a normal probe comes a whole interval after the last one sent).
   */
  static List<Received> confirming(List<Received> requests, Duration interval) {
    List<Received> out = new ArrayList<>();
    for (int i = 1; i < requests.size(); i++) {
      if (Duration.between(requests.get(i - 1).at(), requests.get(i).at()).compareTo(interval)
          < 0) {
        out.add(requests.get(i));
      }
    }
    return out;
  }

  static List<Probe> onKafka(String source, int expected) {
    return KafkaRecords.telemetry(
            kafka.bootstrapServers(),
            t -> t instanceof Probe p && p.source().equals(source),
            expected)
        .stream()
        .map(Probe.class::cast)
        .toList();
  }

  static final String ONE_TARGET =
      String.join(
          "\n",
          "prober:",
          "  confirm: {interval: 5s, probes: 6}",
          "  confirm_rate: 100",
          "  confirm_budget: {per_hour: 10}",
          "probes:",
          "  - name: opus-api",
          "    api: anthropic",
          "    base_url: BASE",
          "    model: claude-opus-4.8",
          "    interval_s: 1m",
          "    timeout_s: 2s",
          "    cost: {per_probe: 0.001}",
          "    infra: {provider: anthropic, region: us-east-1, model_family: claude-opus}");

  @Test
  void probesAtTheConfirmIntervalAfterAFailureThenAtTheNormalInterval() {
    Instant outageStart = T0.plusSeconds(30);
    Instant outageEnd = T0.plusSeconds(150);
    ProbeTarget target =
        startProber(
                "confirm-it-outage",
                ONE_TARGET,
                (m, t) -> !t.isBefore(outageStart) && t.isBefore(outageEnd))
            .probes()
            .get(0);
    Duration normal = target.interval().plus(LATENCY);
    Duration confirm = target.confirm().interval().plus(LATENCY);

    run(Duration.ofMinutes(4));

    // T0 ok; T0+1m fails: six confirming probes 5 s apart (all inside the outage), then the
    // normal interval: the probe after the burst comes past the outage's end and succeeds, and so
    // does the one after it, a normal interval later.
    List<Received> requests = receivedFor("claude-opus-4.8");
    List<Duration> expectedGaps = new ArrayList<>();
    expectedGaps.add(normal);
    for (int i = 0; i < target.confirm().probes(); i++) {
      expectedGaps.add(confirm);
    }
    expectedGaps.add(normal);
    expectedGaps.add(normal);
    assertEquals(expectedGaps, gaps(requests));
    List<Boolean> expectedFailed = new ArrayList<>();
    expectedFailed.add(false);
    for (int i = 0; i <= target.confirm().probes(); i++) {
      expectedFailed.add(true);
    }
    expectedFailed.add(false);
    expectedFailed.add(false);
    assertEquals(expectedFailed, requests.stream().map(Received::failed).toList());
    // Every probe, normal or confirming, is an ordinary probe record with the target's infra.
    List<Probe> published = onKafka("confirm-it-outage", requests.size());
    assertEquals(requests.size(), published.size());
    assertEquals(
        requests.stream().filter(Received::failed).count(),
        published.stream().filter(p -> !p.ok()).count());
    for (Probe p : published) {
      assertEquals("opus-api", p.target());
      assertEquals(
          Map.of("provider", "anthropic", "region", "us-east-1", "model_family", "claude-opus"),
          p.infra());
    }
    assertEquals(
        target.confirm().probes(),
        health.counted(
            "faultline_ingest_probe_confirm_probes",
            "target",
            "opus-api",
            "provider",
            "anthropic"));
  }

  @Test
  void aBlipStillGetsItsWholeBurstWhoseSuccessesClearIt() {
    Instant blip = T0.plusSeconds(60);
    ProbeTarget target =
        startProber(
                "confirm-it-blip",
                ONE_TARGET,
                (m, t) -> !t.isBefore(blip) && t.isBefore(blip.plusSeconds(1)))
            .probes()
            .get(0);
    Duration normal = target.interval().plus(LATENCY);
    Duration confirm = target.confirm().interval().plus(LATENCY);

    run(Duration.ofMinutes(3));

    List<Received> requests = receivedFor("claude-opus-4.8");
    List<Duration> expectedGaps = new ArrayList<>();
    expectedGaps.add(normal);
    for (int i = 0; i < target.confirm().probes(); i++) {
      expectedGaps.add(confirm);
    }
    expectedGaps.add(normal);
    assertEquals(expectedGaps, gaps(requests));
    assertEquals(1, requests.stream().filter(Received::failed).count());
    assertTrue(requests.get(1).failed(), "the probe at T0+1m is the blip");
  }

  @Test
  void neverExceedsTheProvidersRateOfConfirmingProbesAndKeepsTheNormalOnes() {
    String yaml =
        String.join(
            "\n",
            "prober:",
            "  confirm: {interval: 5s, probes: 6}",
            "  confirm_rate: 8",
            "  confirm_budget: {per_day: 1000}",
            "probes:",
            "  - {name: opus, api: anthropic, base_url: BASE, model: r-opus, interval_s: 1m,",
            "     timeout_s: 2s, cost: {per_probe: 0.001}, infra: {provider: anthropic}}",
            "  - {name: sonnet, api: anthropic, base_url: BASE, model: r-sonnet, interval_s: 1m,",
            "     timeout_s: 2s, cost: {per_probe: 0.001}, infra: {provider: anthropic}}",
            "  - {name: haiku, api: anthropic, base_url: BASE, model: r-haiku, interval_s: 1m,",
            "     timeout_s: 2s, cost: {per_probe: 0.001}, infra: {provider: anthropic}}",
            "  - {name: gpt, api: openai, base_url: BASE, model: r-gpt, interval_s: 1m,",
            "     timeout_s: 2s, cost: {per_probe: 0.001}}");
    IngestConfig config = startProber("confirm-it-rate", yaml, (m, t) -> true);
    int rate = config.confirmBounds().perProviderPerMinute();
    Duration window = ConfirmBounds.RATE_WINDOW;

    run(Duration.ofMinutes(10));

    List<Instant> anthropicConfirming = new ArrayList<>();
    Map<String, Integer> sent = new HashMap<>();
    for (ProbeTarget t : config.probes()) {
      List<Received> requests = receivedFor(t.model());
      sent.put(t.name(), requests.size());
      // Normal probes go on: no target waits longer than its interval for its next probe.
      for (Duration gap : gaps(requests)) {
        assertTrue(gap.compareTo(t.interval().plus(LATENCY)) <= 0, t.name() + " waited " + gap);
      }
      if (t.provider().equals("anthropic")) {
        confirming(requests, t.interval()).forEach(r -> anthropicConfirming.add(r.at()));
      }
    }
    anthropicConfirming.sort(Comparator.naturalOrder());
    int most = 0;
    for (Instant at : anthropicConfirming) {
      long inWindow =
          anthropicConfirming.stream()
              .filter(x -> x.isAfter(at.minus(window)) && !x.isAfter(at))
              .count();
      most = Math.max(most, (int) inWindow);
    }
    assertEquals(rate, most, "the busiest minute of anthropic's confirming probes");
    double stopped = 0;
    for (String name : List.of("opus", "sonnet", "haiku")) {
      stopped +=
          health.counted(
              "faultline_ingest_probe_confirm_stopped",
              "target",
              name,
              "provider",
              "anthropic",
              "bound",
              "rate");
    }
    assertTrue(stopped > 0, "the rate stopped some bursts");
    assertTrue(health.scrape().contains("faultline_ingest_probe_confirm_stopped_total{"));
    // The other provider is not held back: each of its normal probes fails and gets a whole burst.
    ProbeTarget gpt = config.probes().get(3);
    List<Duration> cycle = new ArrayList<>();
    for (int i = 0; i < gpt.confirm().probes(); i++) {
      cycle.add(gpt.confirm().interval().plus(LATENCY));
    }
    cycle.add(gpt.interval().plus(LATENCY));
    List<Duration> gptGaps = gaps(receivedFor("r-gpt"));
    assertTrue(gptGaps.size() > 2 * cycle.size(), "several bursts: " + gptGaps);
    for (int i = 0; i < gptGaps.size(); i++) {
      assertEquals(cycle.get(i % cycle.size()), gptGaps.get(i), "gap " + i + " of " + gptGaps);
    }
    assertEquals(
        0.0,
        health.counted(
            "faultline_ingest_probe_confirm_stopped", "target", "gpt", "provider", "openai"));
    // Every request is on Kafka as a probe record.
    int total = sent.values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(total, onKafka("confirm-it-rate", total).size());
  }

  @Test
  void neverSpendsMoreThanTheBudgetOnConfirmingProbesWithinAnyHour() {
    String yaml =
        String.join(
            "\n",
            "prober:",
            "  confirm_rate: 100",
            "  confirm_budget: {per_hour: 0.003}",
            "probes:",
            "  - name: opus-priced",
            "    api: anthropic",
            "    base_url: BASE",
            "    model: b-opus",
            "    interval_s: 10m",
            "    timeout_s: 2s",
            "    confirm: {interval: 30s, probes: 6}",
            "    cost: {input_per_mtok: 15, output_per_mtok: 75}",
            "    infra: {provider: anthropic}");
    IngestConfig config = startProber("confirm-it-budget", yaml, (m, t) -> true);
    ProbeTarget target = config.probes().get(0);
    // The stated cost: ("ping" is 4 bytes + 16 framing tokens) at 15/M + 1 output token at 75/M.
    BigDecimal cost =
        new BigDecimal(15)
            .multiply(BigDecimal.valueOf(4 + 16))
            .add(new BigDecimal(75))
            .movePointLeft(6);
    assertEquals(0, cost.compareTo(target.cost().perProbe()), target.cost().how());
    BigDecimal budget = config.confirmBounds().budget();
    Duration hour = config.confirmBounds().budgetWindow();
    assertEquals(Duration.ofHours(1), hour);

    run(Duration.ofHours(3));

    List<Instant> confirmingAt =
        confirming(receivedFor("b-opus"), target.interval()).stream().map(Received::at).toList();
    BigDecimal most = BigDecimal.ZERO;
    for (Instant at : confirmingAt) {
      long inWindow =
          confirmingAt.stream().filter(x -> x.isAfter(at.minus(hour)) && !x.isAfter(at)).count();
      BigDecimal spent = cost.multiply(BigDecimal.valueOf(inWindow));
      assertTrue(spent.compareTo(budget) <= 0, "spent " + spent + " in the hour up to " + at);
      most = most.max(spent);
    }
    // The budget is reached (8 probes of 0.000375 = 0.003), and confirming resumes once the hour
    // of the first probes has passed.
    int affordable = budget.divide(cost, java.math.RoundingMode.FLOOR).intValue();
    assertEquals(0, most.compareTo(cost.multiply(BigDecimal.valueOf(affordable))), "" + most);
    assertTrue(
        health.counted(
                "faultline_ingest_probe_confirm_stopped",
                "target",
                "opus-priced",
                "provider",
                "anthropic",
                "bound",
                "budget")
            > 0);
    assertTrue(
        confirmingAt.get(confirmingAt.size() - 1).isAfter(confirmingAt.get(0).plus(hour)),
        "confirming resumed after the first hour: " + confirmingAt);
  }
}
